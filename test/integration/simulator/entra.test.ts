// The Walk-up pieces of the embedded instance: the two Application Registry records (oauth_entity), the two
// Walk-up flows (sys_hub_flow), and the stand-in Entra token endpoint with a fault per error
// (docs/servicenow.md §1.4, §2, §8) — all through HTTP, as the app reads them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENTRA_FAULTS, flowId, spokeIds, startSimulator, type Simulator } from '../../../src/main/simulator';
import { OAUTH_REGISTRIES, WALKUP_FLOWS } from '../../../src/shared/servicenow/spoke';
import { call, enc } from './http';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.faults.clear();
  sim.reset('fresh');
  sim.clearLog();
});

const SECRET = 'Entra~Secret-Value_123';

describe('Application Registry records (oauth_entity)', () => {
  const query = `/api/now/table/oauth_entity?sysparm_query=${enc('nameINMicrosoft Exchange Online,Microsoft Exchange Online_clientCredentials^ORDERBYname')}&sysparm_fields=name,client_id,client_secret,default_grant_type,auth_url,token_url,redirect_url`;

  it('ships both registries, empty but for their default grant type', async () => {
    const r = await call(sim, 'GET', query);
    expect(r.json.result).toEqual([
      {
        name: 'Microsoft Exchange Online',
        client_id: '',
        client_secret: '',
        default_grant_type: 'authorization_code',
        auth_url: '',
        token_url: '',
        redirect_url: '',
      },
      {
        name: 'Microsoft Exchange Online_clientCredentials',
        client_id: '',
        client_secret: '',
        default_grant_type: 'client_credentials',
        auth_url: '',
        token_url: '',
        redirect_url: '',
      },
    ]);
  });

  it('takes the secret with sysparm_input_display_value=true and never answers it in clear', async () => {
    const id = spokeIds.entity('client_credentials');
    const write = await call(
      sim,
      'PATCH',
      `/api/now/table/oauth_entity/${id}?sysparm_input_display_value=true`,
      {
        body: {
          client_id: 'abc',
          client_secret: SECRET,
          token_url: 'https://login.microsoftonline.com/t/oauth2/v2.0/token',
        },
      },
    );
    expect(write.status).toBe(200);
    expect(write.text).not.toContain(SECRET);
    expect(write.json.result.client_secret).toBe('********');
    for (const display of ['false', 'true', 'all']) {
      const read = await call(
        sim,
        'GET',
        `/api/now/table/oauth_entity/${id}?sysparm_display_value=${display}`,
      );
      expect(read.text).not.toContain(SECRET);
    }
    const state = await call(sim, 'GET', '/__simulator/state', { user: null });
    expect(state.text).not.toContain(SECRET);
    expect(JSON.stringify(sim.db.dump())).not.toContain(SECRET);
    expect(OAUTH_REGISTRIES.client_credentials.entityName).toBe(sim.db.get('oauth_entity', id)?.name);
  });
});

describe('Walk-up flows (sys_hub_flow)', () => {
  it('serves both flows, shipped inactive, through the Table API', async () => {
    const r = await call(
      sim,
      'GET',
      `/api/now/table/sys_hub_flow?sysparm_query=${enc(`nameIN${WALKUP_FLOWS.join(',')}`)}&sysparm_fields=sys_id,name,active,status`,
    );
    expect(r.json.result).toEqual(
      WALKUP_FLOWS.map((name) => ({ sys_id: flowId(name), name, active: 'false', status: 'published' })),
    );
  });

  it('opens a flow on its own page', async () => {
    const name = WALKUP_FLOWS[0];
    const r = await call(sim, 'GET', `/sys_hub_flow.do?sys_id=${flowId(name)}`, {
      headers: { Accept: 'text/html' },
    });
    expect(r.status).toBe(200);
    expect(r.text).toContain('Create Walk-up Appointment Calendar Event');
  });

  it('is absent on an instance without Walk-up (no-spoke)', async () => {
    sim.reset('no-spoke');
    const r = await call(sim, 'GET', '/api/now/table/sys_hub_flow');
    expect(r.json.result).toEqual([]);
  });
});

interface TokenReply {
  status: number;
  contentType: string;
  text: string;
  // Entra's answers are arbitrary JSON read by assertions only.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

async function token(
  form: Record<string, string> = {},
  tenant = sim.entraApp.tenantId,
  signal?: AbortSignal,
): Promise<TokenReply> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: sim.entraApp.clientId,
    client_secret: sim.entraApp.clientSecret,
    scope: 'https://graph.microsoft.com/.default',
    ...form,
  });
  const r = await fetch(`${sim.entraApp.authority}/${enc(tenant)}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: body.toString(),
    ...(signal ? { signal } : {}),
  });
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, contentType: r.headers.get('content-type') ?? '', text, json };
}

function payloadOf(jwt: string): Record<string, unknown> {
  const [header, payload, signature] = jwt.split('.');
  expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8'))).toEqual({
    typ: 'JWT',
    alg: 'none',
  });
  expect(signature).toBe('');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

function expectEntraError(reply: TokenReply, status: number, error: string, code: number): void {
  expect(reply.status).toBe(status);
  expect(reply.json).toMatchObject({ error, error_codes: [code] });
  const body = reply.json as Record<string, string>;
  expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
  expect(body.error_description).toContain(
    `\r\nTrace ID: ${body.trace_id}\r\nCorrelation ID: ${body.correlation_id}\r\nTimestamp: ${body.timestamp}`,
  );
  expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(body.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  expect(reply.text).not.toContain(sim.entraApp.clientSecret);
}

describe('stand-in Entra token endpoint', () => {
  it('issues an app-only token whose roles claim lists the granted permissions', async () => {
    const r = await token();
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    const claims = payloadOf(r.json.access_token as string);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      tid: sim.entraApp.tenantId,
      appid: sim.entraApp.clientId,
      idtyp: 'app',
      roles: ['Calendars.ReadWrite'],
    });
  });

  it('accepts the tenant domain in place of the GUID, in any case', async () => {
    expect((await token({}, sim.entraApp.tenantDomain.toUpperCase())).status).toBe(200);
  });

  it('unknown tenant: 400 invalid_request AADSTS90002', async () => {
    expectEntraError(await token({}, '11111111-2222-4333-8444-555555555555'), 400, 'invalid_request', 90002);
  });

  it('wrong client ID: 400 unauthorized_client AADSTS700016', async () => {
    expectEntraError(
      await token({ client_id: '99999999-2222-4333-8444-555555555555' }),
      400,
      'unauthorized_client',
      700016,
    );
  });

  it('wrong secret: 401 invalid_client AADSTS7000215, the sent secret never echoed', async () => {
    const r = await token({ client_secret: 'not-the-secret' });
    expectEntraError(r, 401, 'invalid_client', 7000215);
    expect(r.text).not.toContain('not-the-secret');
  });

  it('expired secret: 401 invalid_client AADSTS7000222', async () => {
    sim.configureEntra({ secretExpired: true });
    expectEntraError(await token(), 401, 'invalid_client', 7000222);
  });

  it('a scope without /.default: 400 invalid_scope', async () => {
    expectEntraError(await token({ scope: 'Calendars.ReadWrite' }), 400, 'invalid_scope', 1002012);
  });

  it('admin consent missing: a token without a roles claim, no error', async () => {
    sim.configureEntra({ adminConsented: false });
    const r = await token();
    expect(r.status).toBe(200);
    expect(payloadOf(r.json.access_token as string)).not.toHaveProperty('roles');
  });

  it('a permission missing: roles without Calendars.ReadWrite', async () => {
    sim.configureEntra({ roles: ['User.Read.All', 'Mail.Read'] });
    const r = await token();
    expect(payloadOf(r.json.access_token as string).roles).toEqual(['User.Read.All', 'Mail.Read']);
  });

  it('a changed secret is the one that works', async () => {
    sim.configureEntra({ clientSecret: 'rotated-secret' });
    expect((await token()).status).toBe(401);
    expect((await token({ client_secret: 'rotated-secret' })).status).toBe(200);
  });

  it('reset returns the demo app', async () => {
    sim.configureEntra({ secretExpired: true, fault: 'html' });
    sim.reset('fresh');
    expect((await token()).status).toBe(200);
  });

  describe('faults (whatever is sent)', () => {
    it.each([
      ['unknown_tenant', 400, 'invalid_request', 90002],
      ['wrong_client_id', 400, 'unauthorized_client', 700016],
      ['wrong_secret', 401, 'invalid_client', 7000215],
      ['expired_secret', 401, 'invalid_client', 7000222],
    ] as const)('%s', async (fault, status, error, code) => {
      sim.configureEntra({ fault });
      expectEntraError(await token(), status, error, code);
    });

    it('consent_missing: token without roles', async () => {
      sim.configureEntra({ fault: 'consent_missing' });
      expect(payloadOf((await token()).json.access_token as string)).not.toHaveProperty('roles');
    });

    it('permission_missing: roles without Calendars.ReadWrite', async () => {
      sim.configureEntra({ fault: 'permission_missing', roles: ['Calendars.ReadWrite', 'Mail.Read'] });
      expect(payloadOf((await token()).json.access_token as string).roles).toEqual(['Mail.Read']);
    });

    it('html: 200 with an HTML sign-in page', async () => {
      sim.configureEntra({ fault: 'html' });
      const r = await token();
      expect(r.status).toBe(200);
      expect(r.contentType).toMatch(/^text\/html/);
      expect(r.text).toContain('<html>');
    });

    it('hang: no answer at all (the client gives up)', async () => {
      sim.configureEntra({ fault: 'hang' });
      const controller = new AbortController();
      const pending = token({}, sim.entraApp.tenantId, controller.signal);
      // The request is in flight once the simulator has logged it; nothing answers it.
      await expect.poll(() => sim.log.some((e) => e.path.startsWith('/entra/'))).toBe(true);
      controller.abort();
      await expect(pending).rejects.toThrow();
      expect(sim.log.filter((e) => e.path.startsWith('/entra/')).at(-1)?.status).toBe(0);
    });
  });

  it('the control API configures the app and never shows its secret', async () => {
    const set = await call(sim, 'POST', '/__simulator/entra', {
      user: null,
      body: {
        roles: ['Calendars.ReadWrite', 'Calendars.ReadWrite.Shared'],
        clientSecret: 'control-secret',
        fault: null,
      },
    });
    expect(set.status).toBe(200);
    expect(set.text).not.toContain('control-secret');
    const get = await call(sim, 'GET', '/__simulator/entra', { user: null });
    expect(get.json.result).toEqual({
      tenantId: sim.entraApp.tenantId,
      tenantDomain: sim.entraApp.tenantDomain,
      clientId: sim.entraApp.clientId,
      secretExpired: false,
      adminConsented: true,
      roles: ['Calendars.ReadWrite', 'Calendars.ReadWrite.Shared'],
      fault: null,
      secretSet: true,
    });
    expect((await token({ client_secret: 'control-secret' })).status).toBe(200);
    const bad = await call(sim, 'POST', '/__simulator/entra', { user: null, body: { fault: 'boom' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^invalid Entra app: fault:/);
    expect(ENTRA_FAULTS).toHaveLength(8);
  });
});
