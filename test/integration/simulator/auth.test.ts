// Authentication: basic, OAuth password/refresh grants, bearer expiry, session cookies and concurrency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/main/simulator';
import { basic, call } from './http';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ tokenTtlSeconds: 1 });
});
afterAll(() => sim.close());

function tokenRequest(form: Record<string, string>): Promise<Response> {
  return fetch(`${sim.url}/oauth_token.do`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
}

const passwordGrant = (): Record<string, string> => ({
  grant_type: 'password',
  client_id: sim.oauthClient.clientId,
  client_secret: sim.oauthClient.clientSecret,
  username: sim.users.admin.userName,
  password: sim.users.admin.password,
});

describe('basic auth', () => {
  it('accepts the demo users and refuses a bad password or none with the documented 401 body', async () => {
    expect((await call(sim, 'GET', '/api/now/table/sys_alias')).status).toBe(200);
    expect((await call(sim, 'GET', '/api/now/table/sys_alias', { user: sim.users.nonAdmin })).status).toBe(
      200,
    );
    for (const user of [
      { userName: 'admin', password: 'wrong' },
      { userName: 'ghost', password: 'x' },
      null,
    ]) {
      const r = await call(sim, 'GET', '/api/now/table/sys_alias', { user });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({
        error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' },
        status: 'failure',
      });
      expect(r.headers.get('set-cookie')).toBeNull();
    }
  });

  it('logs the user and never the password', async () => {
    sim.clearLog();
    await call(sim, 'GET', '/api/now/table/sys_alias?sysparm_limit=1');
    expect(sim.log).toHaveLength(1);
    expect(sim.log[0]).toMatchObject({
      method: 'GET',
      path: '/api/now/table/sys_alias',
      status: 200,
      user: 'admin',
    });
    expect(JSON.stringify(sim.log)).not.toContain(sim.users.admin.password);
  });
});

describe('OAuth', () => {
  it('issues a bearer token for the password grant that authenticates requests', async () => {
    const r = await tokenRequest(passwordGrant());
    expect(r.status).toBe(200);
    const grant = (await r.json()) as Record<string, unknown>;
    expect(grant).toMatchObject({ token_type: 'Bearer', scope: 'useraccount', expires_in: 1 });
    expect(typeof grant.access_token).toBe('string');
    const api = await call(sim, 'GET', '/api/now/table/sys_alias', {
      user: null,
      headers: { Authorization: `Bearer ${String(grant.access_token)}` },
    });
    expect(api.status).toBe(200);
  });

  it('refuses a bad client secret, a bad password and an unknown grant type', async () => {
    expect((await tokenRequest({ ...passwordGrant(), client_secret: 'nope' })).status).toBe(401);
    expect((await tokenRequest({ ...passwordGrant(), password: 'nope' })).status).toBe(401);
    expect((await tokenRequest({ ...passwordGrant(), grant_type: 'implicit' })).status).toBe(400);
  });

  it('expires tokens after their lifetime and refreshes them with the refresh token', async () => {
    const grant = (await (await tokenRequest(passwordGrant())).json()) as Record<string, string>;
    const bearer = { user: null, headers: { Authorization: `Bearer ${grant.access_token}` } };
    expect((await call(sim, 'GET', '/api/now/table/sys_alias', bearer)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await call(sim, 'GET', '/api/now/table/sys_alias', bearer)).status).toBe(401);
    const refreshed = await tokenRequest({
      grant_type: 'refresh_token',
      client_id: sim.oauthClient.clientId,
      client_secret: sim.oauthClient.clientSecret,
      refresh_token: grant.refresh_token ?? '',
    });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as Record<string, string>;
    expect(next.access_token).not.toBe(grant.access_token);
    const again = await call(sim, 'GET', '/api/now/table/sys_alias', {
      user: null,
      headers: { Authorization: `Bearer ${next.access_token}` },
    });
    expect(again.status).toBe(200);
  });
});

describe('sessions', () => {
  it('sets JSESSIONID and glide_user_route once and honours the cookie without credentials', async () => {
    const before = sim.sessionsCreated;
    const first = await call(sim, 'GET', '/api/now/table/sys_alias');
    const cookies = first.headers.getSetCookie();
    expect(cookies.map((c) => c.split('=')[0])).toEqual(['JSESSIONID', 'glide_user_route']);
    const jar = cookies.map((c) => c.split(';')[0]).join('; ');
    const second = await call(sim, 'GET', '/api/now/table/sys_alias', {
      user: null,
      headers: { Cookie: jar },
    });
    expect(second.status).toBe(200);
    expect(second.headers.getSetCookie()).toEqual([]);
    const withBoth = await call(sim, 'GET', '/api/now/table/sys_alias', { headers: { Cookie: jar } });
    expect(withBoth.headers.getSetCookie()).toEqual([]);
    expect(sim.sessionsCreated - before).toBe(1);
    const bogus = await call(sim, 'GET', '/api/now/table/sys_alias', {
      user: null,
      headers: { Cookie: 'JSESSIONID=NOPE' },
    });
    expect(bogus.status).toBe(401);
  });

  it('creates a session per request without a cookie, and logs sessions by label', async () => {
    const before = sim.sessionsCreated;
    sim.clearLog();
    await call(sim, 'GET', '/api/now/table/sys_alias');
    await call(sim, 'GET', '/api/now/table/sys_alias');
    expect(sim.sessionsCreated - before).toBe(2);
    const labels = sim.log.map((e) => e.session);
    expect(new Set(labels).size).toBe(2);
    expect(labels.every((l) => /^s\d+$/.test(l ?? ''))).toBe(true);
  });
});

describe('session concurrency', () => {
  /** Fires `n` parallel requests and returns the sessions' peak concurrency from the control API. */
  async function peaks(concurrency: number, shareSession: boolean, n = 4): Promise<number[]> {
    const s = await startSimulator({ sessionConcurrency: concurrency, latencyMs: 150 });
    try {
      const first = await fetch(`${s.url}/api/now/table/sys_alias`, {
        headers: { Authorization: basic(s.users.admin) },
      });
      const jar = first.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      await Promise.all(
        Array.from({ length: n }, () =>
          fetch(`${s.url}/api/now/table/sys_alias`, {
            headers: shareSession ? { Cookie: jar } : { Authorization: basic(s.users.admin) },
          }).then((r) => r.text()),
        ),
      );
      const state = (await (await fetch(`${s.url}/__simulator/state`)).json()) as {
        result: { sessions: { peakConcurrent: number }[] };
      };
      return state.result.sessions.map((x) => x.peakConcurrent);
    } finally {
      await s.close();
    }
  }

  it('never runs more than sessionConcurrency requests of one session at once', async () => {
    expect(await peaks(1, true)).toEqual([1]);
    const two = await peaks(2, true);
    expect(two).toHaveLength(1);
    expect(two[0]).toBeLessThanOrEqual(2);
  });

  it('gives every request without a cookie its own session', async () => {
    expect(await peaks(1, false)).toEqual([1, 1, 1, 1, 1]);
  });
});
