// What the client makes of answers the simulator never gives, from a scripted instance on 127.0.0.1: a list
// without a Link header, bodies of the wrong shape, a user who cannot read their own row or roles.
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/main/log';
import { createServiceNowClient, type ClientOptions } from '../../../src/main/servicenow';
import { failureOf, scriptedInstance, type ScriptedAnswer, type SeenRequest } from './helpers';

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function instance(answer: (request: SeenRequest) => ScriptedAnswer) {
  const scripted = await scriptedInstance(answer);
  closers.push(() => scripted.close());
  const client = (overrides: Partial<ClientOptions> = {}) => {
    const c = createServiceNowClient({
      instanceUrl: scripted.url,
      auth: { kind: 'basic', username: 'admin', password: 'pw' },
      retry: { limit: 0, baseDelayMs: 1 },
      env: {},
      ...overrides,
    });
    closers.push(() => c.close());
    return c;
  };
  return { requests: scripted.requests, client };
}

const rows = (...names: string[]) => ({ result: names.map((name) => ({ name })) });

describe('listAll', () => {
  it('without a Link header, reads on past a short page and stops at the first empty one', async () => {
    const pages: Record<string, ScriptedAnswer> = {
      '0': { body: rows('a', 'b') },
      '2': { body: rows('c') },
      '4': { body: rows() },
    };
    const { client, requests } = await instance((r) => pages[r.search.get('sysparm_offset') ?? '0'] ?? {});
    const all = await client().listAll('sys_alias', { pageSize: 2 });
    expect(all.map((r) => r['name'])).toEqual(['a', 'b', 'c']);
    expect(requests.map((r) => r.search.get('sysparm_offset'))).toEqual([null, '2', '4']);
    expect(requests.map((r) => r.search.get('sysparm_limit'))).toEqual(['2', '2', '2']);
  });

  it('a Link header without rel="next" ends the list, even after a full page', async () => {
    const link = '<http://x/api/now/table/sys_alias?sysparm_offset=0>;rel="first"';
    const { client, requests } = await instance(() => ({ headers: { link }, body: rows('a', 'b') }));
    expect(await client().listAll('sys_alias', { pageSize: 2 })).toHaveLength(2);
    expect(requests).toHaveLength(1);
  });

  it('rel=next, quoted or not, asks for the next page', async () => {
    for (const rel of ['rel="next"', 'rel=next']) {
      const { client, requests } = await instance((r) =>
        r.search.get('sysparm_offset') === null
          ? { headers: { link: `<http://x/next>;${rel}` }, body: rows('a') }
          : { headers: { link: '<http://x/first>;rel="first"' }, body: rows('b') },
      );
      expect((await client().listAll('sys_alias', { pageSize: 1 })).map((r) => r['name'])).toEqual([
        'a',
        'b',
      ]);
      expect(requests).toHaveLength(2);
    }
  });

  it('reads on past an empty page that rel="next" says is not the last (an ACL hid all of it)', async () => {
    const pages: Record<string, ScriptedAnswer> = {
      '0': { headers: { link: '<http://x/next>;rel="next"' }, body: rows('a') },
      '1': { headers: { link: '<http://x/next>;rel="next"' }, body: rows() },
      '2': { headers: { link: '<http://x/first>;rel="first"' }, body: rows('b') },
    };
    const { client } = await instance((r) => pages[r.search.get('sysparm_offset') ?? '0'] ?? {});
    const all = await client().listAll('sys_alias', { pageSize: 1 });
    expect(all.map((r) => r['name'])).toEqual(['a', 'b']);
  });

  it('stops at maxRecords, and asks for pages of 1000 unless told otherwise', async () => {
    const { client, requests } = await instance(() => ({
      headers: { link: '<http://x/next>;rel="next"' },
      body: rows('a', 'b'),
    }));
    expect(await client().listAll('sys_alias', { pageSize: 2, maxRecords: 3 })).toHaveLength(3);
    expect(requests).toHaveLength(2);
    requests.length = 0;
    expect(await client().listAll('sys_alias', { maxRecords: 2 })).toHaveLength(2);
    expect(requests.map((r) => r.search.get('sysparm_limit'))).toEqual(['1000']);
  });
});

describe('an answer of the wrong shape', () => {
  const shapeError = (what: string, status: number) =>
    `The instance's answer to ${what} has an unexpected shape (HTTP ${status}).`;

  it('a list that is not a list: unexpected, naming the read, nothing possibly saved', async () => {
    const { client } = await instance(() => ({ body: { result: { name: 'a' } } }));
    const error = await failureOf(client().list('sys_alias'));
    expect(error.failure).toEqual({
      code: 'unexpected',
      message: shapeError('read sys_alias', 200),
      status: 200,
      ambiguous: false,
    });
  });

  it('a record that is not a record: a read is not ambiguous, a write may have been saved', async () => {
    const { client } = await instance((r) => ({ status: r.method === 'POST' ? 201 : 200, body: rows('a') }));
    const read = await failureOf(client().get('sys_alias', 'abc'));
    expect(read.failure).toMatchObject({
      message: shapeError('read sys_alias record abc', 200),
      ambiguous: false,
    });
    const created = await failureOf(client().create('sys_alias', { name: 'a' }));
    expect(created.failure).toMatchObject({
      message: shapeError('create a sys_alias record', 201),
      ambiguous: true,
    });
    const updated = await failureOf(client().update('sys_alias', 'abc', { name: 'a' }));
    expect(updated.failure).toMatchObject({
      message: shapeError('update sys_alias record abc', 200),
      ambiguous: true,
    });
  });

  it('a batch answer that is not one: a batch with a write may have been saved, an all-read batch not', async () => {
    const { client } = await instance(() => ({ body: rows('a') }));
    const write = await failureOf(
      client().batch([
        { id: 'r', method: 'GET', url: '/api/now/table/sys_alias' },
        { id: 'w', method: 'DELETE', url: '/api/now/table/sys_alias/abc' },
      ]),
    );
    expect(write.failure).toEqual({
      code: 'unexpected',
      message: shapeError('run a batch of 2 request(s)', 200),
      status: 200,
      ambiguous: true,
    });
    const read = await failureOf(
      client().batch([{ id: 'r', method: 'GET', url: '/api/now/table/sys_alias' }]),
    );
    expect(read.failure).toMatchObject({
      message: shapeError('run a batch of 1 request(s)', 200),
      ambiguous: false,
    });
  });

  it('a batch cancelled by the transaction quota: with a write it may have been saved, all reads not', async () => {
    const cancelled =
      '{"result":[]}{"error":{"message":"Transaction cancelled: maximum execution time exceeded"},"status":"failure"}';
    const { client } = await instance(() => ({ body: cancelled }));
    const del = { id: 'w', method: 'DELETE', url: '/api/now/table/sys_alias/abc' } as const;
    const get = { id: 'r', method: 'GET', url: '/api/now/table/sys_alias' } as const;
    const write = await failureOf(client().batch([get, del]));
    expect(write.failure).toMatchObject({ code: 'transaction_cancelled', ambiguous: true });
    expect(write.message).toMatch(/may have been saved/);
    const read = await failureOf(client().batch([get]));
    expect(read.failure).toMatchObject({ code: 'transaction_cancelled', ambiguous: false });
  });

  it('a token answer without an access token: unexpected, naming the token request', async () => {
    const { client, requests } = await instance(() => ({ body: { token_type: 'Bearer' } }));
    const oauth = {
      kind: 'oauth',
      clientId: 'id',
      clientSecret: 'secret',
      username: 'admin',
      password: 'pw',
    } as const;
    const error = await failureOf(client({ auth: oauth }).list('sys_alias'));
    expect(error.failure).toEqual({
      code: 'unexpected',
      message: shapeError('get an OAuth token', 200),
      status: 200,
      ambiguous: false,
    });
    expect(requests.map((r) => r.path)).toEqual(['/oauth_token.do']);
  });
});

describe('get and remove', () => {
  const refused = { status: 403, body: { error: { message: 'ACL' }, status: 'failure' } };
  const missing = { status: 404, body: { error: { message: 'No Record found' }, status: 'failure' } };

  it('a record that is not there is null to get and already gone to remove', async () => {
    const { client } = await instance(() => missing);
    await expect(client().get('sys_alias', 'abc')).resolves.toBeNull();
    await expect(client().remove('sys_alias', 'abc')).resolves.toBeUndefined();
  });

  it('a refusal is not mistaken for a missing record', async () => {
    const { client } = await instance(() => refused);
    expect((await failureOf(client().get('sys_alias', 'abc'))).failure.code).toBe('forbidden');
    expect((await failureOf(client().remove('sys_alias', 'abc'))).failure.code).toBe('forbidden');
  });

  it('each request names the instance it went to in the log', async () => {
    const lines: string[] = [];
    const { client } = await instance(() => ({ body: { result: {} } }));
    const c = client({ logger: createLogger({ sink: (line) => lines.push(line), level: 'info' }) });
    await c.get('sys_alias', 'abc');
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({ msg: 'servicenow request', instance: new URL(c.instanceUrl).host });
  });
});

describe('whoami', () => {
  const ME = '6816f79cc0a8016401c5a33be04be441';

  it('reads the user row by name (escaped) and its active roles, sorted, once each', async () => {
    const { client, requests } = await instance((r) =>
      r.path.endsWith('/sys_user')
        ? { body: { result: [{ sys_id: ME, user_name: 'Ad^min' }] } }
        : {
            body: {
              result: [{ role: 'web_service_admin' }, { role: 'admin' }, { role: 'admin' }, {}, { role: '' }],
            },
          },
    );
    const me = await client({ auth: { kind: 'basic', username: 'ad^min', password: 'pw' } }).whoami();
    expect(me).toEqual({ userName: 'Ad^min', sysId: ME, roles: ['admin', 'web_service_admin'] });
    expect(requests.map((r) => [r.path, r.search.get('sysparm_query')])).toEqual([
      ['/api/now/table/sys_user', 'user_name=ad^^min'],
      ['/api/now/table/sys_user_has_role', `user=${ME}^state=active`],
    ]);
    expect(requests[0]?.search.get('sysparm_fields')).toBe('sys_id,user_name');
    expect(requests[0]?.search.get('sysparm_limit')).toBe('1');
    expect(requests[1]?.search.get('sysparm_fields')).toBe('role');
    expect(requests[1]?.search.get('sysparm_display_value')).toBe('true');
  });

  it('keeps the name signed in with when the row gives none', async () => {
    const { client } = await instance((r) =>
      r.path.endsWith('/sys_user') ? { body: { result: [{ sys_id: ME }] } } : { body: rows() },
    );
    expect(await client().whoami()).toEqual({ userName: 'admin', sysId: ME, roles: [] });
  });

  it('a user who cannot read their own row is signed in, with no sys_id and no roles', async () => {
    const { client, requests } = await instance(() => ({ body: rows() }));
    expect(await client().whoami()).toEqual({ userName: 'admin', sysId: '', roles: [] });
    expect(requests).toHaveLength(1);
  });

  it('roles refused (403) or hidden (404) are reported as none; any other failure is thrown', async () => {
    for (const status of [403, 404]) {
      const { client } = await instance((r) =>
        r.path.endsWith('/sys_user')
          ? { body: { result: [{ sys_id: ME, user_name: 'admin' }] } }
          : { status, body: { error: { message: 'ACL' }, status: 'failure' } },
      );
      expect(await client().whoami()).toEqual({ userName: 'admin', sysId: ME, roles: [] });
    }
    const { client } = await instance((r) =>
      r.path.endsWith('/sys_user')
        ? { body: { result: [{ sys_id: ME, user_name: 'admin' }] } }
        : { status: 500, body: { error: { message: 'boom' }, status: 'failure' } },
    );
    const error = await failureOf(client().whoami());
    expect(error.failure).toMatchObject({ code: 'unexpected', status: 500 });
  });
});

describe('an instance that echoes the credentials it was sent', () => {
  it('basic auth: the password, in any form, and the Authorization header are masked in the error', async () => {
    const password = 'Pa$$ w0rd/+=%sekrit';
    const { client } = await instance((r) => ({
      status: 403,
      body: {
        error: {
          message: `Denied ${String(r.headers['authorization'])} for ${password} (${encodeURIComponent(password)})`,
        },
        status: 'failure',
      },
    }));
    const error = await failureOf(
      client({ auth: { kind: 'basic', username: 'admin', password } }).list('sys_alias'),
    );
    const text = `${error.message}\n${JSON.stringify(error)}`;
    expect(text).toContain('Denied');
    const encoded = Buffer.from(`admin:${password}`).toString('base64');
    for (const secret of [password, encodeURIComponent(password), encoded])
      expect(text).not.toContain(secret);
  });
});
