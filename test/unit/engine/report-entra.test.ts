// The report's Entra part (issue 10): the registries field by field with the secret only as set / replaced /
// unchanged, the Entra check, tokens, the Walk-up flows, the secret's expiry, and at the end what is left
// for a person to do. The client secret never appears, even if a record carried it.
import { describe, expect, it } from 'vitest';
import { ApplyRecordSchema, type ApplyRecord } from '../../../src/shared/domain/apply';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import { buildNextSteps } from '../../../src/shared/domain/next-steps';
import type { EntraSecretState } from '../../../src/shared/domain/registry-planner';
import { buildPlan } from '../../../src/shared/domain/planner';
import { renderReport, reportData, reportFacts } from '../../../src/shared/domain/report';
import type { Snapshot } from '../../../src/shared/domain/snapshot';
import { IDS, freshSnapshot } from './snapshot-fixtures';

const NOW = new Date('2026-12-06T15:00:00.000Z');
const TENANT = '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e';
const CLIENT = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';
const CANARY = 'canary-SECRET-9f8e7d6c~value';

function shipped(): Snapshot {
  const s = freshSnapshot();
  s.registries = {
    authorization_code: {
      sysId: IDS.entityAuthCode,
      name: 'Microsoft Exchange Online',
      values: { default_grant_type: 'authorization_code', client_id: 'old-client' },
      secretSet: false,
    },
    client_credentials: {
      sysId: IDS.entityClientCred,
      name: 'Microsoft Exchange Online_clientCredentials',
      values: { default_grant_type: 'client_credentials' },
      secretSet: true,
    },
  };
  s.flows = [
    { sysId: 'flow1', name: 'Create Walk-up Appointment Calendar Event', active: true, status: 'published' },
    {
      sysId: 'flow2',
      name: 'Update/Delete Walk-up Appointment Calendar Event',
      active: false,
      status: 'draft',
    },
  ];
  return s;
}

const desired = (secretExpires?: string): DesiredState => ({
  ...defaultDesiredState(),
  entra: { tenant: TENANT, clientId: CLIENT, ...(secretExpires ? { secretExpires } : {}) },
});

type Check = { status: string; authority: string; message: string; field?: string; roles?: string[] };

/** An apply record as the engine leaves it: credential/connection steps and the two registry steps. */
function recordFor(options: {
  secret?: EntraSecretState;
  check?: Check | null;
  mutate?: (r: ApplyRecord) => void;
}): ApplyRecord {
  const snapshot = shipped();
  const plan = buildPlan(snapshot, desired(), NOW, { entraSecret: options.secret ?? 'unknown' });
  const withCheck =
    options.check === null
      ? plan
      : {
          ...plan,
          entraCheck: options.check ?? {
            status: 'passed',
            authority: 'https://login.microsoftonline.com',
            message: 'The Entra app gave a token with Calendars.ReadWrite.',
            roles: ['Calendars.ReadWrite'],
          },
        };
  const registries = plan.registries ?? [];
  const record: ApplyRecord = {
    version: 1,
    applyId: '20261206T150000Z-abc123',
    kind: 'apply',
    instanceUrl: snapshot.instanceUrl,
    startedAt: NOW.toISOString(),
    finishedAt: '2026-12-06T15:00:03.000Z',
    status: 'succeeded',
    plan: withCheck,
    steps: [
      ...plan.actions.map((a, i) => ({
        actionId: a.id,
        table: a.table,
        name: a.name,
        op: a.op,
        status: a.op === 'noop' ? ('skipped' as const) : ('done' as const),
        sysId: a.sysId ?? `new${i}`,
      })),
      ...registries.map((r) => ({
        actionId: r.id,
        table: r.table,
        name: r.name,
        op: r.op,
        status: r.op === 'noop' ? ('skipped' as const) : ('done' as const),
        sysId: r.sysId,
      })),
    ],
    records: registries.map((r) => ({
      actionId: r.id,
      table: r.table,
      sysId: r.sysId,
      name: r.name,
      op: r.op,
      before: r.before,
      // As if a re-read had carried the secret back: the report must still never show it.
      after: { ...r.before, ...r.body, client_secret: CANARY },
      verified: true,
      mismatches: [],
    })),
    verification: { ok: true, checkedAt: NOW.toISOString(), requests: 2 },
    nextSteps: buildNextSteps(snapshot.instanceUrl, [
      {
        name: 'Exchange_Online_Credentials',
        sysId: 'new0',
        grant: 'authorization_code',
        profileSysId: IDS.profileAuthCode,
      },
      {
        name: 'Exchange_Online_Credentials_clientCred',
        sysId: 'new1',
        grant: 'client_credentials',
        profileSysId: IDS.profileClientCred,
      },
    ]),
    requests: 9,
  };
  options.mutate?.(record);
  return ApplyRecordSchema.parse(record);
}

const html = (
  record: ApplyRecord,
  extra: Parameters<typeof renderReport>[1] extends infer O ? Partial<O> : never = {},
) => renderReport(record, { format: 'html', instanceName: 'ACME', now: NOW, timeZone: 'UTC', ...extra });

describe('report: Application Registries', () => {
  it('shows each registry field before → after, and the secret only as set / replaced', () => {
    const data = reportData(recordFor({}), { instanceName: 'ACME', now: NOW });
    expect(data.records.map((r) => r.table)).not.toContain('oauth_entity');
    expect(data.registries.map((r) => [r.name, r.secret])).toEqual([
      ['Microsoft Exchange Online', 'set'],
      ['Microsoft Exchange Online_clientCredentials', 'replaced'],
    ]);
    const authCode = data.registries[0]!;
    expect(authCode.fields.find((f) => f.field === 'client_id')).toMatchObject({
      label: 'Client ID',
      before: 'old-client',
      after: CLIENT,
      state: 'changed',
    });
    expect(authCode.fields.find((f) => f.field === 'token_url')).toMatchObject({
      before: '',
      after: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
    });
    expect(authCode.fields.map((f) => f.field)).not.toContain('client_secret');
    const page = html(recordFor({}));
    expect(page).toContain(
      'Application Registry “Microsoft Exchange Online”: <span class="ok">updated</span>',
    );
    expect(page).toMatch(/<td>Client Secret<\/td><td colspan="2">\(never shown\)<\/td><td>set<\/td>/);
    expect(page).toMatch(/<td>Client Secret<\/td><td colspan="2">\(never shown\)<\/td><td>replaced<\/td>/);
  });

  it('an unchanged secret says unchanged; a failed registry write says not written and is left to do', () => {
    const same = reportData(recordFor({ secret: 'unchanged' }), { instanceName: 'ACME', now: NOW });
    // The auth-code registry holds no secret yet: it is set whatever the fingerprint says.
    expect(same.registries.map((r) => r.secret)).toEqual(['set', 'unchanged']);
    expect(html(recordFor({ secret: 'unchanged' }))).toMatch(
      /<tr class="unchanged"><td>Client Secret<\/td><td colspan="2">\(never shown\)<\/td><td>unchanged<\/td>/,
    );
    const failed = reportData(
      recordFor({
        mutate: (r) => {
          r.status = 'failed';
          const step = r.steps.find((s) => s.actionId === 'registry:authorization_code')!;
          step.status = 'failed';
          step.error = { code: 'forbidden', message: 'The instance refused the write.', ambiguous: false };
        },
      }),
      { instanceName: 'ACME', now: NOW },
    );
    expect(failed.registries[0]).toMatchObject({ secret: 'not written', status: 'failed' });
    expect(failed.leftToDo[0]).toMatchObject({ kind: 'write_registry' });
    expect(failed.leftToDo[0]!.text).toContain('The instance refused the write.');
  });

  it('shows the Entra check: passed, failed, or not checked', () => {
    expect(html(recordFor({}))).toMatch(
      /<dt>Entra check<\/dt><dd><span class="ok">passed<\/span>: The Entra app gave a token/,
    );
    const skipped = recordFor({
      check: {
        status: 'skipped',
        authority: 'https://login.microsoftonline.com',
        message: 'The Entra app was not checked (--no-entra-check).',
      },
    });
    expect(html(skipped)).toContain(
      '<dt>Entra check</dt><dd><span class="bad">not checked</span>: The Entra app was not checked (--no-entra-check).',
    );
    expect(reportData(skipped, { instanceName: 'ACME' }).leftToDo.map((s) => s.kind)).toContain(
      'check_entra_app',
    );
    // A plan that carries no check at all (made before the check existed) is "not checked" too.
    expect(reportData(recordFor({ check: null }), { instanceName: 'ACME' }).entraCheck?.status).toBe(
      'not_checked',
    );
    const failed = recordFor({
      check: {
        status: 'failed',
        authority: 'https://login.microsoftonline.com',
        message: 'Admin consent is missing.',
        field: 'entraApp',
      },
    });
    expect(html(failed)).toContain('<span class="bad">failed</span>: Admin consent is missing.');
  });

  it('shows tokens, flows (with links) and the secret expiry, and the left-to-do list comes last', () => {
    const record = recordFor({});
    const facts = reportFacts(shipped(), desired('2026-12-20').entra);
    const page = html(record, {
      ...facts,
      tokens: [
        {
          credentialName: 'Exchange_Online_Credentials',
          credentialSysId: 'new0',
          hasToken: false,
          expiresAt: null,
          checkedAt: NOW.toISOString(),
        },
        {
          credentialName: 'Exchange_Online_Credentials_clientCred',
          credentialSysId: 'new1',
          hasToken: true,
          expiresAt: '2026-12-06 16:00:00',
          checkedAt: NOW.toISOString(),
        },
      ],
    });
    expect(page).toContain('Exchange_Online_Credentials: <span class="bad">no token yet</span>');
    expect(page).toContain('Exchange_Online_Credentials_clientCred: <span class="ok">has a token</span>');
    expect(page).toContain('https://dev12345.service-now.com/sys_hub_flow.do?sys_id=flow2');
    expect(page).toContain('client secret expires in 14 days</span> (2026-12-20)');
    const left = page.slice(page.indexOf('What is left for a person to do'));
    expect(page.indexOf('What is left for a person to do')).toBeGreaterThan(
      page.indexOf('Status after the apply'),
    );
    expect(left).toContain('Get an OAuth token for “Exchange_Online_Credentials” (Authorization Code)');
    expect(left).not.toContain('“Exchange_Online_Credentials_clientCred”');
    expect(left).toContain('Activate the flow “Update/Delete Walk-up Appointment Calendar Event”');
    expect(left).toContain('Renew the Entra client secret: it expires on 2026-12-20 (in 14 days)');
    expect(left.trim().endsWith('</ol>\n</body></html>')).toBe(true);
  });

  it('says what was not checked: tokens, flows and expiry unknown', () => {
    const page = html(recordFor({}));
    expect(page).toContain('<dt>OAuth tokens</dt><dd><span class="muted">not checked</span>');
    expect(page).toContain('<dt>Walk-up flows</dt><dd><span class="muted">not read</span>');
    expect(page).toContain('<dt>Client secret</dt><dd><span class="muted">not known</span>');
    expect(reportFacts(null, undefined)).toEqual({ walkupFlows: null, secretExpires: null });
  });

  it('a desired state without an Entra app: no registries section, no Entra steps', () => {
    const snapshot = shipped();
    const plan = buildPlan(snapshot, defaultDesiredState(), NOW);
    const record = recordFor({
      mutate: (r) => {
        r.plan = plan;
        r.steps = r.steps.filter((s) => s.table !== 'oauth_entity');
        r.records = [];
      },
    });
    const data = reportData(record, { instanceName: 'ACME', secretExpires: '2026-12-10', now: NOW });
    expect(data.registries).toEqual([]);
    expect(data.entraCheck).toBeNull();
    expect(data.secretExpiry).toBeNull();
    expect(data.leftToDo.map((s) => s.kind)).toEqual(['get_token', 'get_token']);
    expect(html(record)).not.toContain('Application Registr');
    expect(html(record)).not.toContain('Status after the apply');
    // Flows known: their state and the step to activate one, but no Entra lines.
    const withFlows = html(record, reportFacts(shipped(), undefined));
    expect(withFlows).toContain('<dt>Walk-up flows</dt>');
    expect(withFlows).not.toContain('<dt>Entra check</dt>');
    expect(withFlows).not.toContain('<dt>Client secret</dt>');
    expect(withFlows).toContain('Activate the flow “Update/Delete Walk-up Appointment Calendar Event”');
  });

  it('never contains the client secret, in HTML or JSON, even when a record carried it', () => {
    const record = recordFor({});
    expect(JSON.stringify(record)).toContain(CANARY); // the test's record does carry it
    for (const format of ['html', 'json'] as const) {
      const text = renderReport(record, {
        format,
        instanceName: 'ACME',
        now: NOW,
        ...reportFacts(shipped(), desired('2027-06-30').entra),
      });
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain('canary');
    }
  });

  it('a rollback report lists nothing left to do', () => {
    const record = recordFor({
      mutate: (r) => {
        r.kind = 'rollback';
        r.nextSteps = [];
      },
    });
    expect(reportData(record, { instanceName: 'ACME' }).leftToDo).toEqual([]);
    expect(html(record)).not.toContain('What is left for a person to do');
  });
});
