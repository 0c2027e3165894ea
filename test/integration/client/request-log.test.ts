// The trail every call leaves in the log (src/main/servicenow/executor.ts): what was asked of which instance,
// how it ended and how long it took, on an injected clock that advances 10 ms per reading, so each duration
// is exact.
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/main/log';
import { createServiceNowClient, type ClientOptions } from '../../../src/main/servicenow';
import { failureOf, scriptedInstance, type ScriptedAnswer, type SeenRequest } from './helpers';

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function loggedClient(url: string, overrides: Partial<ClientOptions> = {}) {
  const lines: string[] = [];
  let clock = Date.parse('2026-03-01T10:00:00.000Z');
  const client = createServiceNowClient({
    instanceUrl: url,
    auth: { kind: 'basic', username: 'admin', password: 'pw' },
    retry: { limit: 0, baseDelayMs: 1 },
    logger: createLogger({ sink: (line) => lines.push(line), level: 'info' }),
    env: {},
    now: () => (clock += 10),
    ...overrides,
  });
  closers.push(() => client.close());
  const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { client, entries, host: new URL(url).host };
}

async function instance(answer: (request: SeenRequest) => ScriptedAnswer | null) {
  const scripted = await scriptedInstance(answer);
  closers.push(() => scripted.close());
  return scripted;
}

describe('the request log', () => {
  it('an answered request: method, host, path, retry number, status and duration', async () => {
    const { url } = await instance(() => ({ body: { result: [] } }));
    const { client, entries, host } = loggedClient(url);
    await client.list('sys_alias');
    expect(entries()).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'servicenow request',
        method: 'GET',
        host,
        path: '/api/now/table/sys_alias',
        retry: 0,
        status: 200,
        durationMs: 10,
      }),
    ]);
  });

  it('a request that got no answer: its error code, no phase, and duration', async () => {
    const closed = await instance(() => null);
    await closed.close();
    const { client, entries, host } = loggedClient(closed.url);
    await failureOf(client.list('sys_alias'));
    const [entry] = entries();
    expect(entry).toEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'servicenow request failed',
        method: 'GET',
        host,
        path: '/api/now/table/sys_alias',
        retry: 0,
        error: 'ECONNREFUSED',
        durationMs: 10,
      }),
    );
    expect(entry).not.toHaveProperty('phase');
  });

  it('a timeout names its phase', async () => {
    const { url } = await instance(() => null);
    const { client, entries } = loggedClient(url, { timeouts: { responseMs: 50 } });
    await failureOf(client.list('sys_alias'));
    expect(entries()[0]).toMatchObject({
      msg: 'servicenow request failed',
      error: 'ETIMEDOUT',
      phase: 'response',
    });
  });

  it('an answer too large: its size, the limit and the duration', async () => {
    const { url } = await instance(() => ({ body: { result: [{ name: 'x'.repeat(100) }] } }));
    const { client, entries } = loggedClient(url, { maxResponseBytes: 50 });
    await failureOf(client.list('sys_alias'));
    expect(entries()[0]).toMatchObject({
      level: 'warn',
      msg: 'servicenow answer too large',
      path: '/api/now/table/sys_alias',
      limitBytes: 50,
      durationMs: 10,
    });
  });

  it('a re-authentication after a 401 says which call it was for', async () => {
    let tableCalls = 0;
    const { url } = await instance((r) =>
      r.path === '/oauth_token.do'
        ? { body: { access_token: 'token-7f3a9c', expires_in: 1800 } }
        : ++tableCalls === 1
          ? { status: 401, body: { error: { message: 'token expired' }, status: 'failure' } }
          : { body: { result: [] } },
    );
    const oauth = {
      kind: 'oauth',
      clientId: 'spokesmith',
      clientSecret: 'client-secret-91c2',
      username: 'admin',
      password: 'password-4d7e',
    } as const;
    const { client, entries, host } = loggedClient(url, { auth: oauth });
    await client.list('sys_alias');
    expect(entries().filter((e) => e['msg'] === 'servicenow re-authenticating after 401')).toEqual([
      expect.objectContaining({ level: 'info', method: 'GET', host, path: '/api/now/table/sys_alias' }),
    ]);
  });

  it('a retry says which call waits and for how long', async () => {
    let calls = 0;
    const { url } = await instance(() =>
      ++calls === 1 ? { status: 503, body: {} } : { body: { result: [] } },
    );
    const { client, entries, host } = loggedClient(url, {
      retry: { limit: 1, baseDelayMs: 2 },
      random: () => 1,
    });
    await client.list('sys_alias');
    expect(entries().filter((e) => e['msg'] === 'servicenow retry')).toEqual([
      expect.objectContaining({
        level: 'info',
        method: 'GET',
        host,
        path: '/api/now/table/sys_alias',
        delayMs: 2,
      }),
    ]);
    expect(
      entries()
        .filter((e) => e['msg'] === 'servicenow request')
        .map((e) => e['retry']),
    ).toEqual([0, 1]);
  });
});
