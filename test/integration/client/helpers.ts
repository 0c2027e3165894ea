import { startSimulator, type Simulator, type SimulatorOptions } from '../../../src/main/simulator';
import { createLogger, type Logger } from '../../../src/main/log';
import {
  createServiceNowClient,
  ServiceNowError,
  type ClientOptions,
  type ServiceNowClient,
} from '../../../src/main/servicenow';

export interface Harness {
  sim: Simulator;
  lines: string[];
  logger: Logger;
  client(overrides?: Partial<ClientOptions>): ServiceNowClient;
  close(): Promise<void>;
}

/** A simulator on port 0 plus clients that log into `lines`; close() shuts both down. */
export async function harness(options: SimulatorOptions = {}): Promise<Harness> {
  const sim = await startSimulator(options);
  const lines: string[] = [];
  const logger = createLogger({ sink: (line) => lines.push(line), level: 'debug' });
  const clients: ServiceNowClient[] = [];
  return {
    sim,
    lines,
    logger,
    client(overrides = {}) {
      const client = createServiceNowClient({
        instanceUrl: sim.url,
        auth: { kind: 'basic', username: sim.users.admin.userName, password: sim.users.admin.password },
        logger,
        retry: { baseDelayMs: 5 },
        ...overrides,
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
      await sim.close();
    },
  };
}

/** The ServiceNowError a promise rejects with (fails the test if it resolves or throws something else). */
export async function failureOf(promise: Promise<unknown>): Promise<ServiceNowError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceNowError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Requests the simulator logged for a path fragment. */
export function requestsTo(sim: Simulator, pathIncludes: string, method?: string) {
  return sim.log.filter(
    (e) => e.path.includes(pathIncludes) && (method === undefined || e.method === method),
  );
}
