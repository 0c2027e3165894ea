// HTTPS_PROXY / NO_PROXY through a CONNECT proxy started here. `sn.test` resolves nowhere, so a call to it
// can only succeed through the proxy. process.env is this test file's own (vitest runs files in workers).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failureOf, harness, type Harness } from './helpers';
import { CA_FILE, startConnectProxy, type TestProxy } from './tls-proxy-helpers';

const PROXY_VARS = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
];
const saved = Object.fromEntries(PROXY_VARS.map((k) => [k, process.env[k]]));

let h: Harness;
let proxy: TestProxy;
let authProxy: TestProxy;
beforeAll(async () => {
  h = await harness();
  proxy = await startConnectProxy(h.sim.url);
  authProxy = await startConnectProxy(h.sim.url, { user: 'proxyuser', password: 'proxy-pass-123' });
});
afterAll(async () => {
  await proxy.close();
  await authProxy.close();
  await h.close();
});
beforeEach(() => {
  for (const k of PROXY_VARS) delete process.env[k];
  h.sim.clearLog();
  h.lines.length = 0;
  proxy.connects.length = 0;
  authProxy.connects.length = 0;
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const viaProxy = { instanceUrl: 'https://sn.test:8443', env: { SPOKESMITH_EXTRA_CA_CERTS: CA_FILE } };

describe('proxy', () => {
  it('HTTPS_PROXY carries the calls (CONNECT) to the instance', async () => {
    process.env['HTTPS_PROXY'] = proxy.url;
    const client = h.client(viaProxy);
    const me = await client.whoami();
    expect(me.userName).toBe('admin');
    expect(proxy.connects).toContain('sn.test:8443');
    expect(h.sim.log.length).toBe(client.requestCount);
  });

  it('lower-case https_proxy works the same', async () => {
    process.env['https_proxy'] = proxy.url;
    await h.client(viaProxy).list('sys_alias', { limit: 1 });
    expect(proxy.connects.length).toBeGreaterThan(0);
  });

  it('NO_PROXY sends the call direct (and sn.test does not resolve)', async () => {
    process.env['HTTPS_PROXY'] = proxy.url;
    process.env['NO_PROXY'] = '.test';
    const error = await failureOf(h.client({ ...viaProxy, retry: { limit: 0 } }).list('sys_alias'));
    expect(error.failure.code).toBe('network');
    expect(proxy.connects).toHaveLength(0);
  });

  it('loopback instances are never proxied', async () => {
    process.env['HTTPS_PROXY'] = proxy.url;
    process.env['HTTP_PROXY'] = proxy.url;
    await h.client().list('sys_alias', { limit: 1 });
    expect(proxy.connects).toHaveLength(0);
    expect(h.sim.log).toHaveLength(1);
  });

  it('proxy credentials from the URL are used and never logged', async () => {
    process.env['HTTPS_PROXY'] = authProxy.url.replace('http://', 'http://proxyuser:proxy-pass-123@');
    await h.client(viaProxy).list('sys_alias', { limit: 1 });
    expect(authProxy.connects.length).toBeGreaterThan(0);
    expect(h.lines.some((l) => l.includes('via proxy'))).toBe(true);
    expect(h.lines.join('\n')).not.toContain('proxy-pass-123');
  });

  it('a proxy that refuses (407) → network, naming the proxy', async () => {
    process.env['HTTPS_PROXY'] = authProxy.url;
    const error = await failureOf(h.client({ ...viaProxy, retry: { limit: 0 } }).list('sys_alias'));
    expect(error.failure.code).toBe('network');
    expect(error.message).toMatch(/proxy/i);
    expect(h.sim.log).toHaveLength(0);
  });
});
