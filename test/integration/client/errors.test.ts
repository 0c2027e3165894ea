// Every failure code the simulator can produce, through the real client and socket.
import { createServer } from 'node:net';
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

describe('error mapping against the simulator', () => {
  it('a wrong password → bad_credentials (401), without a retry', async () => {
    const client = h.client({ auth: { kind: 'basic', username: 'admin', password: 'wrong-password' } });
    const error = await failureOf(client.list('sys_alias'));
    expect(error.failure).toMatchObject({ code: 'bad_credentials', status: 401, ambiguous: false });
    expect(client.requestCount).toBe(1);
  });

  it('a 401 with X-MFA_TOKEN: invalid → mfa_required, never reported as a wrong password', async () => {
    h.sim.faults.add({ kind: 'mfa_required', times: 1 });
    const error = await failureOf(h.client().list('sys_alias'));
    expect(error.failure).toMatchObject({ code: 'mfa_required', status: 401 });
    expect(error.failure.message).not.toMatch(/password/i);
  });

  it('an unauthorized fault → bad_credentials', async () => {
    h.sim.faults.add({ kind: 'unauthorized', times: 1 });
    const error = await failureOf(h.client().list('sys_alias'));
    expect(error.failure.code).toBe('bad_credentials');
  });

  it('a 403 → forbidden, with the instance message', async () => {
    h.sim.faults.add({
      kind: 'forbidden',
      message: 'Insert aborted by rule X',
      match: { method: 'POST' },
      times: 1,
    });
    const error = await failureOf(h.client().create('oauth_2_0_credentials', { name: 'x' }));
    expect(error.failure).toMatchObject({ code: 'forbidden', status: 403, ambiguous: false });
    expect(error.failure.instanceMessage).toContain('Insert aborted by rule X');
    expect(error.message).toContain('Insert aborted by rule X');
  });

  it('a business-rule abort on a real write → forbidden naming the rule', async () => {
    const client = h.client();
    const [alias] = await client.list('sys_alias', {
      query: 'name=Microsoft_Exchange_Online',
      fields: ['sys_id'],
    });
    const body = {
      name: `Dup_${Date.now()}`,
      connection_url: 'https://graph.microsoft.com',
      active: 'false',
    };
    await client.create('http_connection', { ...body, connection_alias: alias?.sys_id ?? '' });
    const error = await failureOf(
      client.create('http_connection', { ...body, connection_alias: alias?.sys_id ?? '' }),
    );
    expect(error.failure.code).toBe('forbidden');
    expect(error.failure.instanceMessage).toMatch(/already exists/);
  });

  it('a missing record → not_found on update, null on get, success on remove', async () => {
    const client = h.client();
    const missing = '0123456789abcdef0123456789abcdef';
    const error = await failureOf(client.update('sys_alias', missing, { description: 'x' }));
    expect(error.failure.code).toBe('not_found');
    expect(error.message).toMatch(/ACL/);
    await expect(client.get('sys_alias', missing)).resolves.toBeNull();
    await expect(client.remove('oauth_2_0_credentials', missing)).resolves.toBeUndefined();
  });

  it('a 429 on a write → rate_limited with retryAt, not retried', async () => {
    h.sim.faults.add({ kind: 'rate_limit', retryAfterSeconds: 120, match: { method: 'POST' } });
    const before = Date.now();
    const error = await failureOf(h.client().create('oauth_2_0_credentials', { name: 'rl' }));
    expect(error.failure).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(Date.parse(error.failure.retryAt ?? '')).toBeGreaterThanOrEqual(before + 119_000);
    expect(requestsTo(h.sim, '/oauth_2_0_credentials', 'POST')).toHaveLength(1);
  });

  it('a hibernating instance → hibernating, never a credential problem', async () => {
    h.sim.faults.add({ kind: 'hibernate' });
    const error = await failureOf(h.client().whoami());
    expect(error.failure.code).toBe('hibernating');
    expect(error.message).toMatch(/developer portal/);
  });

  it('a quota-cancelled read (200 + status:failure) → transaction_cancelled', async () => {
    h.sim.faults.add({ kind: 'quota_cancel', match: { table: 'sys_alias' } });
    const error = await failureOf(h.client().list('sys_alias'));
    expect(error.failure).toMatchObject({ code: 'transaction_cancelled', status: 200, ambiguous: false });
    expect(error.failure.instanceMessage).toMatch(/Transaction cancelled/);
  });

  it('a quota-cancelled write is reported as possibly saved', async () => {
    h.sim.faults.add({ kind: 'quota_cancel', match: { method: 'POST' } });
    const error = await failureOf(h.client().create('oauth_2_0_credentials', { name: 'qc' }));
    expect(error.failure).toMatchObject({ code: 'transaction_cancelled', ambiguous: true });
  });

  it('a 500 "Transaction cancelled" → transaction_cancelled', async () => {
    h.sim.faults.add({ kind: 'status', status: 500, match: { method: 'POST' } });
    const error = await failureOf(h.client().create('oauth_2_0_credentials', { name: 'x' }));
    expect(error.failure).toMatchObject({ code: 'transaction_cancelled', status: 500 });
  });

  it('a 503 page from the load balancer → unexpected after the retries, not hibernating', async () => {
    h.sim.faults.add({ kind: 'status', status: 503 });
    const client = h.client({ retry: { limit: 1, baseDelayMs: 1 } });
    const error = await failureOf(client.list('sys_alias'));
    expect(error.failure).toMatchObject({ code: 'unexpected', status: 503 });
    expect(requestsTo(h.sim, '/sys_alias')).toHaveLength(2);
  });

  it('a reset connection → network', async () => {
    h.sim.faults.add({ kind: 'reset' });
    const error = await failureOf(h.client({ retry: { limit: 0 } }).list('sys_alias'));
    expect(error.failure.code).toBe('network');
  });

  it('no answer → timeout', async () => {
    h.sim.faults.add({ kind: 'hang', times: 1 });
    const client = h.client({ timeouts: { responseMs: 200, requestMs: 400 }, retry: { limit: 0 } });
    const error = await failureOf(client.list('sys_alias'));
    expect(error.failure).toMatchObject({ code: 'timeout', ambiguous: false });
  });

  it('nobody listening → network, and a write is certainly not ambiguous', async () => {
    const port = await closedPort();
    const client = h.client({ instanceUrl: `http://127.0.0.1:${port}` });
    const error = await failureOf(client.create('oauth_2_0_credentials', { name: 'x' }));
    expect(error.failure).toMatchObject({ code: 'network', ambiguous: false });
    expect(error.message).toMatch(/refused/);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
