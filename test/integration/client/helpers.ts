import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** One request as a scripted instance saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ScriptedAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
}

export interface ScriptedInstance {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A plain HTTP server on 127.0.0.1 that answers each request as `answer` says: for answers the simulator
 * never gives (a list without a Link header, a token body of the wrong shape, an instance echoing what it
 * was sent).
 */
export async function scriptedInstance(
  /** null leaves the request unanswered (until close); a promise answers when it settles. */
  answer: (request: SeenRequest) => ScriptedAnswer | null | Promise<ScriptedAnswer | null>,
): Promise<ScriptedInstance> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const seen: SeenRequest = {
        method: req.method ?? '',
        path: url.pathname,
        search: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      const scripted = await answer(seen);
      if (scripted === null) return;
      const { status = 200, headers = {}, body } = scripted;
      const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
