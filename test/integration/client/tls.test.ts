// TLS failures and extra CA certificates, with the test CA in test/fixtures/tls.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failureOf, harness, type Harness } from './helpers';
import { CA_FILE, startTlsFront } from './tls-proxy-helpers';

let h: Harness;
let front: Awaited<ReturnType<typeof startTlsFront>>;
let url: string;
beforeAll(async () => {
  h = await harness();
  front = await startTlsFront(h.sim.url);
  url = `https://localhost:${front.port}`;
});
afterAll(async () => {
  await front.close();
  await h.close();
});
beforeEach(() => {
  h.sim.clearLog();
  h.lines.length = 0;
});

describe('TLS', () => {
  it('an untrusted certificate → tls, and a write is certainly not ambiguous', async () => {
    const client = h.client({ instanceUrl: url, env: {} });
    const read = await failureOf(client.list('sys_alias'));
    expect(read.failure.code).toBe('tls');
    expect(read.message).toMatch(/SPOKESMITH_EXTRA_CA_CERTS/);
    const write = await failureOf(client.create('oauth_2_0_credentials', { name: 'x' }));
    expect(write.failure).toMatchObject({ code: 'tls', ambiguous: false });
    expect(h.sim.log).toHaveLength(0);
  });

  it('SPOKESMITH_EXTRA_CA_CERTS adds the CA and the call succeeds', async () => {
    const client = h.client({ instanceUrl: url, env: { SPOKESMITH_EXTRA_CA_CERTS: CA_FILE } });
    const me = await client.whoami();
    expect(me.roles).toContain('admin');
    expect(h.sim.log.length).toBeGreaterThan(0);
  });

  it('NODE_EXTRA_CA_CERTS is honoured too', async () => {
    const client = h.client({ instanceUrl: url, env: { NODE_EXTRA_CA_CERTS: CA_FILE } });
    await expect(client.list('sys_alias', { limit: 1 })).resolves.toHaveLength(1);
  });

  it('an unreadable CA file is reported in the log and the connection still refuses the certificate', async () => {
    const client = h.client({ instanceUrl: url, env: { SPOKESMITH_EXTRA_CA_CERTS: '/nonexistent/ca.pem' } });
    expect(h.lines.some((l) => l.includes('extra CA certificates not loaded') && l.includes('ENOENT'))).toBe(
      true,
    );
    expect((await failureOf(client.list('sys_alias'))).failure.code).toBe('tls');
  });
});
