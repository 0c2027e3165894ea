// Retry behaviour, counted in the simulator's request log: only idempotent calls are sent again.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tableUrl } from '../../../src/main/servicenow';
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

describe('retries', () => {
  it('a GET answered 429 with Retry-After is sent again and succeeds', async () => {
    h.sim.faults.add({ kind: 'rate_limit', retryAfterSeconds: 0, match: { table: 'sys_alias' }, times: 1 });
    const client = h.client();
    const rows = await client.list('sys_alias', { fields: ['name'] });
    expect(rows.length).toBeGreaterThan(0);
    expect(requestsTo(h.sim, '/sys_alias').map((e) => e.status)).toEqual([429, 200]);
    expect(client.requestCount).toBe(2);
  });

  it('a GET answered 429 without Retry-After backs off and succeeds', async () => {
    h.sim.faults.add({
      kind: 'rate_limit',
      retryAfterSeconds: null,
      match: { table: 'sys_alias' },
      times: 2,
    });
    await h.client().list('sys_alias');
    expect(requestsTo(h.sim, '/sys_alias').map((e) => e.status)).toEqual([429, 429, 200]);
    expect(h.lines.filter((l) => l.includes('"msg":"servicenow retry"')).length).toBeGreaterThanOrEqual(2);
  });

  it('a GET answered 503 then 200 succeeds', async () => {
    h.sim.faults.add({ kind: 'status', status: 503, times: 1 });
    await expect(h.client().get('sys_alias', '0123456789abcdef0123456789abcdef')).resolves.toBeNull();
    expect(h.sim.log.map((e) => e.status)).toEqual([503, 404]);
  });

  it('a Retry-After beyond the cap fails at once with rate_limited and retryAt', async () => {
    h.sim.faults.add({ kind: 'rate_limit', retryAfterSeconds: 3600 });
    const before = Date.now();
    const client = h.client({ retry: { maxRetryAfterMs: 1000 } });
    const error = await failureOf(client.list('sys_alias'));
    expect(error.failure.code).toBe('rate_limited');
    expect(Date.parse(error.failure.retryAt ?? '')).toBeGreaterThanOrEqual(before + 3_599_000);
    expect(h.sim.log).toHaveLength(1);
  });

  it('gives up after the retry limit', async () => {
    h.sim.faults.add({ kind: 'status', status: 502 });
    const error = await failureOf(h.client({ retry: { limit: 2, baseDelayMs: 1 } }).list('sys_alias'));
    expect(error.failure).toMatchObject({ code: 'unexpected', status: 502 });
    expect(h.sim.log).toHaveLength(3);
  });

  it('a reset GET is retried', async () => {
    h.sim.faults.add({ kind: 'reset', times: 1 });
    await h.client().list('sys_alias');
    expect(h.sim.log.map((e) => e.status)).toEqual([0, 200]);
  });

  it('a POST is never retried (503, 429, reset)', async () => {
    const client = h.client();
    for (const fault of [
      { kind: 'status', status: 503 },
      { kind: 'rate_limit', retryAfterSeconds: 0 },
      { kind: 'reset' },
    ] as const) {
      h.sim.faults.clear();
      h.sim.clearLog();
      h.sim.faults.add({ ...fault, match: { method: 'POST' } });
      await failureOf(client.create('oauth_2_0_credentials', { name: `never-retried-${fault.kind}` }));
      expect(requestsTo(h.sim, '/oauth_2_0_credentials', 'POST')).toHaveLength(1);
    }
  });

  it('a PATCH is never retried', async () => {
    const client = h.client();
    const [alias] = await client.list('sys_alias', { fields: ['sys_id'], limit: 1 });
    h.sim.faults.add({ kind: 'status', status: 502, match: { method: 'PATCH' } });
    await failureOf(client.update('sys_alias', alias?.sys_id ?? '', { description: 'x' }));
    expect(requestsTo(h.sim, '/sys_alias', 'PATCH')).toHaveLength(1);
  });

  it('a DELETE is retried like a GET', async () => {
    const client = h.client();
    const created = await client.create('oauth_2_0_credentials', { name: 'to-delete' });
    h.sim.faults.add({ kind: 'status', status: 503, match: { method: 'DELETE' }, times: 1 });
    await client.remove('oauth_2_0_credentials', created['sys_id'] ?? '');
    expect(requestsTo(h.sim, '/oauth_2_0_credentials', 'DELETE').map((e) => e.status)).toEqual([503, 204]);
    await expect(client.get('oauth_2_0_credentials', created['sys_id'] ?? '')).resolves.toBeNull();
  });

  it('an all-GET batch is retried; a batch with a write is not', async () => {
    const client = h.client();
    h.sim.faults.add({ kind: 'status', status: 503, match: { pathIncludes: '/batch' }, times: 1 });
    const reads = await client.batch([{ id: 'a', method: 'GET', url: tableUrl('sys_alias', { limit: 1 }) }]);
    expect(reads[0]?.ok).toBe(true);
    expect(requestsTo(h.sim, '/batch')).toHaveLength(2);

    h.sim.clearLog();
    h.sim.faults.add({ kind: 'status', status: 503, match: { pathIncludes: '/batch' }, times: 1 });
    await failureOf(
      client.batch([
        { id: 'a', method: 'GET', url: tableUrl('sys_alias', { limit: 1 }) },
        { id: 'b', method: 'POST', url: '/api/now/table/oauth_2_0_credentials', body: { name: 'batched' } },
      ]),
    );
    expect(requestsTo(h.sim, '/batch')).toHaveLength(1);
  });
});
