// The call loop (src/main/servicenow/executor.ts) at its edges, against a scripted instance on 127.0.0.1:
// cancelling a call in flight or while it waits to retry, a hibernation page whatever its status, the delay
// it waits before a retry, the answer size limit to the byte, what every request carries and how it is logged.
// Backoff is a few milliseconds with an injected random, so nothing races a clock.
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/main/log';
import { createServiceNowClient, type ClientOptions } from '../../../src/main/servicenow';
import { failureOf, scriptedInstance, type ScriptedAnswer, type SeenRequest } from './helpers';

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function instance(answer: (request: SeenRequest) => ScriptedAnswer | null) {
  const scripted = await scriptedInstance(answer);
  closers.push(() => scripted.close());
  const lines: string[] = [];
  const client = (overrides: Partial<ClientOptions> = {}) => {
    const c = createServiceNowClient({
      instanceUrl: scripted.url,
      auth: { kind: 'basic', username: 'admin', password: 'pw' },
      retry: { limit: 3, baseDelayMs: 1 },
      logger: createLogger({ sink: (line) => lines.push(line), level: 'debug' }),
      env: {},
      ...overrides,
    });
    closers.push(() => c.close());
    return c;
  };
  const logged = (msg: string) =>
    lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e['msg'] === msg);
  return { requests: scripted.requests, client, logged };
}

const EMPTY_LIST = { body: { result: [] } };

describe('cancelling a call', () => {
  it('a read in flight stops at once: cancelled, not ambiguous, sent once', async () => {
    const controller = new AbortController();
    const { client, requests } = await instance(() => {
      controller.abort();
      return null;
    });
    const error = await failureOf(
      client({ signal: controller.signal, timeouts: { responseMs: 60_000 } }).list('sys_alias'),
    );
    expect(error.cancelled).toBe(true);
    expect(error.failure).toEqual({
      code: 'unexpected',
      message: 'Cancelled: read sys_alias.',
      ambiguous: false,
    });
    expect(requests).toHaveLength(1);
  });

  it('a write cancelled after it was sent may have been saved', async () => {
    const controller = new AbortController();
    const { client } = await instance(() => {
      setImmediate(() => controller.abort());
      return null;
    });
    const error = await failureOf(
      client({ signal: controller.signal, timeouts: { responseMs: 60_000 } }).create('sys_alias', {
        name: 'x',
      }),
    );
    expect(error.cancelled).toBe(true);
    expect(error.failure).toEqual({
      code: 'unexpected',
      message:
        'Cancelled: create a sys_alias record. The change may have been saved; re-read before sending it again.',
      ambiguous: true,
    });
  });

  it('a delete cancelled while it waits to be retried is not sent again, and was not saved', async () => {
    const controller = new AbortController();
    const { client, requests } = await instance(() => ({
      status: 503,
      body: { error: { message: 'busy' } },
    }));
    const error = await failureOf(
      client({
        signal: controller.signal,
        // The backoff would be 60 s: the abort, not the wait, must end it.
        retry: { limit: 3, baseDelayMs: 120_000 },
        random: () => 0,
        logger: createLogger({
          sink: (line) => {
            if (line.includes('"servicenow retry"')) queueMicrotask(() => controller.abort());
          },
          level: 'info',
        }),
      }).remove('sys_alias', 'abc'),
    );
    expect(error.cancelled).toBe(true);
    expect(error.failure).toEqual({
      code: 'unexpected',
      message: 'Cancelled: delete sys_alias record abc.',
      ambiguous: false,
    });
    expect(requests).toHaveLength(1);
  });
});

describe('what is retried', () => {
  const page = (words: string): ScriptedAnswer => ({
    status: 503,
    headers: { 'content-type': 'text/html' },
    body: `<html><body>${words}</body></html>`,
  });

  it('a hibernation page is never retried, even with a 503', async () => {
    const { client, requests } = await instance(() => page('Your instance is hibernating'));
    const error = await failureOf(client().list('sys_alias'));
    expect(error.failure.code).toBe('hibernating');
    expect(requests).toHaveLength(1);
  });

  it("a gateway's 503 page is retried up to the limit", async () => {
    const { client, requests } = await instance(() => page('Service Unavailable'));
    const error = await failureOf(client({ retry: { limit: 2, baseDelayMs: 1 } }).list('sys_alias'));
    expect(error.failure).toMatchObject({ code: 'unexpected', status: 503 });
    expect(requests).toHaveLength(3);
  });

  it('a refused token request is sent once: re-authenticating cannot help it', async () => {
    const { client, requests } = await instance(() => ({ status: 401, body: { error: 'access_denied' } }));
    const oauth = {
      kind: 'oauth',
      clientId: 'id',
      clientSecret: 's',
      username: 'admin',
      password: 'pw',
    } as const;
    const error = await failureOf(client({ auth: oauth }).list('sys_alias'));
    expect(error.failure.code).toBe('bad_credentials');
    expect(requests.map((r) => r.path)).toEqual(['/oauth_token.do']);
  });
});

describe('what a refusal that is not retried says', () => {
  it('a 500 is not retried: the instance answered, and would answer the same', async () => {
    const { client, requests } = await instance(() => ({
      status: 500,
      body: { error: { message: 'boom' } },
    }));
    const error = await failureOf(client().list('sys_alias'));
    expect(error.failure).toMatchObject({ code: 'unexpected', status: 500 });
    expect(requests).toHaveLength(1);
  });

  it('a 429 without a time to come back says to wait a little, and carries no retryAt', async () => {
    const { client } = await instance(() => ({ status: 429, body: {} }));
    const error = await failureOf(client().create('sys_alias', { name: 'x' }));
    expect(error.failure).toEqual({
      code: 'rate_limited',
      message: 'The instance is rate limiting this user. Wait a little and try again.',
      status: 429,
      ambiguous: false,
    });
  });

  it('a 429 with X-RateLimit-Reset says when, from the injected clock', async () => {
    const now = Date.parse('2026-03-01T10:00:00.000Z');
    const reset = String(now / 1000 + 3600);
    const { client } = await instance(() => ({
      status: 429,
      headers: { 'x-ratelimit-reset': reset },
      body: {},
    }));
    const error = await failureOf(client({ now: () => now }).create('sys_alias', { name: 'x' }));
    expect(error.failure.retryAt).toBe('2026-03-01T11:00:00.000Z');
    expect(error.message).toBe('The instance is rate limiting this user until 2026-03-01T11:00:00.000Z.');
  });
});

describe('how long it waits before a retry', () => {
  it("the instance's Retry-After, not the backoff", async () => {
    let calls = 0;
    const { client, logged } = await instance(() =>
      ++calls === 1 ? { status: 429, headers: { 'retry-after': '0' }, body: {} } : EMPTY_LIST,
    );
    await client({ retry: { limit: 3, baseDelayMs: 40 }, random: () => 1 }).list('sys_alias');
    expect(logged('servicenow retry').map((e) => e['delayMs'])).toEqual([0]);
  });

  it('without one, a backoff that doubles per retry', async () => {
    let calls = 0;
    const { client, logged } = await instance(() => (++calls <= 3 ? { status: 502, body: {} } : EMPTY_LIST));
    await client({ retry: { limit: 3, baseDelayMs: 2 }, random: () => 1 }).list('sys_alias');
    expect(logged('servicenow retry').map((e) => e['delayMs'])).toEqual([2, 4, 8]);
    expect(logged('servicenow retry')[0]).toMatchObject({ method: 'GET', path: '/api/now/table/sys_alias' });
  });
});

describe('the answer size limit, to the byte', () => {
  /** A valid list body of exactly `bytes` bytes. */
  const listOf = (bytes: number) => `{"result":[${' '.repeat(bytes - 13)}]}`;

  it('an answer of exactly the limit is read; one byte more is refused at its declared length', async () => {
    const limit = 200;
    expect(listOf(limit)).toHaveLength(limit);
    const sized = (bytes: number) => ({ headers: { 'content-length': String(bytes) }, body: listOf(bytes) });
    const exact = await instance(() => sized(limit));
    await expect(exact.client({ maxResponseBytes: limit }).list('sys_alias')).resolves.toEqual([]);
    const over = await instance(() => sized(limit + 1));
    const error = await failureOf(over.client({ maxResponseBytes: limit }).list('sys_alias'));
    expect(error.failure.code).toBe('too_large');
    expect(error.message).toMatch(/dropped unread/);
    expect(over.logged('servicenow answer too large')).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/api/now/table/sys_alias',
        bytes: limit + 1,
        limitBytes: limit,
      }),
    ]);
  });

  it('without a declared length, the same edge holds as the bytes arrive', async () => {
    const limit = 200;
    const chunked = (bytes: number) => ({ headers: { 'transfer-encoding': 'chunked' }, body: listOf(bytes) });
    const exact = await instance(() => chunked(limit));
    await expect(exact.client({ maxResponseBytes: limit }).list('sys_alias')).resolves.toEqual([]);
    const over = await instance(() => chunked(limit + 1));
    const error = await failureOf(over.client({ maxResponseBytes: limit }).list('sys_alias'));
    expect(error.failure.code).toBe('too_large');
    expect(error.message).toMatch(/more than 0\.0 MB.*dropped as it arrived/);
    expect(over.requests).toHaveLength(1);
  });
});

describe('what each request carries', () => {
  it('JSON accepted; a JSON content type on writes and deletes, none on reads; a form for the token', async () => {
    const { client, requests } = await instance((r) =>
      r.path === '/oauth_token.do'
        ? { body: { access_token: 't', expires_in: 1800 } }
        : {
            status: r.method === 'DELETE' ? 204 : 200,
            body: r.method === 'DELETE' ? undefined : { result: {} },
          },
    );
    const basic = client();
    await basic.get('sys_alias', 'abc');
    await basic.update('sys_alias', 'abc', { name: 'x' });
    await basic.remove('sys_alias', 'abc');
    const oauth = {
      kind: 'oauth',
      clientId: 'id',
      clientSecret: 's',
      username: 'admin',
      password: 'pw',
    } as const;
    await client({ auth: oauth }).get('sys_alias', 'abc');
    expect(requests.map((r) => [r.method, r.path, r.headers['content-type']])).toEqual([
      ['GET', '/api/now/table/sys_alias/abc', undefined],
      ['PATCH', '/api/now/table/sys_alias/abc', 'application/json'],
      ['DELETE', '/api/now/table/sys_alias/abc', 'application/json'],
      ['POST', '/oauth_token.do', 'application/x-www-form-urlencoded'],
      ['GET', '/api/now/table/sys_alias/abc', undefined],
    ]);
    for (const r of requests) {
      expect(r.headers['accept']).toBe('application/json');
      expect(r.headers['user-agent']).toBe('Spokesmith');
    }
    expect(JSON.parse(requests[1]?.body ?? '')).toEqual({ name: 'x' });
    expect(requests[2]?.body).toBe('');
    expect(new URLSearchParams(requests[3]?.body).get('grant_type')).toBe('password');
    expect(requests[3]?.headers['authorization']).toBeUndefined();
    expect(requests[4]?.headers['authorization']).toBe('Bearer t');
  });

  it('each answer is logged at info up to 399 and at warn from 400, with its status', async () => {
    const statuses = [200, 399, 400];
    let index = 0;
    const { client, logged } = await instance(() => ({
      status: statuses[index++] ?? 200,
      body: { result: [] },
    }));
    const c = client({ retry: { limit: 0 } });
    await c.list('sys_alias');
    await failureOf(c.list('sys_alias'));
    await failureOf(c.list('sys_alias'));
    expect(logged('servicenow request').map((e) => [e['level'], e['status']])).toEqual([
      ['info', 200],
      ['info', 399],
      ['warn', 400],
    ]);
  });
});
