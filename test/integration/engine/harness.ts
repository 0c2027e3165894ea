// Shared set-up for the engine's integration tests: a simulator on port 0, the real client, a temp folder.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import type { ApplyRecord } from '../../../src/shared/domain/apply';
import {
  applyPlan,
  buildPlan,
  discover,
  journalPath,
  planRollback,
  type JournalEntry,
  type RetryOptions,
} from '../../../src/main/engine';
import { createApplyStore } from '../../../src/main/engine/apply-store';
import { openWorkspace } from '../../../src/main/workspace';
import { createServiceNowClient, type ServiceNowClient } from '../../../src/main/servicenow';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import type { Plan } from '../../../src/shared/domain/plan';
import type { PlanOptions } from '../../../src/shared/domain/planner';
import {
  startSimulator,
  type ScenarioName,
  type Simulator,
  type SimulatorOptions,
} from '../../../src/main/simulator';

export interface Harness {
  sim: Simulator;
  client: ServiceNowClient;
  dir: string;
  /** A second client (e.g. a fresh process's), with its own options. */
  newClient(options?: Partial<Parameters<typeof createServiceNowClient>[0]>): ServiceNowClient;
  close(): Promise<void>;
}

type HarnessArgs = [
  scenario?: ScenarioName,
  clientOptions?: Partial<Parameters<typeof createServiceNowClient>[0]>,
  user?: 'admin' | 'nonAdmin',
  simOptions?: Omit<SimulatorOptions, 'scenario' | 'host' | 'port'>,
];

/**
 * A harness for the running test (called in it, or in a beforeEach), closed when the test finishes, pass
 * or fail: test files keep no harness variable or afterEach of their own.
 */
export async function startHarness(...args: HarnessArgs): Promise<Harness> {
  const harness = await openHarness(...args);
  onTestFinished(() => harness.close());
  return harness;
}

/**
 * Client options for a test whose instance loses an answer: the client gives up on it after 300 ms and does
 * not send it again itself, so what happens next is the engine's doing (re-read, resend or settle).
 */
export const LOSES_ANSWERS: Partial<Parameters<typeof createServiceNowClient>[0]> = {
  timeouts: { responseMs: 300, requestMs: 600 },
  retry: { limit: 0 },
};

/** A harness the caller closes itself: one shared by a whole file (beforeAll). */
export async function openHarness(
  scenario: ScenarioName = 'fresh',
  clientOptions: Partial<Parameters<typeof createServiceNowClient>[0]> = {},
  user: 'admin' | 'nonAdmin' = 'admin',
  simOptions: Omit<SimulatorOptions, 'scenario' | 'host' | 'port'> = {},
): Promise<Harness> {
  const sim = await startSimulator({ ...simOptions, scenario, host: '127.0.0.1', port: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'spokesmith-engine-'));
  const clients: ServiceNowClient[] = [];
  const newClient = (options: Partial<Parameters<typeof createServiceNowClient>[0]> = {}) => {
    const c = createServiceNowClient({
      instanceUrl: sim.url,
      auth: { kind: 'basic', username: sim.users[user].userName, password: sim.users[user].password },
      retry: { baseDelayMs: 10, maxRetryAfterMs: 2000 },
      ...clientOptions,
      ...options,
    });
    clients.push(c);
    return c;
  };
  const client = newClient();
  return {
    sim,
    client,
    dir,
    newClient,
    async close() {
      for (const c of clients) c.close();
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// --- The spoke's tables and records as the tests name them ---

/** The table of the spoke's HTTP connections. */
export const CONNECTION = 'http_connection';
/** The table of the spoke's OAuth 2.0 credentials. */
export const CREDENTIALS = 'oauth_2_0_credentials';
/** The name of the main connection the default forms create. */
export const MAIN_CONNECTION = 'Exchange_Online_Connection';

// --- What an apply reports ---

/** An apply's step for this action; throws when the record has none, so a test fails by name. */
export const stepOf = (record: ApplyRecord, actionId: string) => {
  const step = record.steps.find((s) => s.actionId === actionId);
  if (!step) throw new Error(`no step ${actionId}`);
  return step;
};

/** The re-read record an apply kept for this action; throws when it kept none. */
export const recordOf = (record: ApplyRecord, actionId: string) => {
  const kept = record.records.find((r) => r.actionId === actionId);
  if (!kept) throw new Error(`no record ${actionId}`);
  return kept;
};

/** Rows of a table on the simulator with this name. */
export function rowsNamed(sim: Simulator, table: string, name: string) {
  return sim.db.filter(table, (r) => r.name === name);
}

export const isWrite = (method: string) =>
  method === 'POST' || method === 'PATCH' || method === 'DELETE' || method === 'PUT';

export interface SentWrite {
  method: string;
  path: string;
  /** The Batch API request that carried it (its index in the log), or null when sent on its own. */
  batch: number | null;
}

/**
 * Every write the simulator saw, in order, whether sent on its own or as an item of a Batch API request
 * (a batch of reads is no write). The stand-in Entra token endpoint's POSTs are requests to Entra, not
 * writes to the instance.
 */
export function writesSent(sim: Simulator): SentWrite[] {
  return sim.log.flatMap((e, index): SentWrite[] => {
    if (e.items) return e.items.filter((i) => isWrite(i.method)).map((i) => ({ ...i, batch: index }));
    return isWrite(e.method) && !e.path.includes('/batch') && !e.path.startsWith('/entra/')
      ? [{ method: e.method, path: e.path, batch: null }]
      : [];
  });
}

export function writeCount(sim: Simulator): number {
  return writesSent(sim).length;
}

/** Writes to this table, however they were sent. */
export function writesTo(sim: Simulator, method: string, table: string): SentWrite[] {
  return writesSent(sim).filter((w) => w.method === method && w.path.endsWith(`/${table}`));
}

/**
 * An instance that refuses the Batch API, so every write is one request of its own: journal and retry
 * promises can be stated per request. The batched path keeps the same promises in batch-writes.test.ts,
 * faults.test.ts and kill.test.ts, where a fault answers a whole batch.
 */
export async function singleRequestHarness(
  clientOptions: Partial<Parameters<typeof createServiceNowClient>[0]> = {},
): Promise<Harness> {
  const harness = await startHarness('fresh', clientOptions);
  harness.sim.faults.add({ kind: 'forbidden', match: { pathIncludes: '/batch' } });
  return harness;
}

/**
 * Discovers the harness's instance and plans `desired` (the default forms) against it; `options` go to
 * buildPlan as they are (e.g. what the keychain holds of the Entra client secret).
 */
export async function planFor(
  harness: Harness,
  desired: DesiredState = defaultDesiredState(),
  options: PlanOptions = {},
): Promise<Plan> {
  const outcome = await discover(harness.client, { desired });
  if (!outcome.ok) throw new Error(outcome.message);
  return buildPlan(outcome.snapshot, desired, new Date(), options);
}

/** The default forms with the stand-in Entra app's tenant and client ID, so the plan writes both registries. */
export function entraDesired(harness: Harness): DesiredState {
  return {
    ...defaultDesiredState(),
    entra: { tenant: harness.sim.entraApp.tenantId, clientId: harness.sim.entraApp.clientId },
  };
}

/** The default forms with the main connection switched off: one update of an existing record. */
export function mainInactive(): DesiredState {
  const desired = defaultDesiredState();
  desired.main = { ...desired.main, active: false };
  return desired;
}

// --- Journals left behind by a process that stopped ---

/**
 * The engine's retry limits for these tests: a Retry-After honoured only up to 1.5 s, and waits that return
 * at once (the limits are judged on the wait asked for, not on time passing), so no test sleeps or races a
 * clock. Tests that state the waits themselves pass their own `sleep` (faults.test.ts).
 */
export const RETRY = {
  maxAttempts: 3,
  maxWaitMs: 1500,
  baseDelayMs: 1,
  sleep: () => Promise.resolve(),
} satisfies RetryOptions;

/** RETRY with every wait the engine asked for between tries recorded in `waits` (it returns at once). */
export function recordingRetry() {
  const waits: number[] = [];
  return { waits, retry: { ...RETRY, sleep: async (ms: number) => void waits.push(ms) } };
}

/** Applies the default forms, so the next plan updates or rolls back records that exist. */
export async function provisioned(harness: Harness): Promise<ApplyRecord> {
  const record = await applyPlan({
    client: harness.client,
    plan: await planFor(harness),
    dir: harness.dir,
    retry: RETRY,
  });
  expect(record.status).toBe('succeeded');
  return record;
}

/** Discovers the harness's instance again and plans the rollback of `applied` against what it holds now. */
export async function rollbackPlanOf(harness: Harness, applied: ApplyRecord): Promise<Plan> {
  const outcome = await discover(harness.client, { desired: defaultDesiredState() });
  if (!outcome.ok) throw new Error(outcome.message);
  return planRollback(applied, outcome.snapshot);
}

/**
 * Leaves in `dir` the journal of an apply whose batch of writes to `table` committed but whose answer never
 * came, and whose settling re-read of `table` failed too: unfinished, as a killed process's would be
 * (faults.test.ts states the engine's side of this). `client` must not send a request again by itself
 * (LOSES_ANSWERS). The simulator's faults and log are cleared afterwards.
 */
export async function leaveInterruptedApply(
  sim: Simulator,
  client: ServiceNowClient,
  dir: string,
  table: typeof CONNECTION | typeof CREDENTIALS,
): Promise<ApplyRecord> {
  sim.faults.add({ kind: 'hang_after_commit', match: { method: 'POST', table }, times: 1 });
  // The discovery batch and the pre-write re-read read it first.
  sim.faults.add({ kind: 'status', status: 500, match: { method: 'GET', table }, skip: 2, times: 1 });
  const desired = defaultDesiredState();
  const discovered = await discover(client, { desired });
  if (!discovered.ok) throw new Error(discovered.message);
  const record = await applyPlan({
    client,
    plan: buildPlan(discovered.snapshot, desired, new Date()),
    dir,
    retry: { ...RETRY, maxAttempts: 1 },
  });
  expect((await createApplyStore(dir).unfinished())?.applyId, 'the journal is left unfinished').toBe(
    record.applyId,
  );
  sim.faults.clear();
  sim.clearLog();
  return record;
}

/**
 * A workspace in the harness's folder with the harness's instance saved in it ("Acme", the admin's basic
 * sign-in; `over` for the rest), for the tests of the operations that take an instance by id.
 */
export async function workspaceWithInstance(harness: Harness, over: { isDemo?: boolean } = {}) {
  const workspace = await openWorkspace(harness.dir);
  const instance = await workspace.instances.save({
    name: 'Acme',
    url: harness.sim.url,
    authMethod: 'basic',
    username: harness.sim.users.admin.userName,
    ...over,
  });
  return { workspace, instance };
}

export const AT = '2026-03-01T10:00:00.000Z';

/** The journal a process leaves when it stops after these entries (each line fsynced, as the engine does). */
export async function leaveJournal(
  dir: string,
  applyId: string,
  entries: JournalEntry[],
  tail = '',
): Promise<string> {
  const file = journalPath(dir, applyId);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, entries.map((e) => `${JSON.stringify(e)}\n`).join('') + tail);
  return file;
}

/** A start line (apply 'a1', an empty plan) for the tests of the journal's own format. */
export const START_A1: Extract<JournalEntry, { t: 'start' }> = {
  t: 'start',
  applyId: 'a1',
  kind: 'apply',
  instanceUrl: 'https://acme.service-now.com',
  startedAt: AT,
  plan: {},
};

export function startEntry(applyId: string, plan: Plan): JournalEntry {
  return { t: 'start', applyId, kind: 'apply', instanceUrl: plan.instanceUrl, startedAt: AT, plan };
}

export function intentEntry(plan: Plan, actionId: string): JournalEntry {
  const action = plan.actions.find((a) => a.id === actionId)!;
  return {
    t: 'intent',
    actionId,
    attempt: 1,
    op: action.op,
    table: action.table,
    sysId: action.sysId,
    body: action.body,
    at: AT,
  };
}
