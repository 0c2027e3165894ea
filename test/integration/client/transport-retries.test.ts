// A connection cut before any answer is retried on an idempotent call exactly as often as the policy says,
// after a backoff that doubles per retry; a write never (docs/reliability.md §3.2). Counted in the
// simulator's request log; the backoff is milliseconds with an injected random.
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
  h.lines.length = 0;
});

const retryDelays = () =>
  h.lines
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((e) => e['msg'] === 'servicenow retry')
    .map((e) => e['delayMs']);

describe('a reset connection', () => {
  it('limit N: a GET reset every time is sent exactly N + 1 times, then fails as a network failure', async () => {
    h.sim.faults.add({ kind: 'reset', match: { table: 'sys_alias' } });
    for (const limit of [0, 2]) {
      h.sim.clearLog();
      const error = await failureOf(h.client({ retry: { limit, baseDelayMs: 1 } }).list('sys_alias'));
      expect(error.failure.code, `limit ${limit}`).toBe('network');
      expect(requestsTo(h.sim, '/sys_alias'), `limit ${limit}`).toHaveLength(limit + 1);
    }
  });

  it('waits a backoff that doubles per retry', async () => {
    h.sim.faults.add({ kind: 'reset', match: { table: 'sys_alias' }, times: 2 });
    await h.client({ retry: { limit: 2, baseDelayMs: 2 }, random: () => 1 }).list('sys_alias', { limit: 1 });
    expect(retryDelays()).toEqual([2, 4]);
    expect(requestsTo(h.sim, '/sys_alias')).toHaveLength(3);
  });

  it('a DELETE is retried like a GET; a PATCH is not', async () => {
    const client = h.client({ retry: { limit: 1, baseDelayMs: 1 } });
    const created = await client.create('oauth_2_0_credentials', { name: 'reset-delete' });
    const sysId = created['sys_id'] ?? '';
    h.sim.faults.add({ kind: 'reset', match: { method: 'PATCH' } });
    await failureOf(client.update('oauth_2_0_credentials', sysId, { name: 'renamed' }));
    expect(requestsTo(h.sim, '/oauth_2_0_credentials', 'PATCH')).toHaveLength(1);
    h.sim.faults.add({ kind: 'reset', match: { method: 'DELETE' }, times: 1 });
    await client.remove('oauth_2_0_credentials', sysId);
    expect(requestsTo(h.sim, '/oauth_2_0_credentials', 'DELETE')).toHaveLength(2);
    await expect(client.get('oauth_2_0_credentials', sysId)).resolves.toBeNull();
  });
});
