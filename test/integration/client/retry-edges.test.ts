// The client's retry policy at its edges, counted in the simulator's request log: the Retry-After cap is
// compared in one unit (ms) on both sides, the retry limit is exact, and a hibernation page is never
// retried. Backoff is 1 ms and a Retry-After is either 0 or over the cap, so nothing waits.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failureOf, harness, requestsTo, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.faults.clear();
  h.sim.clearLog();
});

describe('Retry-After against the cap', () => {
  it('2 s against a 1.5 s cap: not slept through, fails at once with when to come back', async () => {
    h.sim.faults.add({ kind: 'rate_limit', retryAfterSeconds: 2, match: { table: 'sys_alias' } });
    const now = Date.parse('2026-03-01T10:00:00.000Z');
    const client = h.client({ retry: { maxRetryAfterMs: 1500, baseDelayMs: 1 }, now: () => now });
    const error = await failureOf(client.list('sys_alias'));
    expect(error.failure.code).toBe('rate_limited');
    expect(error.failure.retryAt).toBe('2026-03-01T10:00:02.000Z');
    expect(requestsTo(h.sim, '/sys_alias')).toHaveLength(1);
  });

  it('a Retry-After equal to the cap is still waited out', async () => {
    h.sim.faults.add({ kind: 'rate_limit', retryAfterSeconds: 0, match: { table: 'sys_alias' }, times: 1 });
    const client = h.client({ retry: { maxRetryAfterMs: 0, baseDelayMs: 1 } });
    await client.list('sys_alias', { limit: 1 });
    expect(requestsTo(h.sim, '/sys_alias').map((e) => e.status)).toEqual([429, 200]);
  });
});

describe('the retry limit', () => {
  it('limit N: exactly N + 1 requests when every answer is 503', async () => {
    h.sim.faults.add({ kind: 'status', status: 503, match: { table: 'sys_alias' } });
    for (const limit of [0, 1, 3]) {
      h.sim.clearLog();
      await failureOf(h.client({ retry: { limit, baseDelayMs: 1 } }).list('sys_alias'));
      expect(requestsTo(h.sim, '/sys_alias'), `limit ${limit}`).toHaveLength(limit + 1);
    }
  });

  it('a call that succeeds on its last allowed retry succeeds', async () => {
    h.sim.faults.add({ kind: 'status', status: 503, match: { table: 'sys_alias' }, times: 2 });
    const rows = await h.client({ retry: { limit: 2, baseDelayMs: 1 } }).list('sys_alias', { limit: 1 });
    expect(rows).toHaveLength(1);
    expect(requestsTo(h.sim, '/sys_alias').map((e) => e.status)).toEqual([503, 503, 200]);
  });
});

describe('never retried', () => {
  it('a hibernation page on a GET: one request, failure "hibernating"', async () => {
    h.sim.faults.add({ kind: 'hibernate', match: { table: 'sys_alias' }, times: 1 });
    const error = await failureOf(h.client({ retry: { limit: 3, baseDelayMs: 1 } }).list('sys_alias'));
    expect(error.failure.code).toBe('hibernating');
    expect(requestsTo(h.sim, '/sys_alias')).toHaveLength(1);
  });

  it('a POST answered 429 with a short Retry-After: one request, nothing written', async () => {
    const client = h.client({ retry: { limit: 3, baseDelayMs: 1 } });
    h.sim.faults.add({ kind: 'rate_limit', retryAfterSeconds: 0, match: { method: 'POST' }, times: 1 });
    const error = await failureOf(client.create('oauth_2_0_credentials', { name: 'once' }));
    expect(error.failure.code).toBe('rate_limited');
    expect(requestsTo(h.sim, '/oauth_2_0_credentials', 'POST')).toHaveLength(1);
    expect(h.sim.db.rows('oauth_2_0_credentials').filter((r) => r.name === 'once')).toEqual([]);
  });
});
