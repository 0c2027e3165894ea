// The "what is left for a person to do" rules (src/shared/domain/next-steps.ts whatIsLeft): each step comes
// from a fact, and each rule is shown on both sides of its condition.
import { describe, expect, it } from 'vitest';
import type { NextStep, TokenStatus } from '../../../src/shared/domain/apply';
import { whatIsLeft, type LeftToDoFacts } from '../../../src/shared/domain/next-steps';
import type { EntraCheckSummary } from '../../../src/shared/domain/plan';
import { secretExpiry, type WalkupFlowStatus } from '../../../src/shared/domain/walkup-status';

const NOW = new Date('2026-12-06T15:00:00.000Z');
const BASE = 'https://acme.service-now.com';

const authCode: NextStep = {
  credentialName: 'Exchange_Online_Credentials',
  credentialSysId: 'c1',
  grant: 'authorization_code',
  credentialUrl: `${BASE}/oauth_2_0_credentials.do?sys_id=c1`,
  authorizeUrl: `${BASE}/oauth_initiator.do?oauth_requestor=c1`,
};
const clientCred: NextStep = {
  credentialName: 'Exchange_Online_Credentials_clientCred',
  credentialSysId: 'c2',
  grant: 'client_credentials',
  credentialUrl: `${BASE}/oauth_2_0_credentials.do?sys_id=c2`,
  authorizeUrl: null,
};

const token = (sysId: string, hasToken: boolean): TokenStatus => ({
  credentialName: sysId,
  credentialSysId: sysId,
  hasToken,
  expiresAt: null,
  checkedAt: NOW.toISOString(),
});

const flow = (
  name: WalkupFlowStatus['name'],
  state: WalkupFlowStatus['state'],
  url: string | null = null,
): WalkupFlowStatus => ({ name, state, status: state === 'inactive' ? 'draft' : null, url, message: name });

const CREATE = 'Create Walk-up Appointment Calendar Event' as const;
const UPDATE = 'Update/Delete Walk-up Appointment Calendar Event' as const;
const passed: EntraCheckSummary = {
  status: 'passed',
  authority: 'https://login.microsoftonline.com',
  message: 'ok',
};

/** Everything done: both tokens, both flows active, check passed, expiry far away. */
function allDone(overrides: Partial<LeftToDoFacts> = {}): LeftToDoFacts {
  return {
    nextSteps: [authCode, clientCred],
    tokens: [token('c1', true), token('c2', true)],
    entra: true,
    entraCheck: passed,
    registriesNotWritten: [],
    walkupFlows: [flow(CREATE, 'active', `${BASE}/f1`), flow(UPDATE, 'active', `${BASE}/f2`)],
    secretExpiry: secretExpiry('2027-12-01', NOW),
    ...overrides,
  };
}

const kinds = (facts: LeftToDoFacts) => whatIsLeft(facts).map((s) => s.kind);

describe('whatIsLeft', () => {
  it('says nothing when every fact says done', () => {
    expect(whatIsLeft(allDone())).toEqual([]);
  });

  it('asks for the Authorization Code token with the sign-in link, and Client Credentials on the form', () => {
    const steps = whatIsLeft(allDone({ tokens: [token('c1', false), token('c2', false)] }));
    expect(steps).toEqual([
      expect.objectContaining({ kind: 'get_token', url: authCode.authorizeUrl }),
      expect.objectContaining({ kind: 'get_token', url: clientCred.credentialUrl }),
    ]);
    expect(steps[0]!.text).toContain('Exchange_Online_Credentials');
    expect(steps[0]!.text).toContain('Authorization Code');
    expect(steps[1]!.text).toContain('Get OAuth Token');
  });

  it('asks only for the token a credential lacks; unknown token status asks for every one', () => {
    expect(whatIsLeft(allDone({ tokens: [token('c1', false), token('c2', true)] }))).toEqual([
      expect.objectContaining({ kind: 'get_token', url: authCode.authorizeUrl }),
    ]);
    expect(kinds(allDone({ tokens: null }))).toEqual(['get_token', 'get_token']);
  });

  it('an Authorization Code credential without a profile falls back to the form', () => {
    const step = whatIsLeft(allDone({ nextSteps: [{ ...authCode, authorizeUrl: null }], tokens: null }))[0]!;
    expect(step.url).toBe(authCode.credentialUrl);
    expect(step.text).toContain('Get OAuth Token');
  });

  it('activates an inactive flow with its link; an active one needs nothing', () => {
    const steps = whatIsLeft(
      allDone({ walkupFlows: [flow(CREATE, 'active'), flow(UPDATE, 'inactive', `${BASE}/f2`)] }),
    );
    expect(steps).toEqual([expect.objectContaining({ kind: 'activate_flow', url: `${BASE}/f2` })]);
    expect(steps[0]!.text).toContain(UPDATE);
    expect(steps[0]!.text).toContain('draft');
  });

  it('missing flows: one step to install Walk-up, naming both', () => {
    const steps = whatIsLeft(allDone({ walkupFlows: [flow(CREATE, 'missing'), flow(UPDATE, 'missing')] }));
    expect(steps.map((s) => s.kind)).toEqual(['install_walkup']);
    expect(steps[0]!.text).toContain(CREATE);
    expect(steps[0]!.text).toContain(UPDATE);
    expect(steps[0]!.text).toContain('com.snc.walkup');
  });

  it('flows not read: check them by hand — only when the apply was about the Entra app or flows are known', () => {
    expect(kinds(allDone({ walkupFlows: null }))).toEqual(['check_flows']);
    expect(kinds(allDone({ walkupFlows: [flow(CREATE, 'unknown'), flow(UPDATE, 'unknown')] }))).toEqual([
      'check_flows',
    ]);
    // A connections-only apply with no flow facts says nothing about flows.
    expect(kinds(allDone({ entra: false, entraCheck: null, walkupFlows: null }))).toEqual([]);
    // …nor about flows that are missing (a WCS instance need not have Walk-up)…
    expect(
      kinds(
        allDone({
          entra: false,
          entraCheck: null,
          walkupFlows: [flow(CREATE, 'missing'), flow(UPDATE, 'unknown')],
        }),
      ),
    ).toEqual([]);
    // …but a Walk-up flow found inactive is still worth a step.
    expect(
      kinds(
        allDone({
          entra: false,
          entraCheck: null,
          walkupFlows: [flow(CREATE, 'inactive'), flow(UPDATE, 'active')],
        }),
      ),
    ).toEqual(['activate_flow']);
  });

  it('an unchecked Entra app: asks to check it, saying why', () => {
    const skipped = whatIsLeft(allDone({ entraCheck: { ...passed, status: 'skipped', message: '' } }));
    expect(skipped.map((s) => s.kind)).toEqual(['check_entra_app']);
    expect(skipped[0]!.text).toContain('declined');
    expect(skipped[0]!.text).toContain('Calendars.ReadWrite');
    const offline = whatIsLeft(allDone({ entraCheck: { ...passed, status: 'not_run', message: '' } }));
    expect(offline.map((s) => s.kind)).toEqual(['check_entra_app']);
    expect(offline[0]!.text).toContain('not checked');
  });

  it('a failed check: admin consent when the app in Entra is at fault, else fix the named input', () => {
    const consent = whatIsLeft(
      allDone({
        entraCheck: { ...passed, status: 'failed', field: 'entraApp', message: 'Admin consent is missing.' },
      }),
    );
    expect(consent.map((s) => s.kind)).toEqual(['grant_admin_consent']);
    expect(consent[0]!.text).toContain('Calendars.ReadWrite');
    expect(consent[0]!.text).toContain('Admin consent is missing.');
    const secret = whatIsLeft(
      allDone({
        entraCheck: {
          ...passed,
          status: 'failed',
          field: 'clientSecret',
          message: 'The client secret is wrong.',
        },
      }),
    );
    expect(secret.map((s) => s.kind)).toEqual(['fix_entra_app']);
    expect(secret[0]!.text).toContain('The client secret is wrong.');
  });

  it('renews a secret that expires within 30 days or has expired; not one that expires in 31', () => {
    expect(kinds(allDone({ secretExpiry: secretExpiry('2027-01-06', NOW) }))).toEqual([]); // 31 days
    const soon = whatIsLeft(allDone({ secretExpiry: secretExpiry('2027-01-05', NOW) })); // 30 days
    expect(soon.map((s) => s.kind)).toEqual(['renew_secret']);
    expect(soon[0]!.text).toContain('expires on 2027-01-05 (in 30 days)');
    expect(whatIsLeft(allDone({ secretExpiry: secretExpiry('2026-12-06', NOW) }))[0]!.text).toContain(
      '(today)',
    );
    expect(whatIsLeft(allDone({ secretExpiry: secretExpiry('2026-12-01', NOW) }))[0]!.text).toContain(
      'expired on 2026-12-01',
    );
    expect(kinds(allDone({ secretExpiry: null }))).toEqual([]);
  });

  it('names a registry that was not written, with the reason', () => {
    const steps = whatIsLeft(
      allDone({
        registriesNotWritten: [{ name: 'Microsoft Exchange Online', reason: 'The instance refused it.' }],
      }),
    );
    expect(steps.map((s) => s.kind)).toEqual(['write_registry']);
    expect(steps[0]!.text).toContain('“Microsoft Exchange Online” was not written: The instance refused it.');
  });

  it('orders the steps: Entra app, registries, tokens, flows, secret renewal', () => {
    expect(
      kinds({
        nextSteps: [authCode],
        tokens: null,
        entra: true,
        entraCheck: { ...passed, status: 'skipped' },
        registriesNotWritten: [{ name: 'R', reason: 'x.' }],
        walkupFlows: [flow(CREATE, 'inactive'), flow(UPDATE, 'missing')],
        secretExpiry: secretExpiry('2026-12-10', NOW),
      }),
    ).toEqual([
      'check_entra_app',
      'write_registry',
      'get_token',
      'install_walkup',
      'activate_flow',
      'renew_secret',
    ]);
  });
});
