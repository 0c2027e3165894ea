// No credential ever reaches an error (message, stack, JSON, util.inspect) or a log line, whatever fails.
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../../../src/main/simulator';
import { failureOf, harness, type Harness } from './helpers';

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

function forbiddenTexts(user: string, password: string, extra: string[] = []): string[] {
  const basic = Buffer.from(`${user}:${password}`).toString('base64');
  return [password, encodeURIComponent(password), basic, 'Basic ', 'Bearer ', 'JSESSIONID=', ...extra];
}

function everything(error: unknown, lines: string[]): string {
  const e = error as Error;
  return [
    e.message,
    e.stack ?? '',
    JSON.stringify(error),
    inspect(error, { depth: 10, showHidden: true }),
    ...lines,
  ].join('\n');
}

const FAULTS: FaultSpec[] = [
  { kind: 'unauthorized' },
  { kind: 'status', status: 500 },
  { kind: 'status', status: 503 },
  { kind: 'reset' },
  { kind: 'hang' },
  { kind: 'hibernate' },
  { kind: 'quota_cancel' },
  { kind: 'forbidden' },
  { kind: 'rate_limit', retryAfterSeconds: 3600 },
];

describe('no secret leaves the client', () => {
  it.each(FAULTS.map((f) => [f.kind + ('status' in f ? String(f.status) : ''), f] as const))(
    'basic auth, %s',
    async (_name, fault) => {
      // A password that also appears inside a URL-encoded form and would survive naive masking.
      const password = 'Pa$$ w0rd/+=%sekrit';
      h.sim.faults.add(fault);
      const client = h.client({
        auth: { kind: 'basic', username: 'admin', password },
        timeouts: { responseMs: 150, requestMs: 300 },
        retry: { limit: 1, baseDelayMs: 1, maxRetryAfterMs: 10 },
      });
      const error = await failureOf(client.create('oauth_2_0_credentials', { name: 'x' }));
      const text = everything(error, h.lines);
      expect(h.lines.length).toBeGreaterThan(0);
      for (const secret of forbiddenTexts('admin', password)) expect(text).not.toContain(secret);
    },
  );

  it('OAuth: neither the client secret nor the password nor a token shows, on a failed grant or a failed call', async () => {
    const { clientId, clientSecret } = h.sim.oauthClient;
    const { userName, password } = h.sim.users.admin;
    const good = h.client({ auth: { kind: 'oauth', clientId, clientSecret, username: userName, password } });
    await good.list('sys_alias', { limit: 1 });
    h.sim.faults.add({ kind: 'status', status: 500, match: { table: 'sys_alias' } });
    const callError = await failureOf(good.list('sys_alias'));

    const bad = h.client({
      auth: { kind: 'oauth', clientId, clientSecret: `${clientSecret}-wrong`, username: userName, password },
    });
    const grantError = await failureOf(bad.whoami());

    const text = everything(callError, h.lines) + everything(grantError, []);
    for (const secret of forbiddenTexts(userName, password, [
      clientSecret,
      `${clientSecret}-wrong`,
      'access_token',
    ])) {
      expect(text).not.toContain(secret);
    }
  });

  it('logs method, host, path, status, duration and retry for each request', async () => {
    h.sim.faults.add({ kind: 'status', status: 503, times: 1 });
    await h.client().list('sys_alias', { limit: 1 });
    const entries = h.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e['msg'] === 'servicenow request');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      method: 'GET',
      path: '/api/now/table/sys_alias',
      status: 503,
      retry: 0,
    });
    expect(entries[1]).toMatchObject({ status: 200, retry: 1 });
    expect(typeof entries[1]?.['durationMs']).toBe('number');
    expect(entries[1]?.['host']).toBe(new URL(h.sim.url).host);
    for (const entry of entries)
      expect(Object.keys(entry).some((k) => /header|body|query/i.test(k))).toBe(false);
  });
});
