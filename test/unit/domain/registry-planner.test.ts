// Deriving and planning the two Application Registries: field-level before/after, the secret only as
// set / will be replaced / unchanged, never another record touched; and rolling them back.
import { describe, expect, it } from 'vitest';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import { hasWrites, isBlocked, planSummary, type RegistryAction } from '../../../src/shared/domain/plan';
import { buildPlan, planToJson } from '../../../src/shared/domain/planner';
import { registryFields } from '../../../src/shared/domain/registry-fields';
import { secretOp, type EntraSecretState } from '../../../src/shared/domain/registry-planner';
import { planRollback } from '../../../src/shared/domain/rollback-planner';
import type { ApplyRecord } from '../../../src/shared/domain/apply';
import type { RegistryRecord, Snapshot } from '../../../src/shared/domain/snapshot';
import { IDS, freshSnapshot } from '../engine/snapshot-fixtures';

const NOW = new Date('2026-12-06T15:00:00.000Z');
const TENANT = '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e';
const CLIENT = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';
const LOGIN = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0`;
const INSTANCE = 'https://dev12345.service-now.com';

function registry(
  id: string,
  name: string,
  values: Record<string, string>,
  secretSet: boolean | null,
): RegistryRecord {
  return { sysId: id, name, values, secretSet };
}

/** The spoke as shipped: registries empty but for their default grant type. */
function shipped(): Snapshot {
  const s = freshSnapshot();
  s.registries = {
    authorization_code: registry(
      IDS.entityAuthCode,
      'Microsoft Exchange Online',
      { default_grant_type: 'authorization_code' },
      false,
    ),
    client_credentials: registry(
      IDS.entityClientCred,
      'Microsoft Exchange Online_clientCredentials',
      { default_grant_type: 'client_credentials' },
      false,
    ),
  };
  return s;
}

/** What an apply of the Entra app leaves: every derived field in place and both secrets set. */
function configured(): Snapshot {
  const s = shipped();
  const fields = registryFields({ tenant: TENANT, clientId: CLIENT }, INSTANCE);
  s.registries!.authorization_code!.values = { ...fields.authorization_code };
  s.registries!.authorization_code!.secretSet = true;
  s.registries!.client_credentials!.values = { ...fields.client_credentials };
  s.registries!.client_credentials!.secretSet = true;
  return s;
}

function desired(): DesiredState {
  return { ...defaultDesiredState(), entra: { tenant: TENANT, clientId: CLIENT } };
}

function registries(snapshot: Snapshot, secret: EntraSecretState, d = desired()): RegistryAction[] {
  return buildPlan(snapshot, d, NOW, { entraSecret: secret }).registries ?? [];
}

describe('registryFields', () => {
  it('derives both registries from tenant, client ID and instance, always naming login.microsoftonline.com', () => {
    expect(registryFields({ tenant: TENANT, clientId: CLIENT }, `${INSTANCE}/`)).toEqual({
      authorization_code: {
        client_id: CLIENT,
        default_grant_type: 'authorization_code',
        auth_url: `${LOGIN}/authorize`,
        token_url: `${LOGIN}/token`,
        redirect_url: `${INSTANCE}/oauth_redirect.do`,
      },
      client_credentials: {
        client_id: CLIENT,
        default_grant_type: 'client_credentials',
        token_url: `${LOGIN}/token`,
      },
    });
  });

  it('takes a tenant domain in the URLs', () => {
    expect(
      registryFields({ tenant: 'contoso.onmicrosoft.com', clientId: CLIENT }, INSTANCE).client_credentials
        .token_url,
    ).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token');
  });
});

describe('secretOp', () => {
  it.each([
    ['unchanged', true, 'unchanged'],
    ['unchanged', false, 'set'],
    ['unchanged', null, 'unchanged'],
    ['replace', true, 'replace'],
    ['replace', false, 'set'],
    ['unknown', true, 'replace'],
    ['unknown', null, 'replace'],
    ['unknown', false, 'set'],
    ['missing', true, 'unchanged'],
    ['missing', false, 'missing'],
    ['missing', null, 'missing'],
  ] as const)('%s with the registry secret set=%s → %s', (state, set, op) => {
    expect(secretOp(state, set)).toBe(op);
  });
});

describe('planning the registries', () => {
  it('a plan without an Entra app has no registries (backwards compatible)', () => {
    const plan = buildPlan(shipped(), defaultDesiredState(), NOW);
    expect(plan).not.toHaveProperty('registries');
    expect(planToJson(plan)).not.toHaveProperty('registries');
  });

  it('shipped registries: updates both, field by field, the secret "set"', () => {
    const [auth, cc] = registries(shipped(), 'unknown');
    expect(auth).toMatchObject({
      id: 'registry:authorization_code',
      table: 'oauth_entity',
      op: 'update',
      sysId: IDS.entityAuthCode,
      secret: 'set',
      body: {
        client_id: CLIENT,
        auth_url: `${LOGIN}/authorize`,
        token_url: `${LOGIN}/token`,
        redirect_url: `${INSTANCE}/oauth_redirect.do`,
      },
    });
    expect(auth?.changes).toEqual({
      client_id: { before: '', after: CLIENT },
      default_grant_type: { before: 'authorization_code', after: 'authorization_code' },
      auth_url: { before: '', after: `${LOGIN}/authorize` },
      token_url: { before: '', after: `${LOGIN}/token` },
      redirect_url: { before: '', after: `${INSTANCE}/oauth_redirect.do` },
    });
    expect(cc).toMatchObject({ op: 'update', sysId: IDS.entityClientCred, secret: 'set' });
    expect(cc?.body).toEqual({ client_id: CLIENT, token_url: `${LOGIN}/token` });
  });

  it('fixes a wrong default grant type', () => {
    const s = shipped();
    s.registries!.client_credentials!.values.default_grant_type = 'authorization_code';
    const cc = registries(s, 'unknown')[1];
    expect(cc?.changes.default_grant_type).toEqual({
      before: 'authorization_code',
      after: 'client_credentials',
    });
    expect(cc?.body.default_grant_type).toBe('client_credentials');
  });

  it('never carries the secret, nor a client_secret field, in a body or change', () => {
    for (const state of ['unchanged', 'replace', 'unknown', 'missing'] as const) {
      for (const r of registries(shipped(), state)) {
        expect(r.body).not.toHaveProperty('client_secret');
        expect(r.changes).not.toHaveProperty('client_secret');
      }
    }
  });

  it('re-plan after an apply with the same secret writes nothing', () => {
    const plan = buildPlan(configured(), desired(), NOW, { entraSecret: 'unchanged' });
    expect(plan.registries?.map((r) => `${r.op} ${r.secret}`)).toEqual(['noop unchanged', 'noop unchanged']);
    expect(plan.registries?.every((r) => Object.keys(r.body).length === 0)).toBe(true);
  });

  it('another secret: "will be replaced", and only that changes', () => {
    const plan = buildPlan(configured(), desired(), NOW, { entraSecret: 'replace' });
    expect(plan.registries?.map((r) => `${r.op} ${r.secret}`)).toEqual(['update replace', 'update replace']);
    expect(plan.registries?.map((r) => r.body)).toEqual([{}, {}]);
    expect(planToJson(plan).registries?.map((r) => r.clientSecret)).toEqual([
      'will be replaced',
      'will be replaced',
    ]);
  });

  it("the plan's JSON carries the Entra check's result as the plan holds it", () => {
    const plan = {
      ...buildPlan(configured(), desired(), NOW, { entraSecret: 'unchanged' }),
      entraCheck: {
        status: 'failed' as const,
        authority: 'https://login.microsoftonline.com',
        field: 'clientSecret' as const,
        message: 'Client secret: it has expired.',
      },
    };
    expect(planToJson(plan).entraCheck).toEqual(plan.entraCheck);
    expect(planToJson(buildPlan(configured(), desired(), NOW))).not.toHaveProperty('entraCheck');
  });

  it('a secret set by someone else (no fingerprint): replaced, with a note', () => {
    const [auth] = registries(configured(), 'unknown');
    expect(auth?.secret).toBe('replace');
    expect(auth?.notes).toContain(
      'The registry holds a client secret Spokesmith did not write; it is replaced.',
    );
  });

  it('no secret at hand: an empty registry blocks, one holding a secret keeps it', () => {
    const [blocked] = registries(shipped(), 'missing');
    expect(blocked).toMatchObject({ op: 'blocked', secret: null, body: {} });
    expect(blocked?.reason).toMatch(/has no client secret and none was given/);
    const [kept] = registries(configured(), 'missing');
    expect(kept).toMatchObject({ op: 'noop', secret: 'unchanged' });
  });

  it('the planner defaults to "missing" when the caller says nothing about the secret', () => {
    expect(buildPlan(shipped(), desired(), NOW).registries?.[0]?.op).toBe('blocked');
  });

  it('a changed client ID is a field-level update of both', () => {
    const other = '11111111-2222-4333-8444-555555555555';
    const plan = buildPlan(configured(), { ...desired(), entra: { tenant: TENANT, clientId: other } }, NOW, {
      entraSecret: 'unchanged',
    });
    expect(plan.registries?.map((r) => r.body)).toEqual([{ client_id: other }, { client_id: other }]);
    expect(plan.registries?.[0]?.changes.client_id).toEqual({ before: CLIENT, after: other });
  });

  it('touches only the two registry records, and leaves credential/connection actions as they were', () => {
    const withEntra = buildPlan(shipped(), desired(), NOW, { entraSecret: 'unknown' });
    const without = buildPlan(shipped(), defaultDesiredState(), NOW);
    expect(withEntra.actions).toEqual(without.actions);
    expect(withEntra.registries?.map((r) => r.sysId)).toEqual([IDS.entityAuthCode, IDS.entityClientCred]);
  });

  it('counts in the summary, writes and blocking', () => {
    const plan = buildPlan(configured(), desired(), NOW, { entraSecret: 'unchanged' });
    plan.actions = [];
    expect(hasWrites(plan)).toBe(false);
    const replace = buildPlan(configured(), desired(), NOW, { entraSecret: 'replace' });
    replace.actions = [];
    expect(hasWrites(replace)).toBe(true);
    expect(planSummary(replace).update).toBe(2);
    const blocked = buildPlan(shipped(), desired(), NOW);
    expect(isBlocked(blocked)).toBe(true);
  });

  it('blocks when a registry is missing, or they were not read, or the spoke is missing', () => {
    const s = shipped();
    s.registries!.client_credentials = null;
    const missing = registries(s, 'unknown');
    expect(missing.map((r) => r.op)).toEqual(['update', 'blocked']);
    expect(missing[1]?.reason).toMatch(/"Microsoft Exchange Online_clientCredentials" is missing/);

    const old = freshSnapshot();
    expect(registries(old, 'unknown')[0]?.reason).toMatch(/Application Registries were not read/);

    const noSpoke = shipped();
    noSpoke.spoke.installed = false;
    expect(registries(noSpoke, 'unknown')[0]?.reason).toMatch(/Spoke is not installed/);
  });
});

describe('rolling back the registries', () => {
  function applied(before: Record<string, string>, after: Record<string, string>): ApplyRecord {
    return {
      version: 1,
      applyId: 'a1',
      kind: 'apply',
      instanceUrl: INSTANCE,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
      status: 'succeeded',
      plan: null,
      steps: [
        {
          actionId: 'registry:authorization_code',
          table: 'oauth_entity',
          name: 'Microsoft Exchange Online',
          op: 'update',
          status: 'done',
          sysId: IDS.entityAuthCode,
        },
      ],
      records: [
        {
          actionId: 'registry:authorization_code',
          table: 'oauth_entity',
          sysId: IDS.entityAuthCode,
          name: 'Microsoft Exchange Online',
          op: 'update',
          before,
          after,
          verified: true,
          mismatches: [],
        },
      ],
      verification: null,
      nextSteps: [],
      requests: 0,
    };
  }

  const BEFORE = {
    client_id: 'old-client',
    default_grant_type: 'authorization_code',
    token_url: 'https://old/token',
    client_secret: '********',
  };
  const AFTER = {
    client_id: CLIENT,
    default_grant_type: 'authorization_code',
    token_url: `${LOGIN}/token`,
    client_secret: '********',
  };

  it('restores the earlier non-secret values, never the secret, and leaves connection actions empty', () => {
    const plan = planRollback(applied(BEFORE, AFTER), configured(), NOW);
    expect(plan.actions).toEqual([]);
    expect(plan.registries).toHaveLength(1);
    const r = plan.registries![0]!;
    expect(r).toMatchObject({
      id: 'rollback:registry:authorization_code',
      op: 'update',
      secret: 'unchanged',
      sysId: IDS.entityAuthCode,
    });
    expect(r.body).toEqual({ client_id: 'old-client', token_url: 'https://old/token' });
    expect(r.changes.client_id).toEqual({ before: CLIENT, after: 'old-client' });
    expect(r.notes.at(-1)).toMatch(/client secret stays as it is/);
  });

  it('skips fields already back to their earlier value', () => {
    const s = configured();
    s.registries!.authorization_code!.values.client_id = 'old-client';
    const r = planRollback(applied(BEFORE, AFTER), s, NOW).registries![0]!;
    expect(r.body).toEqual({ token_url: 'https://old/token' });
  });

  it('notes a field changed again since the apply, and restores it anyway', () => {
    const s = configured();
    s.registries!.authorization_code!.values.client_id = 'someone-else';
    const r = planRollback(applied(BEFORE, AFTER), s, NOW).registries![0]!;
    expect(r.body.client_id).toBe('old-client');
    expect(r.notes[0]).toMatch(/^client_id was changed again after the apply/);
  });

  it('nothing to restore: noop', () => {
    expect(planRollback(applied(BEFORE, BEFORE), configured(), NOW).registries![0]!.op).toBe('noop');
  });

  it('blocks when the registry is gone or they were not read', () => {
    const s = configured();
    s.registries!.authorization_code = null;
    expect(planRollback(applied(BEFORE, AFTER), s, NOW).registries![0]).toMatchObject({
      op: 'blocked',
      reason: 'The registry no longer exists on the instance.',
    });
    expect(planRollback(applied(BEFORE, AFTER), freshSnapshot(), NOW).registries![0]!.reason).toMatch(
      /were not read/,
    );
  });
});
