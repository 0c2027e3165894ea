// Batched writes in the engine: an instance that refuses the Batch API keeps working with single
// requests (asked once per client), and items the batch quota leaves unrun are retried only after a
// re-read proves them absent. Every record exactly once, every item journaled on its own.
import { describe, expect, it } from 'vitest';
import { applyPlan, buildPlan, discover, readJournal, journalPath } from '../../../src/main/engine';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import type { Plan } from '../../../src/shared/domain/plan';
import type { ServiceNowClient } from '../../../src/main/servicenow';
import { rowsNamed, startHarness, writesSent, type Harness } from './harness';

const NAMES = [
  ['oauth_2_0_credentials', 'Exchange_Online_Credentials'],
  ['oauth_2_0_credentials', 'Exchange_Online_Credentials_clientCred'],
  ['http_connection', 'Exchange_Online_Connection'],
  ['http_connection', 'Exchange_Online_Connection_clientCred'],
] as const;

async function planFor(client: ServiceNowClient): Promise<Plan> {
  const desired = defaultDesiredState();
  const outcome = await discover(client, { desired });
  if (!outcome.ok) throw new Error(outcome.message);
  return buildPlan(outcome.snapshot, desired, new Date());
}

const batchRequests = (sim: Harness['sim']) => sim.log.filter((e) => e.path.includes('/batch'));

describe('an instance that refuses the Batch API', () => {
  it('(403 on the batch) gets single requests, and is asked only once per client', async () => {
    const h = await startHarness('fresh');
    // The plan comes from another client (another process's discovery), so the apply's own client
    // meets the refusal first, on its credential write batch.
    const plan = await planFor(h.newClient());
    h.sim.faults.add({ kind: 'forbidden', match: { pathIncludes: '/batch' } });
    h.sim.clearLog();
    const record = await applyPlan({
      client: h.newClient(),
      plan,
      dir: h.dir,
      freshPlan: true,
      retry: { baseDelayMs: 1 },
    });
    expect(record.status).toBe('succeeded');
    expect(record.verification?.ok).toBe(true);
    for (const [table, name] of NAMES) expect(rowsNamed(h.sim, table, name)).toHaveLength(1);
    // The refused batch ran nothing; then every write went on its own, once.
    expect(writesSent(h.sim).map((w) => (w.batch === null ? 'single' : 'refused batch'))).toEqual([
      'refused batch',
      'refused batch',
      'single',
      'single',
      'single',
      'single',
    ]);
    // One refused batch (the credentials'); the connections and the verification never asked again.
    expect(batchRequests(h.sim).map((e) => e.status)).toEqual([403]);
    expect(batchRequests(h.sim)[0]?.items?.map((i) => i.status)).toEqual([0, 0]);
    // The refused batch's intents are on disk, then the single attempts: nothing was sent blind.
    const journal = await readJournal(journalPath(h.dir, record.applyId));
    const attempts = (id: string) =>
      journal.entries.flatMap((e) => (e.t === 'intent' && e.actionId === id ? [e.attempt] : []));
    expect(attempts('credential:main')).toEqual([1, 2]);
    expect(attempts('connection:main')).toEqual([1]);
  });

  it('discovery learns the refusal, and the apply with the same client does not ask again', async () => {
    const h = await startHarness('fresh');
    h.sim.faults.add({ kind: 'forbidden', match: { pathIncludes: '/batch' } });
    const plan = await planFor(h.client);
    const record = await applyPlan({ client: h.client, plan, dir: h.dir });
    expect(record.status).toBe('succeeded');
    expect(batchRequests(h.sim)).toHaveLength(1);
    for (const [table, name] of NAMES) expect(rowsNamed(h.sim, table, name)).toHaveLength(1);
  });
});

describe('the batch quota leaves items unrun', () => {
  it('unrun items are re-read, proved absent, and sent again: each record exactly once', async () => {
    // Each item takes 60 ms and the batch may run 50 ms: only the first item of each batch runs. That
    // would cut discovery's batch short too, so the plan is made on a twin instance (the same seeded
    // records, hence the same sys_ids) without the quota.
    const twin = await startHarness('fresh');
    let plan: Plan;
    try {
      plan = await planFor(twin.client);
    } finally {
      await twin.close();
    }
    const h = await startHarness('fresh', {}, 'admin', { batchTimeLimitMs: 50, batchItemLatencyMs: 60 });
    plan = { ...plan, instanceUrl: h.sim.url };
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: { maxAttempts: 3, baseDelayMs: 1 },
    });
    expect(record.status).toBe('succeeded');
    expect(record.verification?.ok).toBe(true);
    for (const [table, name] of NAMES) expect(rowsNamed(h.sim, table, name)).toHaveLength(1);
    // Four creates sent, never more: the unrun ones were sent again only once proved absent.
    const created = h.sim.log.flatMap((e) => (e.items ?? []).filter((i) => i.method === 'POST'));
    expect(created.filter((i) => i.status === 201)).toHaveLength(4);
    expect(created.filter((i) => i.status === 0).length).toBeGreaterThan(0);
    const journal = await readJournal(journalPath(h.dir, record.applyId));
    const attempts = journal.entries.flatMap((e) =>
      e.t === 'intent' && e.actionId === 'credential:clientCred' ? [e.attempt] : [],
    );
    expect(attempts).toEqual([1, 2]);
  });
});
