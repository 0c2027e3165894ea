// The Entra check against the embedded instance's stand-in Entra token endpoint: one test per answer,
// each asserting the plain-words problem, the field to fix, and that the secret appears nowhere.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  MAX_RESPONSE_BYTES,
  checkEntraApp,
  normalizeAuthority,
  rolesOfToken,
  type EntraCheckInput,
  type EntraCheckResult,
} from '../../../src/main/entra/check';
import { startSimulator, type Simulator } from '../../../src/main/simulator';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset('fresh');
  sim.clearLog();
});

const input = (over: Partial<EntraCheckInput> = {}): EntraCheckInput => ({
  tenant: sim.entraApp.tenantId,
  clientId: sim.entraApp.clientId,
  clientSecret: sim.entraApp.clientSecret,
  ...over,
});

/** Runs the check on the simulator and asserts the secret is nowhere in the result. */
async function check(over: Partial<EntraCheckInput> = {}, options = {}): Promise<EntraCheckResult> {
  const i = input(over);
  const result = await checkEntraApp(i, { authority: sim.entraApp.authority, env: {}, ...options });
  if (i.clientSecret) expect(JSON.stringify(result)).not.toContain(i.clientSecret);
  return result;
}

const entraRequests = () => sim.log.filter((e) => e.path.startsWith('/entra/'));
const OTHER_GUID = '11111111-2222-4333-8444-555555555555';

describe('checkEntraApp', () => {
  it('a working app: the granted roles, in plain words', async () => {
    const r = await check();
    expect(r).toEqual({
      ok: true,
      roles: ['Calendars.ReadWrite'],
      message: 'The Entra app works: Microsoft Graph granted Calendars.ReadWrite.',
    });
    expect(entraRequests()).toHaveLength(1);
    expect(entraRequests()[0]?.path).toBe(`/entra/${sim.entraApp.tenantId}/oauth2/v2.0/token`);
    expect(entraRequests()[0]?.query).toEqual({});
  });

  it('a tenant domain works like the GUID', async () => {
    expect((await check({ tenant: sim.entraApp.tenantDomain })).ok).toBe(true);
  });

  it('unknown tenant: names the tenant ID, with trace and correlation IDs', async () => {
    const r = await check({ tenant: OTHER_GUID });
    expect(r).toMatchObject({ ok: false, problem: 'unknown_tenant', field: 'tenant' });
    if (r.ok) return;
    expect(r.message).toMatch(/^Tenant ID: Entra knows no tenant "11111111-/);
    expect(r.entra?.codes).toEqual([90002]);
    expect(r.message).toContain(`trace ID ${r.entra?.traceId}`);
    expect(r.message).toContain(`correlation ID ${r.entra?.correlationId}`);
  });

  it('wrong client ID', async () => {
    const r = await check({ clientId: OTHER_GUID });
    expect(r).toMatchObject({ ok: false, problem: 'unknown_client', field: 'clientId' });
    if (!r.ok) expect(r.message).toMatch(/^Client ID: no application 11111111-/);
  });

  it('wrong secret, never repeated back', async () => {
    const r = await check({ clientSecret: 'Wrong~Secret-Value_0' });
    expect(r).toMatchObject({ ok: false, problem: 'invalid_secret', field: 'clientSecret' });
    if (!r.ok) expect(r.message).toMatch(/^Client secret: Entra refused it/);
  });

  it('expired secret', async () => {
    sim.configureEntra({ secretExpired: true });
    const r = await check();
    expect(r).toMatchObject({ ok: false, problem: 'expired_secret', field: 'clientSecret' });
    if (!r.ok) expect(r.message).toMatch(/^Client secret: it has expired/);
  });

  it('admin consent missing: a token without roles', async () => {
    sim.configureEntra({ adminConsented: false });
    const r = await check();
    expect(r).toMatchObject({ ok: false, problem: 'consent_missing', field: 'entraApp', roles: [] });
    if (!r.ok) expect(r.message).toMatch(/^Admin consent is missing/);
  });

  it('a needed permission missing: lists it and what was granted', async () => {
    sim.configureEntra({ roles: ['User.Read.All', 'Mail.Read'] });
    const r = await check();
    expect(r).toMatchObject({
      ok: false,
      problem: 'permission_missing',
      field: 'entraApp',
      missingRoles: ['Calendars.ReadWrite'],
      roles: ['User.Read.All', 'Mail.Read'],
    });
    if (!r.ok) expect(r.message).toContain('Calendars.ReadWrite (granted: User.Read.All, Mail.Read)');
  });

  it('the needed permissions are a parameter', async () => {
    const r = await check({}, { requiredRoles: ['Calendars.ReadWrite', 'Calendars.ReadWrite.Shared'] });
    expect(r).toMatchObject({ ok: false, missingRoles: ['Calendars.ReadWrite.Shared'] });
  });

  it('Entra answers HTML', async () => {
    sim.configureEntra({ fault: 'html' });
    const r = await check();
    expect(r).toMatchObject({ ok: false, problem: 'html', field: 'authority' });
    if (!r.ok) expect(r.message).toMatch(/answered with a web page instead of a token \(HTTP 200\)/);
  });

  it('Entra does not answer: timed out (explicit timeouts)', async () => {
    sim.configureEntra({ fault: 'hang' });
    const r = await check({}, { timeouts: { connectMs: 2000, responseMs: 200, requestMs: 2000 } });
    expect(r).toMatchObject({ ok: false, problem: 'timeout', field: 'authority' });
  });

  it('an answer larger than the bound is cut off', async () => {
    // A token whose roles claim alone exceeds the bound.
    const roles = Array.from({ length: MAX_RESPONSE_BYTES / 16 }, (_, i) => `Role.Number${i}`);
    sim.configureEntra({ roles });
    const r = await check();
    expect(r).toMatchObject({ ok: false, problem: 'unexpected', field: 'authority' });
    if (!r.ok) expect(r.message).toMatch(/answered more than 64 KB/);
  });

  it('nobody listening: unreachable', async () => {
    const gone = await startSimulator();
    const authority = gone.entraApp.authority;
    await gone.close();
    const r = await check({}, { authority });
    expect(r).toMatchObject({ ok: false, problem: 'unreachable', field: 'authority' });
    if (!r.ok) expect(r.message).toContain('ECONNREFUSED');
  });

  describe('bad input: named field, nothing sent', () => {
    it.each([
      [{ tenant: 'contoso.com' }, 'tenant'],
      [{ clientId: 'not-a-guid' }, 'clientId'],
      [{ clientSecret: '  ' }, 'clientSecret'],
    ] as const)('%o', async (over, field) => {
      const r = await check(over);
      expect(r).toMatchObject({ ok: false, problem: 'invalid_input', field });
      expect(entraRequests()).toHaveLength(0);
    });

    it.each([
      'http://login.example.com',
      'ftp://127.0.0.1',
      'login.microsoftonline.com',
      'https://u:p@login.example.com',
    ])('authority %s', async (authority) => {
      const r = await check({}, { authority });
      expect(r).toMatchObject({ ok: false, problem: 'invalid_input', field: 'authority' });
      expect(entraRequests()).toHaveLength(0);
    });
  });
});

describe('normalizeAuthority', () => {
  it.each([
    ['https://login.microsoftonline.com', 'https://login.microsoftonline.com'],
    ['https://login.microsoftonline.com/', 'https://login.microsoftonline.com'],
    ['HTTPS://Login.MicrosoftOnline.com', 'https://login.microsoftonline.com'],
    ['http://127.0.0.1:4000/entra/', 'http://127.0.0.1:4000/entra'],
    ['http://localhost:4000/entra', 'http://localhost:4000/entra'],
  ])('%s → %s', (input, out) => {
    expect(normalizeAuthority(input)).toBe(out);
  });

  it.each(['http://login.microsoftonline.com', 'https://x.example/?a=1', 'https://x.example/#f', 'nope', ''])(
    'refuses %s',
    (input) => {
      expect(normalizeAuthority(input)).toBeNull();
    },
  );
});

describe('rolesOfToken', () => {
  const jwt = (payload: unknown) =>
    `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;

  it('reads roles, none as empty, and refuses what is not a JWT', () => {
    expect(rolesOfToken(jwt({ roles: ['A', 'B'] }))).toEqual(['A', 'B']);
    expect(rolesOfToken(jwt({ aud: 'x' }))).toEqual([]);
    expect(rolesOfToken(jwt({ roles: ['A', 3, null] }))).toEqual(['A']);
    expect(rolesOfToken('opaque-token')).toBeNull();
    expect(rolesOfToken('a.bm90IGpzb24.c')).toBeNull();
  });
});
