// The OAuth token's life (docs/servicenow.md §3.6) against a scripted token endpoint on 127.0.0.1, on an
// injected clock: when a token is renewed, by which grant, and that nothing the grants carry shows in an error.
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceNowClient, type ServiceNowClient } from '../../../src/main/servicenow';
import { failureOf, scriptedInstance, type ScriptedAnswer, type SeenRequest } from './helpers';

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const PASSWORD = 'Pa$$ w0rd/+=%sekrit';
const CLIENT_SECRET = 'cl!ent secret/+=';

interface TokenEndpoint {
  /** `expires_in` as the endpoint sends it; undefined leaves it out. */
  expiresIn?: number | string;
  /** Whether the endpoint hands out refresh tokens, and whether it honours them. */
  refresh?: 'none' | 'honoured' | 'refused';
  /** The answer to every Table API call. */
  table?: (request: SeenRequest) => ScriptedAnswer;
}

async function oauthInstance(endpoint: TokenEndpoint) {
  let issued = 0;
  const scripted = await scriptedInstance((request) => {
    if (request.path !== '/oauth_token.do') return endpoint.table?.(request) ?? { body: { result: [] } };
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') === 'refresh_token' && endpoint.refresh !== 'honoured')
      return { status: 401, body: { error: 'invalid_grant', error_description: 'refresh token expired' } };
    issued++;
    return {
      body: {
        access_token: `access-${issued}`,
        token_type: 'Bearer',
        ...(endpoint.expiresIn === undefined ? {} : { expires_in: endpoint.expiresIn }),
        ...(endpoint.refresh === 'none' || endpoint.refresh === undefined
          ? {}
          : { refresh_token: `refresh-${issued}` }),
      },
    };
  });
  closers.push(() => scripted.close());
  let clock = Date.parse('2026-03-01T10:00:00.000Z');
  const client: ServiceNowClient = createServiceNowClient({
    instanceUrl: scripted.url,
    auth: {
      kind: 'oauth',
      clientId: 'spokesmith',
      clientSecret: CLIENT_SECRET,
      username: 'admin',
      password: PASSWORD,
    },
    retry: { limit: 0, baseDelayMs: 1 },
    env: {},
    now: () => clock,
  });
  closers.push(() => client.close());
  const grants = () =>
    scripted.requests
      .filter((r) => r.path === '/oauth_token.do')
      .map((r) => new URLSearchParams(r.body).get('grant_type'));
  const bearers = () =>
    scripted.requests.filter((r) => r.path !== '/oauth_token.do').map((r) => r.headers['authorization']);
  /** Advances the clock to `seconds` after the first call and makes one call. */
  const callAt = async (seconds: number) => {
    clock = Date.parse('2026-03-01T10:00:00.000Z') + seconds * 1000;
    await client.list('sys_alias');
  };
  return { client, grants, bearers, callAt };
}

describe('when a token is renewed', () => {
  it('a token without expires_in lives 30 minutes and is renewed from one minute before', async () => {
    const { grants, bearers, callAt } = await oauthInstance({});
    await callAt(0);
    await callAt(1739);
    expect(grants()).toEqual(['password']);
    await callAt(1740);
    expect(grants()).toEqual(['password', 'password']);
    expect(bearers()).toEqual(['Bearer access-1', 'Bearer access-1', 'Bearer access-2']);
  });

  it('a short token is renewed 10 % of its life early (30 s of 300 s), not a whole minute early', async () => {
    const { grants, callAt } = await oauthInstance({ expiresIn: '300' });
    await callAt(0);
    await callAt(269);
    expect(grants()).toHaveLength(1);
    await callAt(270);
    expect(grants()).toHaveLength(2);
  });

  it('expires_in as a number counts the same', async () => {
    const { grants, callAt } = await oauthInstance({ expiresIn: 600 });
    await callAt(0);
    await callAt(539);
    expect(grants()).toHaveLength(1);
    await callAt(540);
    expect(grants()).toHaveLength(2);
  });
});

describe('which grant renews it', () => {
  it('without a refresh token, one password grant', async () => {
    const { grants, callAt } = await oauthInstance({ expiresIn: 300, refresh: 'none' });
    await callAt(0);
    await callAt(300);
    expect(grants()).toEqual(['password', 'password']);
  });

  it('with a refresh token, the refresh grant', async () => {
    const { grants, bearers, callAt } = await oauthInstance({ expiresIn: 300, refresh: 'honoured' });
    await callAt(0);
    await callAt(300);
    expect(grants()).toEqual(['password', 'refresh_token']);
    expect(bearers()).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it('a refused refresh token falls back to the password grant, and the call succeeds', async () => {
    const { grants, bearers, callAt } = await oauthInstance({ expiresIn: 300, refresh: 'refused' });
    await callAt(0);
    await callAt(300);
    expect(grants()).toEqual(['password', 'refresh_token', 'password']);
    expect(bearers()).toEqual(['Bearer access-1', 'Bearer access-2']);
  });
});

describe('what the grants carry never shows', () => {
  it('an instance echoing the password, client secret and tokens in its refusal: all masked', async () => {
    const echoed = [
      PASSWORD,
      encodeURIComponent(PASSWORD),
      CLIENT_SECRET,
      encodeURIComponent(CLIENT_SECRET),
      'access-1',
      'refresh-1',
    ];
    const { client } = await oauthInstance({
      refresh: 'honoured',
      table: () => ({
        status: 403,
        body: { error: { message: `Denied: ${echoed.join(' | ')}` }, status: 'failure' },
      }),
    });
    const error = await failureOf(client.list('sys_alias'));
    expect(error.failure.code).toBe('forbidden');
    const text = `${error.message}\n${JSON.stringify(error)}`;
    expect(text).toContain('Denied:');
    for (const secret of echoed) expect(text).not.toContain(secret);
  });
});
