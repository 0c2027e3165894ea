// The token step after an apply (src/shared/domain/next-steps.ts buildNextSteps) and the wording of the
// "what is left" steps a consultant reads (whatIsLeft; its ordering rules are in what-is-left.test.ts).
import { describe, expect, it } from 'vitest';
import { buildNextSteps, whatIsLeft, type LeftToDoFacts } from '../../../src/shared/domain/next-steps';
import { secretExpiry, type WalkupFlowStatus } from '../../../src/shared/domain/walkup-status';

const BASE = 'https://acme.service-now.com';
const NOW = new Date('2026-12-06T15:00:00.000Z');

/** Nothing left but what a test adds. */
const facts = (overrides: Partial<LeftToDoFacts>): LeftToDoFacts => ({
  nextSteps: [],
  tokens: [],
  entra: false,
  entraCheck: null,
  registriesNotWritten: [],
  walkupFlows: null,
  secretExpiry: null,
  ...overrides,
});

describe('buildNextSteps', () => {
  it('a credential bound to neither spoke profile gets the Client Credentials step: the form, no sign-in link', () => {
    // Even with a profile: without a known grant there is no consent to start.
    const steps = buildNextSteps(BASE, [
      { name: 'Hand-made credential', sysId: 'c9', grant: null, profileSysId: 'p9' },
    ]);
    expect(steps).toEqual([
      {
        credentialName: 'Hand-made credential',
        credentialSysId: 'c9',
        grant: 'client_credentials',
        credentialUrl: `${BASE}/oauth_2_0_credentials.do?sys_id=c9`,
        authorizeUrl: null,
      },
    ]);
    // …and the person is told to click Get OAuth Token on that form.
    const [left] = whatIsLeft(facts({ nextSteps: steps }));
    expect(left).toMatchObject({ kind: 'get_token', url: `${BASE}/oauth_2_0_credentials.do?sys_id=c9` });
    expect(left!.text).toBe(
      'Get an OAuth token for “Hand-made credential” (Client Credentials): open the credential and click Get OAuth Token.',
    );
  });

  it('an Authorization Code credential without a profile cannot start the consent: the form instead', () => {
    const [step] = buildNextSteps(BASE, [
      { name: 'Exchange_Online_Credentials', sysId: 'c1', grant: 'authorization_code', profileSysId: null },
    ]);
    expect(step).toMatchObject({ grant: 'authorization_code', authorizeUrl: null });
    // The step still names the grant, so the person knows a Microsoft sign-in follows the button.
    const [left] = whatIsLeft(facts({ nextSteps: [step!] }));
    expect(left).toMatchObject({ url: step!.credentialUrl, urlLabel: 'Open the credential' });
    expect(left!.text).toBe(
      'Get an OAuth token for “Exchange_Online_Credentials” (Authorization Code): open the credential and click Get OAuth Token.',
    );
  });

  it('with a profile, the Authorization Code step links the consent and says what the link does', () => {
    const steps = buildNextSteps(BASE, [
      { name: 'Exchange_Online_Credentials', sysId: 'c1', grant: 'authorization_code', profileSysId: 'p1' },
    ]);
    const [left] = whatIsLeft(facts({ nextSteps: steps }));
    expect(left).toEqual({
      kind: 'get_token',
      text: 'Get an OAuth token for “Exchange_Online_Credentials” (Authorization Code): sign in to Microsoft as the mailbox account and allow access.',
      url: `${BASE}/oauth_initiator.do?oauth_requestor_context=oauth_2_0_credentials&oauth_requestor=c1&oauth_provider_profile=p1&response_type=code`,
      urlLabel: 'Sign in to Microsoft to authorize',
    });
  });

  it('an instance URL typed with trailing slashes still gives links with one slash', () => {
    const [step] = buildNextSteps(`${BASE}//`, [
      { name: 'Exchange_Online_Credentials', sysId: 'c1', grant: 'authorization_code', profileSysId: 'p1' },
    ]);
    expect(step!.credentialUrl).toBe(`${BASE}/oauth_2_0_credentials.do?sys_id=c1`);
    expect(step!.authorizeUrl!.startsWith(`${BASE}/oauth_initiator.do?`)).toBe(true);
  });
});

describe('whatIsLeft: the words a consultant reads', () => {
  it('an inactive flow names its status when the instance gave one, and says nothing about it otherwise', () => {
    const inactive = (status: string | null) =>
      whatIsLeft(
        facts({
          walkupFlows: [
            {
              name: 'Create Walk-up Appointment Calendar Event',
              state: 'inactive',
              status,
              url: `${BASE}/sys_hub_flow.do?sys_id=flow1`,
              message: '',
            },
          ],
        }),
      )[0]!;
    expect(inactive('draft').text).toBe(
      'Activate the flow “Create Walk-up Appointment Calendar Event” in Flow Designer (its status is draft): Walk-up sends no calendar events while it is inactive.',
    );
    expect(inactive(null).text).toBe(
      'Activate the flow “Create Walk-up Appointment Calendar Event” in Flow Designer: Walk-up sends no calendar events while it is inactive.',
    );
    expect(inactive(null)).toMatchObject({
      kind: 'activate_flow',
      url: `${BASE}/sys_hub_flow.do?sys_id=flow1`,
      urlLabel: 'Open the flow',
    });
  });

  const CREATE = 'Create Walk-up Appointment Calendar Event' as const;
  const UPDATE = 'Update/Delete Walk-up Appointment Calendar Event' as const;
  const flow = (name: typeof CREATE | typeof UPDATE, state: WalkupFlowStatus['state']): WalkupFlowStatus => ({
    name,
    state,
    status: null,
    url: null,
    message: '',
  });
  const flowSteps = (flows: WalkupFlowStatus[] | null) =>
    whatIsLeft(facts({ entra: true, walkupFlows: flows })).map(({ kind, text }) => ({ kind, text }));

  it('one flow missing is named alone; both missing are named together, in the plural', () => {
    expect(flowSteps([flow(CREATE, 'active'), flow(UPDATE, 'missing')])).toEqual([
      {
        kind: 'install_walkup',
        text: `Install the Walk-up Experience plugin (com.snc.walkup): the flow “${UPDATE}” is not on this instance.`,
      },
    ]);
    expect(flowSteps([flow(CREATE, 'missing'), flow(UPDATE, 'missing')])).toEqual([
      {
        kind: 'install_walkup',
        text: `Install the Walk-up Experience plugin (com.snc.walkup): the flows “${CREATE}” and “${UPDATE}” are not on this instance.`,
      },
    ]);
  });

  it('flows not read at all: one step naming both; one flow unread beside one read: a step for that one only', () => {
    const bothUnread = [
      {
        kind: 'check_flows',
        text: `Check in Flow Designer that “${CREATE}” and “${UPDATE}” are active: Spokesmith did not read them (discover the instance again to see them here).`,
      },
    ];
    expect(flowSteps(null)).toEqual(bothUnread);
    expect(flowSteps([flow(CREATE, 'unknown'), flow(UPDATE, 'unknown')])).toEqual(bothUnread);
    expect(flowSteps([flow(CREATE, 'active'), flow(UPDATE, 'unknown')])).toEqual([
      {
        kind: 'check_flows',
        text: `Check in Flow Designer that “${UPDATE}” is active: Spokesmith could not read it.`,
      },
    ]);
    expect(flowSteps([flow(CREATE, 'active'), flow(UPDATE, 'active')])).toEqual([]);
  });

  it('a secret that expires tomorrow, today, or in some days says so in words', () => {
    const renew = (expiresOn: string) =>
      whatIsLeft(facts({ entra: true, walkupFlows: [], secretExpiry: secretExpiry(expiresOn, NOW) })).find(
        (s) => s.kind === 'renew_secret',
      )!.text;
    expect(renew('2026-12-07')).toBe(
      'Renew the Entra client secret: it expires on 2026-12-07 (tomorrow). Create a new one in Entra (Certificates & secrets), enter it in Spokesmith with its expiry date, and apply again.',
    );
    expect(renew('2026-12-06')).toContain('it expires on 2026-12-06 (today).');
    expect(renew('2026-12-08')).toContain('it expires on 2026-12-08 (in 2 days).');
    expect(renew('2026-12-05')).toContain('it expired on 2026-12-05.');
  });
});
