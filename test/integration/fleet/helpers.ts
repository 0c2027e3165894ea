import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import { createServiceNowClient, type ServiceNowClient } from '../../../src/main/servicenow';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../src/main/simulator';
import { openWorkspace, type Workspace } from '../../../src/main/workspace';
import type { FleetTarget } from '../../../src/main/fleet';

export interface Fleet {
  dir: string;
  workspace: Workspace;
  sims: Simulator[];
  ids: string[];
  clients: ServiceNowClient[];
  targets: () => FleetTarget[];
  close: () => Promise<void>;
}

/** N simulators, each listed in a fresh workspace, with one client each. */
export async function startFleet(count: number, options: SimulatorOptions = {}): Promise<Fleet> {
  const dir = await mkdtemp(join(tmpdir(), 'spokesmith-fleet-'));
  const workspace = await openWorkspace(join(dir, 'ws'));
  const sims = await Promise.all(
    Array.from({ length: count }, () => startSimulator({ scenario: 'fresh', ...options })),
  );
  const ids: string[] = [];
  const clients: ServiceNowClient[] = [];
  for (const [index, sim] of sims.entries()) {
    const saved = await workspace.instances.save({
      name: `Customer ${index + 1}`,
      url: sim.url,
      authMethod: 'basic',
      username: sim.users.admin.userName,
    });
    ids.push(saved.id);
    clients.push(clientFor(sim));
  }
  return {
    dir,
    workspace,
    sims,
    ids,
    clients,
    targets: () =>
      ids.map((instanceId, i) => ({
        instanceId,
        client: clients[i]!,
        desired: defaultDesiredState(),
      })),
    async close() {
      for (const c of clients) c.close();
      await Promise.all(sims.map((s) => s.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function clientFor(sim: Simulator, timeouts = { connectMs: 2000, responseMs: 3000, requestMs: 4000 }) {
  return createServiceNowClient({
    instanceUrl: sim.url,
    auth: { kind: 'basic', username: sim.users.admin.userName, password: sim.users.admin.password },
    timeouts,
    retry: { limit: 1, baseDelayMs: 10 },
  });
}

export function connectionNames(sim: Simulator): string[] {
  return sim.db
    .rows('http_connection')
    .map((r) => r.name ?? '')
    .sort();
}

export function credentialNames(sim: Simulator): string[] {
  return sim.db
    .rows('oauth_2_0_credentials')
    .map((r) => r.name ?? '')
    .sort();
}

/**
 * Calls `listener` with each request the simulator logs, as it is logged: lets a test act at a point of
 * the run (after the n-th write, during verification) instead of after a guessed delay.
 */
export function onRequest(sim: Simulator, listener: (entry: Simulator['log'][number]) => void): () => void {
  const log = sim.log as Simulator['log'][number][];
  const push = log.push;
  log.push = (...entries) => {
    const length = push.apply(log, entries);
    for (const entry of entries) listener(entry);
    return length;
  };
  return () => {
    log.push = push;
  };
}

/**
 * How many record writes a logged request carries: the write items of a Batch API request (the engine
 * sends a wave of writes as one batch), or 1 for a single write; 0 for reads and token requests.
 */
export const writesIn = (entry: Simulator['log'][number]): number => {
  if (entry.items) return entry.items.filter((item) => item.method !== 'GET').length;
  return entry.method !== 'GET' && !entry.path.includes('/batch') && !entry.path.includes('oauth_token')
    ? 1
    : 0;
};
