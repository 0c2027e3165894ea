// One API session per client (cookie jar) and the OAuth password grant with expiry, refresh and re-auth.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failureOf, harness, requestsTo, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await harness({ tokenTtlSeconds: 1800 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.faults.clear();
  h.sim.clearLog();
});

describe('session reuse', () => {
  it('many calls from one client create one session', async () => {
    const before = h.sim.sessionsCreated;
    const client = h.client();
    for (let i = 0; i < 5; i++) await client.list('sys_alias', { limit: 1 });
    await Promise.all([client.whoami(), client.list('http_connection'), client.list('oauth_entity_profile')]);
    expect(h.sim.sessionsCreated - before).toBe(1);
    expect(new Set(h.sim.log.map((e) => e.session))).toEqual(new Set(['s' + String(before + 1)]));
    expect(client.requestCount).toBe(h.sim.log.length);
  });

  it('concurrent first calls of a new client still share one session', async () => {
    const before = h.sim.sessionsCreated;
    const client = h.client();
    await Promise.all([1, 2, 3, 4].map(() => client.list('sys_alias', { limit: 1 })));
    expect(h.sim.sessionsCreated - before).toBe(1);
    expect(h.sim.log).toHaveLength(4);
  });

  it('two clients make two sessions', async () => {
    const before = h.sim.sessionsCreated;
    await h.client().list('sys_alias', { limit: 1 });
    await h.client().list('sys_alias', { limit: 1 });
    expect(h.sim.sessionsCreated - before).toBe(2);
  });
});

describe('OAuth password grant', () => {
  const oauthAuth = () => ({
    kind: 'oauth' as const,
    clientId: h.sim.oauthClient.clientId,
    clientSecret: h.sim.oauthClient.clientSecret,
    username: h.sim.users.admin.userName,
    password: h.sim.users.admin.password,
  });

  it('fetches one token and reuses it', async () => {
    const client = h.client({ auth: oauthAuth() });
    const me = await client.whoami();
    await client.list('sys_alias');
    expect(me.userName).toBe(h.sim.users.admin.userName);
    expect(me.roles).toContain('admin');
    expect(requestsTo(h.sim, '/oauth_token.do')).toHaveLength(1);
    expect(h.sim.log[0]?.path).toBe('/oauth_token.do');
  });

  it('concurrent first calls share one token request', async () => {
    const client = h.client({ auth: oauthAuth() });
    await Promise.all([client.list('sys_alias'), client.list('sys_alias'), client.list('sys_alias')]);
    expect(requestsTo(h.sim, '/oauth_token.do')).toHaveLength(1);
  });

  it('renews the token with the refresh grant once it is about to expire', async () => {
    let clock = Date.now();
    const client = h.client({ auth: oauthAuth(), now: () => clock });
    await client.list('sys_alias');
    clock += 1799 * 1000; // within the renewal margin of the 1800 s token
    await client.list('sys_alias');
    const grants = requestsTo(h.sim, '/oauth_token.do');
    expect(grants).toHaveLength(2);
    // The simulator attributes a password grant to its user and a refresh grant to nobody.
    expect(grants.map((g) => g.user)).toEqual([h.sim.users.admin.userName, null]);
  });

  it('re-authenticates once after a 401 and then succeeds', async () => {
    const client = h.client({ auth: oauthAuth() });
    await client.list('sys_alias');
    h.sim.clearLog();
    h.sim.faults.add({ kind: 'unauthorized', match: { table: 'sys_alias' }, times: 1 });
    await client.list('sys_alias');
    expect(h.sim.log.map((e) => `${e.path}:${e.status}`)).toEqual([
      '/api/now/table/sys_alias:401',
      '/oauth_token.do:200',
      '/api/now/table/sys_alias:200',
    ]);
  });

  it('re-authenticates only once: a second 401 is bad_credentials', async () => {
    const client = h.client({ auth: oauthAuth() });
    h.sim.faults.add({ kind: 'unauthorized', match: { table: 'sys_alias' } });
    const error = await failureOf(client.list('sys_alias'));
    expect(error.failure.code).toBe('bad_credentials');
    expect(requestsTo(h.sim, '/sys_alias')).toHaveLength(2);
  });

  it('a wrong client secret → bad_credentials', async () => {
    const client = h.client({ auth: { ...oauthAuth(), clientSecret: 'not-the-secret' } });
    const error = await failureOf(client.whoami());
    expect(error.failure).toMatchObject({ code: 'bad_credentials', status: 401 });
    expect(requestsTo(h.sim, '/api/now/')).toHaveLength(0);
    expect(error.message).toMatch(/client id and secret/);
  });

  it('basic auth does not re-send after a 401', async () => {
    h.sim.faults.add({ kind: 'unauthorized', times: 1 });
    await failureOf(h.client().list('sys_alias'));
    expect(h.sim.log).toHaveLength(1);
  });
});
