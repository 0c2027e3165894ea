// Which failures of a write sent on its own src/main/engine/run.ts retries, and how long it waits:
// a gateway's 502 is retried like a 503; a Retry-After within the limit
// is waited out, one past it fails the step at once. Also: a refusal made before sending is a definite
// failure, and a plan this process discovered under the lock is applied without a pre-write re-read.
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/main/engine';
import {
  planFor,
  rowsNamed,
  singleRequestHarness,
  writesSent,
  writesTo,
  type Harness,
  RETRY,
  stepOf,
  CONNECTION,
  MAIN_CONNECTION,
  mainInactive,
  recordingRetry,
  LOSES_ANSWERS,
} from './harness';

const connectionPost = { method: 'POST', table: CONNECTION };

async function applyWithFault(
  fault: Parameters<Harness['sim']['faults']['add']>[0],
  maxWaitMs = RETRY.maxWaitMs,
) {
  const h = await singleRequestHarness({ retry: { limit: 0 } });
  const plan = await planFor(h);
  h.sim.faults.add(fault);
  const { waits, retry } = recordingRetry();
  const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: { ...retry, maxWaitMs } });
  return { record, waits, h };
}

describe('a gateway error on a write sent on its own', () => {
  it('502 is a gateway’s: retried after a re-read, then done', async () => {
    const { record, waits, h } = await applyWithFault({
      kind: 'status',
      status: 502,
      match: connectionPost,
      times: 1,
    });
    expect(record.status).toBe('succeeded');
    expect(waits).toEqual([1]);
    expect(writesTo(h.sim, 'POST', CONNECTION)).toHaveLength(3);
    expect(rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)).toHaveLength(1);
  });
});

describe('a create sent on its own whose answer was lost before it ran', () => {
  it('is re-read by its own name, found absent, and sent again: created once', async () => {
    const h = await singleRequestHarness(LOSES_ANSWERS);
    const plan = await planFor(h);
    // Another connection of someone else's is on the instance: the re-read must not take it for this one.
    h.sim.db.insert(CONNECTION, { name: 'Someone_else_Connection', connection_url: 'https://example.com' });
    // The request never reaches the table.
    h.sim.faults.add({ kind: 'hang', match: connectionPost, times: 1 });
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('succeeded');
    expect(writesTo(h.sim, 'POST', CONNECTION)).toHaveLength(3);
    expect(rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)).toHaveLength(1);
    expect(stepOf(record, 'connection:main')).toMatchObject({
      status: 'done',
      sysId: rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)[0]?.sys_id,
    });
    expect(stepOf(record, 'connection:main').settled).toBeUndefined();
  });
});

describe('a rate limit on a write sent on its own', () => {
  it('with a Retry-After within the limit is waited out (a wait of that length), then sent again', async () => {
    const { record, waits } = await applyWithFault(
      {
        kind: 'rate_limit',
        retryAfterSeconds: 10,
        match: connectionPost,
        times: 1,
      },
      15_000,
    );
    expect(record.status).toBe('succeeded');
    expect(waits).toHaveLength(1);
    // The instance asked for 10 s: what of them is still ahead, never more.
    expect(waits[0]).toBeGreaterThan(5_000);
    expect(waits[0]).toBeLessThanOrEqual(10_000);
  });

  it('with a Retry-After past the limit fails the step after its one attempt, without waiting', async () => {
    const { record, waits } = await applyWithFault({
      kind: 'rate_limit',
      retryAfterSeconds: 3600,
      match: connectionPost,
      times: 1,
    });
    expect(record.status).toBe('failed');
    expect(waits).toEqual([]);
    expect(stepOf(record, 'connection:main')).toMatchObject({
      status: 'failed',
      settled: 'Not written: a re-read proved the change is not on the instance (after 1 attempt).',
    });
    expect(stepOf(record, 'connection:main').error?.code).toBe('rate_limited');
  });
});

describe('an update of a record deleted since the plan', () => {
  it('is a definite failure, not an ambiguous one', async () => {
    const h = await singleRequestHarness();
    expect(
      (await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY })).status,
    ).toBe('succeeded');
    const plan = await planFor(h, mainInactive());
    h.sim.db.delete(CONNECTION, rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)[0]!.sys_id!);
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(stepOf(record, 'connection:main').error).toEqual({
      code: 'unexpected',
      message: `"${MAIN_CONNECTION}" no longer exists on the instance: discover and plan again.`,
      ambiguous: false,
    });
  });
});

describe('a plan this process just discovered (freshPlan)', () => {
  it('is applied without a pre-write re-read, its creates and updates alike, and verified', async () => {
    const h = await singleRequestHarness();
    expect(
      (await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY })).status,
    ).toBe('succeeded');
    // Remove one connection so the plan both creates and updates.
    h.sim.db.delete(
      CONNECTION,
      rowsNamed(h.sim, CONNECTION, 'Exchange_Online_Connection_clientCred')[0]!.sys_id!,
    );
    const plan = await planFor(h, mainInactive());
    expect(plan.actions.filter((a) => a.table === CONNECTION).map((a) => a.op)).toEqual(['update', 'create']);
    h.sim.clearLog();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY, freshPlan: true });
    expect(record.status).toBe('succeeded');
    expect(writesSent(h.sim).map((w) => w.method)).toEqual(['PATCH', 'POST']);
    // Nothing was read before the first write.
    const firstWrite = h.sim.log.findIndex((e) => e.method !== 'GET' && !e.path.includes('/batch'));
    expect(
      h.sim.log.slice(0, firstWrite).filter((e) => e.method === 'GET' || e.path.includes('/batch')),
    ).toEqual([]);
    const main = record.records.find((r) => r.name === MAIN_CONNECTION)!;
    expect(main.before?.['active']).toBe('true');
    expect(main.before?.['sys_id']).toBe(main.sysId);
    expect(record.records.every((r) => r.verified)).toBe(true);
  });
});
