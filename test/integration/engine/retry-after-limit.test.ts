// A rate limit's Retry-After against the apply's longest wait (src/main/engine/run.ts, maxWaitMs): a wait
// of exactly the limit is still waited out; only one past it fails the step at once. The client and the
// engine are given the same fixed clock, so the wait the instance asks for is exact.
import { expect, it } from 'vitest';
import { applyPlan } from '../../../src/main/engine';
import {
  CONNECTION,
  MAIN_CONNECTION,
  planFor,
  recordingRetry,
  rowsNamed,
  singleRequestHarness,
  stepOf,
  writesTo,
} from './harness';

const NOW = Date.parse('2026-03-01T10:00:00.000Z');

async function applyRateLimited(retryAfterSeconds: number, maxWaitMs: number) {
  const h = await singleRequestHarness({ retry: { limit: 0 }, now: () => NOW });
  const plan = await planFor(h);
  h.sim.faults.add({
    kind: 'rate_limit',
    retryAfterSeconds,
    match: { method: 'POST', table: CONNECTION },
    times: 1,
  });
  const { waits, retry } = recordingRetry();
  const record = await applyPlan({
    client: h.client,
    plan,
    dir: h.dir,
    retry: { ...retry, maxWaitMs },
    now: () => new Date(NOW),
  });
  return { record, waits, h };
}

it('waits out a Retry-After of exactly the longest wait, then sends again', async () => {
  const { record, waits, h } = await applyRateLimited(2, 2000);
  expect(waits).toEqual([2000]);
  expect(record.status).toBe('succeeded');
  expect(writesTo(h.sim, 'POST', CONNECTION)).toHaveLength(3);
  expect(rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)).toHaveLength(1);
});

it('fails the step without waiting when the Retry-After is past the longest wait, by a millisecond', async () => {
  const { record, waits } = await applyRateLimited(2, 1999);
  expect(waits).toEqual([]);
  expect(stepOf(record, 'connection:main')).toMatchObject({ status: 'failed' });
  expect(stepOf(record, 'connection:main').error?.code).toBe('rate_limited');
});
