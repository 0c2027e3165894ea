// The `ambiguous` flag: a write whose answer was lost after it was sent may have been committed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failureOf, harness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.faults.clear();
  h.sim.clearLog();
});

describe('ambiguous writes', () => {
  it('hang_after_commit on a POST → timeout, ambiguous, and the record is there', async () => {
    const name = `ambiguous-${Date.now()}`;
    h.sim.faults.add({ kind: 'hang_after_commit', match: { method: 'POST' }, times: 1 });
    const client = h.client({ timeouts: { responseMs: 300, requestMs: 600 } });
    const error = await failureOf(client.create('oauth_2_0_credentials', { name }));
    expect(error.failure).toMatchObject({ code: 'timeout', ambiguous: true });
    expect(error.message).toMatch(/may have been saved/);
    const found = await client.list('oauth_2_0_credentials', { query: `name=${name}`, fields: ['sys_id'] });
    expect(found).toHaveLength(1);
  });

  it('hang_after_commit on a PATCH → ambiguous', async () => {
    const client = h.client({ timeouts: { responseMs: 300, requestMs: 600 } });
    const created = await client.create('oauth_2_0_credentials', { name: `p-${Date.now()}` });
    h.sim.faults.add({ kind: 'hang_after_commit', match: { method: 'PATCH' }, times: 1 });
    const error = await failureOf(
      client.update('oauth_2_0_credentials', created['sys_id'] ?? '', { order: '200' }),
    );
    expect(error.failure).toMatchObject({ code: 'timeout', ambiguous: true });
  });

  it('a reset after the body was sent → network, ambiguous', async () => {
    h.sim.faults.add({ kind: 'reset', match: { method: 'POST' }, times: 1 });
    const error = await failureOf(h.client().create('oauth_2_0_credentials', { name: 'reset' }));
    expect(error.failure).toMatchObject({ code: 'network', ambiguous: true });
  });

  it('a hung GET is not ambiguous', async () => {
    h.sim.faults.add({ kind: 'hang', times: 1 });
    const error = await failureOf(
      h.client({ timeouts: { responseMs: 200 }, retry: { limit: 0 } }).list('sys_alias'),
    );
    expect(error.failure).toMatchObject({ code: 'timeout', ambiguous: false });
  });

  it('an answered failure is not ambiguous', async () => {
    h.sim.faults.add({ kind: 'status', status: 502, match: { method: 'POST' } });
    const error = await failureOf(h.client().create('oauth_2_0_credentials', { name: 'answered' }));
    expect(error.failure.ambiguous).toBe(false);
  });

  it('a write cancelled by the caller before sending is not ambiguous', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failureOf(
      h.client({ signal: controller.signal }).create('oauth_2_0_credentials', { name: 'c' }),
    );
    expect(error.cancelled).toBe(true);
    expect(error.failure.ambiguous).toBe(false);
    expect(h.sim.log).toHaveLength(0);
  });
});
