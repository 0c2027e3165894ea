// The report a consultant hands to the customer (src/shared/domain/report.ts) for the runs that did not go
// to plan: an apply that did not finish, one whose verification found differences, a rollback, a registry
// that could not be written, facts that are only partly known. Each rule is shown on both sides of its
// condition, in the words and marks the customer reads (report.test.ts and report-entra.test.ts hold the
// successful runs).
import { describe, expect, it } from 'vitest';
import { ApplyRecordSchema, type ApplyRecord, type ApplyStepResult } from '../../../src/shared/domain/apply';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import { buildNextSteps } from '../../../src/shared/domain/next-steps';
import type { Plan, RegistryAction, PlanAction } from '../../../src/shared/domain/plan';
import { buildPlan } from '../../../src/shared/domain/planner';
import { localTime, renderReport, reportData, type ReportOptions } from '../../../src/shared/domain/report';
import { planRollback } from '../../../src/shared/domain/rollback-planner';
import type { Snapshot } from '../../../src/shared/domain/snapshot';
import { walkupFlowStatus } from '../../../src/shared/domain/walkup-status';
import {
  IDS,
  connection,
  freshSnapshot,
  provisionedSnapshot,
  shippedRegistries,
} from '../engine/snapshot-fixtures';

const NOW = new Date('2026-12-06T15:00:00.000Z');
const TENANT = '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e';
const CLIENT = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';
const CREATE_FLOW = 'Create Walk-up Appointment Calendar Event';
const UPDATE_FLOW = 'Update/Delete Walk-up Appointment Calendar Event';

/** A client secret is in the keychain; whether the instance holds the same one is not known. */
const ENTRA_SECRET = { entraSecret: 'unknown' } as const;

const withEntra = (): DesiredState => ({
  ...defaultDesiredState(),
  entra: { tenant: TENANT, clientId: CLIENT },
});

/** A fresh instance with the spoke's two registries (no secret yet) and both Walk-up flows active. */
function shipped(): Snapshot {
  const s = freshSnapshot();
  s.registries = shippedRegistries();
  s.flows = [
    { sysId: 'flow1', name: CREATE_FLOW, active: true, status: 'published' },
    { sysId: 'flow2', name: UPDATE_FLOW, active: true, status: 'published' },
  ];
  return s;
}

type Outcome = Partial<Pick<ApplyStepResult, 'status' | 'sysId' | 'error' | 'settled'>> | 'no step';

/**
 * The record an apply of `plan` leaves, as the engine writes it: every write done and verified, unless
 * `outcomes` says otherwise for an action id ('no step': the run never got to it).
 */
function applied(plan: Plan, outcomes: Record<string, Outcome> = {}): ApplyRecord {
  const actions: (PlanAction | RegistryAction)[] = [...plan.actions, ...(plan.registries ?? [])];
  const steps: ApplyStepResult[] = [];
  for (const [i, a] of actions.entries()) {
    const outcome = outcomes[a.id];
    if (outcome === 'no step') continue;
    const status = outcome?.status ?? (a.op === 'noop' ? 'skipped' : 'done');
    steps.push({
      actionId: a.id,
      table: a.table,
      name: a.name,
      op: a.op,
      status,
      sysId: a.sysId ?? (status === 'done' ? `new${i}` : null),
      ...outcome,
    });
  }
  const written = steps.filter((s) => s.status === 'done');
  return ApplyRecordSchema.parse({
    version: 1,
    applyId: '20261206T150000Z-abc123',
    kind: 'apply',
    instanceUrl: plan.instanceUrl,
    startedAt: NOW.toISOString(),
    finishedAt: '2026-12-06T15:00:03.000Z',
    status: steps.some((s) => s.status === 'failed') ? 'failed' : 'succeeded',
    plan,
    steps,
    records: written.map((s) => {
      const a = actions.find((x) => x.id === s.actionId)!;
      return {
        actionId: a.id,
        table: a.table,
        sysId: s.sysId,
        name: a.name,
        op: a.op,
        before: a.before ?? null,
        after: { ...a.before, ...a.body, sys_id: s.sysId ?? '' },
        verified: true,
        mismatches: [],
      };
    }),
    verification: { ok: true, checkedAt: NOW.toISOString(), requests: 2 },
    nextSteps: buildNextSteps(
      plan.instanceUrl,
      plan.actions
        .filter((a) => a.kind === 'credential')
        .map((a) => {
          const step = steps.find((s) => s.actionId === a.id);
          return {
            name: a.name,
            sysId: step?.sysId ?? '',
            grant: a.oauth?.grant ?? null,
            profileSysId: a.oauth?.profileSysId ?? null,
          };
        })
        .filter((c) => c.sysId !== ''),
    ),
    requests: steps.length,
  });
}

const html = (record: ApplyRecord, options: Partial<ReportOptions> = {}): string =>
  renderReport(record, { format: 'html', instanceName: 'ACME', timeZone: 'UTC', now: NOW, ...options });

/** The `<section>` whose heading starts with `heading`. */
function section(page: string, heading: string): string {
  const start = page.indexOf(`<section>\n<h3>${heading}`);
  expect(start, `no section "${heading}"`).toBeGreaterThanOrEqual(0);
  return page.slice(start, page.indexOf('</section>', start) + '</section>'.length);
}

/** What a reader sees of some HTML: its text, tags removed, white space collapsed. */
const text = (markup: string): string =>
  markup
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();

/** The `<dd>` of a `<dt>` in the report's lists. */
function dd(page: string, term: string): string {
  const match = new RegExp(`<dt>${term}</dt><dd>(.*?)</dd>`, 's').exec(page);
  expect(match, `no <dt>${term}</dt>`).not.toBeNull();
  return match![1]!;
}

describe('report: an apply that did not finish', () => {
  // The run stopped after the two credentials: no step was recorded for the connections or registries.
  const plan = buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET);
  const record = ApplyRecordSchema.parse({
    ...applied(plan, {
      'connection:main': 'no step',
      'connection:clientCred': 'no step',
      'registry:authorization_code': 'no step',
      'registry:client_credentials': 'no step',
    }),
    status: 'running',
    finishedAt: null,
    verification: null,
  });

  it('says it did not finish and was not verified', () => {
    const page = html(record);
    expect(dd(page, 'Result')).toBe('Did not finish');
    expect(dd(page, 'Finished')).toBe('not finished');
    expect(dd(page, 'Verification')).toBe(
      '<span class="muted">Not verified (the apply stopped before verification).</span>',
    );
  });

  it('a registry the run never got to is "not run", its secret not written, and left to do', () => {
    const data = reportData(record, { instanceName: 'ACME', now: NOW });
    expect(data.registries.map((r) => [r.name, r.status, r.secret])).toEqual([
      ['Microsoft Exchange Online', 'not_run', 'not written'],
      ['Microsoft Exchange Online_clientCredentials', 'not_run', 'not written'],
    ]);
    expect(data.leftToDo.filter((s) => s.kind === 'write_registry').map((s) => s.text)).toEqual([
      'The Application Registry “Microsoft Exchange Online” was not written: the apply stopped before it. Fix this and apply again.',
      'The Application Registry “Microsoft Exchange Online_clientCredentials” was not written: the apply stopped before it. Fix this and apply again.',
    ]);
    const registry = section(html(record), 'Application Registry “Microsoft Exchange Online”');
    expect(registry).toContain('<span class="bad">update: not run</span>');
    // A secret never sent is shown as removed from what the apply did, never as set.
    expect(registry).toContain(
      '<tr class="removed"><td>Client Secret</td><td colspan="2">(never shown)</td><td>not written</td></tr>',
    );
  });
});

describe('report: registries', () => {
  /** The registries as an earlier apply left them: every compared field as asked, a secret set. */
  function provisioned(): Snapshot {
    const s = shipped();
    const earlier = buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET).registries!;
    for (const r of earlier) {
      const found = s.registries![r.grant]!;
      s.registries![r.grant] = { ...found, values: { ...found.values, ...r.body }, secretSet: true };
    }
    return s;
  }

  it('a registry already as asked needs no step: "already as asked", secret unchanged, nothing left to do for it', () => {
    const plan = buildPlan(provisioned(), withEntra(), NOW, { entraSecret: 'unchanged' });
    expect(plan.registries!.map((r) => r.op)).toEqual(['noop', 'noop']);
    // The engine records no step for a registry it had nothing to write.
    const record = applied(plan, {
      'registry:authorization_code': 'no step',
      'registry:client_credentials': 'no step',
    });
    const data = reportData(record, { instanceName: 'ACME', now: NOW });
    expect(data.registries.map((r) => [r.status, r.secret])).toEqual([
      ['skipped', 'unchanged'],
      ['skipped', 'unchanged'],
    ]);
    expect(data.leftToDo.map((s) => s.kind)).not.toContain('write_registry');
    const registry = section(html(record), 'Application Registry “Microsoft Exchange Online”');
    expect(registry).toContain('<span class="ok">already as asked</span>');
    // Its sys_id comes from the plan when no step recorded one.
    expect(registry).toContain(`sys_id <code>${IDS.entityAuthCode}</code>`);
  });

  it('a failed registry write shows its error; without one it says the write failed', () => {
    const plan = buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET);
    const record = applied(plan, {
      'registry:authorization_code': {
        status: 'failed',
        error: { code: 'forbidden', message: 'The instance refused the write (403).', ambiguous: false },
      },
      // A record written by an older version kept no error for a failed step.
      'registry:client_credentials': { status: 'failed' },
    });
    const page = html(record);
    expect(section(page, 'Application Registry “Microsoft Exchange Online”')).toContain(
      '<p class="bad">The instance refused the write (403).</p>',
    );
    const data = reportData(record, { instanceName: 'ACME', now: NOW });
    expect(data.leftToDo.filter((s) => s.kind === 'write_registry').map((s) => s.text)).toEqual([
      'The Application Registry “Microsoft Exchange Online” was not written: The instance refused the write (403). Fix this and apply again.',
      'The Application Registry “Microsoft Exchange Online_clientCredentials” was not written: the write failed. Fix this and apply again.',
    ]);
  });

  it('a registry missing from the instance is blocked: its reason, and no sys_id, secret or field table', () => {
    const snapshot = shipped();
    snapshot.registries!.client_credentials = null;
    const plan = buildPlan(snapshot, withEntra(), NOW, ENTRA_SECRET);
    const blocked = plan.registries!.find((r) => r.grant === 'client_credentials')!;
    expect(blocked).toMatchObject({ op: 'blocked', sysId: null, secret: null });
    // A blocked plan writes nothing.
    const record = applied(
      plan,
      Object.fromEntries(
        [...plan.actions, ...plan.registries!].map((a) => [
          a.id,
          { status: a.op === 'noop' ? 'skipped' : 'not_run', sysId: a.sysId },
        ]),
      ),
    );
    const registry = section(
      html(record),
      'Application Registry “Microsoft Exchange Online_clientCredentials”',
    );
    expect(text(registry)).toBe(
      `Application Registry “Microsoft Exchange Online_clientCredentials”: blocked: not run ${blocked.reason}`,
    );
    expect(
      reportData(record, { instanceName: 'ACME', now: NOW }).leftToDo.find(
        (l) => l.kind === 'write_registry' && l.text.includes('_clientCredentials'),
      )?.text,
    ).toBe(
      `The Application Registry “Microsoft Exchange Online_clientCredentials” was not written: ${blocked.reason} Fix this and apply again.`,
    );
    // The other registry was not run either: its sys_id is known, its secret was not written.
    const other = section(html(record), 'Application Registry “Microsoft Exchange Online”');
    expect(other).toContain(`sys_id <code>${IDS.entityAuthCode}</code>`);
    expect(other).toContain('<td>not written</td>');
  });
});

describe('report: verification', () => {
  const plan = buildPlan(freshSnapshot(), defaultDesiredState(), NOW);

  it('a record re-read with a different value is marked: the field, the record and the summary', () => {
    const base = applied(plan);
    const record = ApplyRecordSchema.parse({
      ...base,
      status: 'failed',
      verification: { ok: false, checkedAt: NOW.toISOString(), requests: 2 },
      records: base.records.map((r) =>
        r.actionId === 'connection:main' ? { ...r, verified: false, mismatches: ['connection_url'] } : r,
      ),
    });
    const page = html(record);
    expect(dd(page, 'Verification')).toBe(
      '<span class="bad">Verification found differences (marked below).</span>',
    );
    const main = section(page, 'HTTP(s) Connection “Exchange_Online_Connection”');
    expect(main).toContain('<span class="ok">created</span> <span class="badge bad">differs</span></h3>');
    expect(main).toContain(
      '<tr class="new mismatch"><td>Connection URL</td><td></td><td>https://graph.microsoft.com</td><td>new (differs on the instance)</td></tr>',
    );
    // Only the differing field is marked.
    expect(main).toContain(
      '<tr class="new"><td>Name</td><td></td><td>Exchange_Online_Connection</td><td>new</td></tr>',
    );
    const other = section(page, 'HTTP(s) Connection “Exchange_Online_Connection_clientCred”');
    expect(other).toContain('<span class="badge ok">verified</span>');
    expect(other).not.toContain('mismatch');
  });

  it('a write settled after an unclear answer says how; a step never run shows no sys_id', () => {
    const settled = 'The answer was lost; a re-read found the record, so it was not sent again.';
    const record = applied(plan, {
      'credential:main': { settled },
      'connection:main': { status: 'not_run' },
    });
    const page = html(record);
    expect(section(page, 'OAuth 2.0 Credential “Exchange_Online_Credentials”')).toContain(
      `<p class="muted">${settled}</p>`,
    );
    const notRun = section(page, 'HTTP(s) Connection “Exchange_Online_Connection”');
    expect(notRun).toContain('<span class="bad">create: not run</span>');
    expect(notRun).not.toContain('sys_id');
    expect(text(notRun.slice(0, notRun.indexOf('<table>')))).toBe(
      'HTTP(s) Connection “Exchange_Online_Connection”: create: not run',
    );
  });
});

describe('report: a rollback', () => {
  // The apply created the pair on a fresh instance; since then someone pointed another connection at the
  // client-credentials credential, so the rollback keeps that credential.
  const applyPlan = buildPlan(freshSnapshot(), defaultDesiredState(), NOW);
  const apply = applied(applyPlan);
  const now = provisionedSnapshot();
  const sysIdOf = (id: string) => apply.steps.find((s) => s.actionId === id)!.sysId!;
  now.credentials[0]!.sysId = sysIdOf('credential:main');
  now.credentials[1]!.sysId = sysIdOf('credential:clientCred');
  now.connections[0]!.sysId = sysIdOf('connection:main');
  now.connections[0]!.credentialSysId = sysIdOf('credential:main');
  now.connections[1]!.sysId = sysIdOf('connection:clientCred');
  now.connections[1]!.credentialSysId = sysIdOf('credential:clientCred');
  now.connections.push(connection('Other', 'k9', IDS.aliasClientCred, sysIdOf('credential:clientCred')));
  const rollbackPlan = planRollback(apply, now, NOW);
  const record = ApplyRecordSchema.parse({
    ...applied(
      rollbackPlan,
      Object.fromEntries(
        rollbackPlan.actions
          .filter((a) => a.op === 'blocked')
          .map((a) => [a.id, { status: 'not_run', sysId: a.sysId }]),
      ),
    ),
    kind: 'rollback',
    nextSteps: [],
  });

  it('a deleted record shows each field as removed: its value before, nothing after', () => {
    const data = reportData(record, { instanceName: 'ACME' });
    const deleted = data.records.find((r) => r.name === 'Exchange_Online_Connection')!;
    expect(deleted.op).toBe('delete');
    expect(deleted.fields.find((f) => f.field === 'name')).toMatchObject({
      before: 'Exchange_Online_Connection',
      after: null,
      state: 'removed',
    });
    expect(deleted.fields.every((f) => f.state === 'removed')).toBe(true);
    const page = html(record);
    expect(page).toContain('<h1>Rollback report: ACME</h1>');
    expect(section(page, 'HTTP(s) Connection “Exchange_Online_Connection”')).toContain(
      '<tr class="removed"><td>Name</td><td>Exchange_Online_Connection</td><td></td><td>removed</td></tr>',
    );
  });

  it('a credential still in use is kept: the reason, and no field table', () => {
    const page = html(record);
    const kept = section(page, 'OAuth 2.0 Credential “Exchange_Online_Credentials_clientCred”');
    expect(text(kept)).toBe(
      `OAuth 2.0 Credential “Exchange_Online_Credentials_clientCred”: blocked: not run The connection "Other" still uses this credential, so it is kept. sys_id ${sysIdOf('credential:clientCred')}`,
    );
    expect(page).not.toContain('What is left for a person to do');
  });

  it('ends with its records: no status and no left-to-do list after a rollback', () => {
    const page = html(record);
    expect(text(page.slice(page.lastIndexOf('</section>') + '</section>'.length))).toBe('');
  });

  it('says nothing about tokens or flows: those describe the state after an apply', () => {
    const page = html(record, {
      tokens: [],
      walkupFlows: walkupFlowStatus({ ...freshSnapshot(), flows: [] }),
    });
    expect(page).not.toContain('Status after the apply');
    expect(page).not.toContain('<dt>OAuth tokens</dt>');
  });
});

describe('report: what is known after the apply', () => {
  it('an Entra check recorded without authority or message shows only its status', () => {
    const plan = {
      ...buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET),
      entraCheck: { status: 'passed' },
    };
    const record = applied(plan as Plan);
    expect(reportData(record, { instanceName: 'ACME', now: NOW }).entraCheck).toEqual({
      status: 'passed',
      message: '',
      authority: null,
      roles: [],
    });
    expect(dd(html(record), 'Entra check')).toBe('<span class="ok">passed</span>');
  });

  it('tokens: a credential the token read did not cover is "not checked"; a token without expiry shows none', () => {
    const record = applied(buildPlan(freshSnapshot(), defaultDesiredState(), NOW));
    const main = record.nextSteps[0]!;
    const page = html(record, {
      tokens: [
        {
          credentialName: main.credentialName,
          credentialSysId: main.credentialSysId,
          hasToken: true,
          expiresAt: null,
          checkedAt: NOW.toISOString(),
        },
      ],
    });
    expect(dd(page, 'OAuth tokens')).toBe(
      'Exchange_Online_Credentials: <span class="ok">has a token</span><br>Exchange_Online_Credentials_clientCred: <span class="muted">not checked</span>',
    );
  });

  it('tokens read, but the apply left no credential to check: says so', () => {
    const record = ApplyRecordSchema.parse({
      ...applied(buildPlan(freshSnapshot(), defaultDesiredState(), NOW)),
      nextSteps: [],
    });
    expect(dd(html(record, { tokens: [] }), 'OAuth tokens')).toBe(
      '<span class="muted">no credential to check</span>',
    );
  });

  it('flows not read are shown muted and without a link; flows found missing are shown as a problem', () => {
    const record = applied(buildPlan(freshSnapshot(), defaultDesiredState(), NOW));
    const unread = freshSnapshot(); // discovery did not read the flows
    expect(dd(html(record, { walkupFlows: walkupFlowStatus(unread) }), 'Walk-up flows')).toBe(
      `<span class="muted">${CREATE_FLOW}: not read; discover again to see it.</span><br><span class="muted">${UPDATE_FLOW}: not read; discover again to see it.</span>`,
    );
    const missing = { ...freshSnapshot(), flows: [] };
    expect(dd(html(record, { walkupFlows: walkupFlowStatus(missing) }), 'Walk-up flows')).toMatch(
      /^<span class="bad">Create Walk-up Appointment Calendar Event: not found on this instance; [^<]*<\/span><br><span class="bad">/,
    );
  });

  it('when every step a person could take is done, the report says so', () => {
    const record = applied(buildPlan(freshSnapshot(), defaultDesiredState(), NOW));
    const tokens = record.nextSteps.map((s) => ({
      credentialName: s.credentialName,
      credentialSysId: s.credentialSysId,
      hasToken: true,
      expiresAt: '2026-12-06 16:00:00',
      checkedAt: NOW.toISOString(),
    }));
    const page = html(record, { tokens });
    expect(page).toContain(
      '<h2>What is left for a person to do</h2>\n<p class="ok">Nothing: every step Spokesmith can see is done.</p>',
    );
    // One token missing: the list, not "Nothing".
    const one = html(record, { tokens: tokens.slice(1) });
    expect(one).not.toContain('Nothing: every step');
    expect(one).toContain('<ol>\n<li>Get an OAuth token for “Exchange_Online_Credentials”');
  });
});

describe('report: what a record that is not quite as expected still says', () => {
  it('a record that kept no plan (an older file) still lists its steps, without fields or registries', () => {
    const withPlan = applied(buildPlan(freshSnapshot(), defaultDesiredState(), NOW));
    const record = ApplyRecordSchema.parse({ ...withPlan, plan: null });
    const data = reportData(record, { instanceName: 'ACME' });
    expect(data.records.map((r) => [r.name, r.op, r.status])).toEqual(
      withPlan.steps.map((s) => [s.name, s.op, s.status]),
    );
    expect(data.records.every((r) => r.fields.length === 0 && r.adoptedFrom === null)).toBe(true);
    expect(data.registries).toEqual([]);
    expect(data.entraCheck).toBeNull();
  });

  it('an Entra check recorded with a status it does not know is "not checked", and says none is recorded', () => {
    const plan = { ...buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET), entraCheck: { status: 'maybe' } };
    const data = reportData(applied(plan as unknown as Plan), { instanceName: 'ACME', now: NOW });
    expect(data.entraCheck).toEqual({
      status: 'not_checked',
      message: 'No Entra check is recorded with this apply.',
      authority: null,
      roles: [],
    });
    expect(data.leftToDo[0]?.kind).toBe('check_entra_app');
  });

  it('a declined check names no authority: nothing was asked', () => {
    const check = {
      status: 'skipped',
      authority: 'https://login.microsoftonline.com',
      message: 'The Entra app was not checked (--no-entra-check).',
    };
    const record = applied({
      ...buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET),
      entraCheck: check,
    } as Plan);
    expect(reportData(record, { instanceName: 'ACME', now: NOW }).entraCheck?.authority).toBeNull();
    expect(dd(html(record), 'Entra check')).toBe(
      '<span class="bad">not checked</span>: The Entra app was not checked (--no-entra-check).',
    );
    const passed = applied({
      ...buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET),
      entraCheck: { ...check, status: 'passed', message: 'A token was given.' },
    } as Plan);
    expect(dd(html(passed), 'Entra check')).toBe(
      '<span class="ok">passed</span>: A token was given. <span class="muted">(asked https://login.microsoftonline.com)</span>',
    );
  });

  it('a failed check: admin consent when the app in Entra is at fault, else fix the input; roles kept if text', () => {
    const failed = (field?: string) =>
      reportData(
        applied({
          ...buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET),
          entraCheck: {
            status: 'failed',
            authority: 'https://login.microsoftonline.com',
            message: 'No.',
            ...(field ? { field } : {}),
            roles: ['User.Read', 42],
          },
        } as unknown as Plan),
        { instanceName: 'ACME', now: NOW },
      );
    expect(failed('entraApp').leftToDo[0]?.kind).toBe('grant_admin_consent');
    expect(failed().leftToDo[0]?.kind).toBe('fix_entra_app');
    expect(failed().entraCheck).toEqual({
      status: 'failed',
      message: 'No.',
      authority: 'https://login.microsoftonline.com',
      roles: ['User.Read'],
    });
  });

  it('the secret expiry counts from the given moment: a problem within 30 days, fine beyond', () => {
    const record = applied(buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET));
    // A moment far from any real clock, so only the injected one can give these day counts.
    const now = new Date('2031-05-01T08:00:00.000Z');
    expect(dd(html(record, { now, secretExpires: '2031-05-15' }), 'Client secret')).toBe(
      '<span class="bad">client secret expires in 14 days</span> (2031-05-15)',
    );
    expect(dd(html(record, { now, secretExpires: '2031-07-01' }), 'Client secret')).toBe(
      '<span class="ok">client secret expires in 61 days</span> (2031-07-01)',
    );
  });

  it('a registry re-read with a different value is marked, and only that registry', () => {
    const base = applied(buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET));
    const record = ApplyRecordSchema.parse({
      ...base,
      status: 'failed',
      verification: { ok: false, checkedAt: NOW.toISOString(), requests: 2 },
      records: base.records.map((r) =>
        r.actionId === 'registry:client_credentials'
          ? { ...r, verified: false, mismatches: ['client_id'] }
          : r,
      ),
    });
    const page = html(record);
    const differs = section(page, 'Application Registry “Microsoft Exchange Online_clientCredentials”');
    expect(differs).toContain('<span class="ok">updated</span> <span class="badge bad">differs</span></h3>');
    expect(differs).toMatch(/<tr class="changed mismatch"><td>Client ID<\/td>.*\(differs on the instance\)/);
    const same = section(page, 'Application Registry “Microsoft Exchange Online”');
    expect(same).toContain('<span class="ok">updated</span> <span class="badge ok">verified</span></h3>');
    expect(same).not.toContain('mismatch');
  });

  it('an Entra apply whose flows were not read asks to check them; one without Entra does not', () => {
    const entra = reportData(applied(buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET)), {
      instanceName: 'ACME',
      now: NOW,
    });
    expect(entra.leftToDo.map((l) => l.kind)).toContain('check_flows');
    const plain = reportData(applied(buildPlan(freshSnapshot(), defaultDesiredState(), NOW)), {
      instanceName: 'ACME',
    });
    expect(plain.leftToDo.map((l) => l.kind)).not.toContain('check_flows');
  });

  it('the JSON report says who ran it as unknown (null) when main did not say', () => {
    const json = JSON.parse(
      renderReport(applied(buildPlan(freshSnapshot(), defaultDesiredState(), NOW)), {
        format: 'json',
        instanceName: 'ACME',
      }),
    );
    expect(json.runBy).toEqual({ instanceUser: null, osUser: null });
  });

  it('a client secret in a stored plan never reaches the report, as a field or a value', () => {
    // Plans never carry the secret; a stored file is untrusted, so the report drops it anyway.
    const canary = 'canary-SECRET-4b5c6d~value';
    const plan = buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET);
    const tampered = {
      ...plan,
      registries: plan.registries!.map((r) => ({
        ...r,
        changes: { ...r.changes, client_secret: { before: null, after: canary } },
      })),
    };
    const record = applied(tampered);
    const data = reportData(record, { instanceName: 'ACME', now: NOW });
    expect(data.registries.flatMap((r) => r.fields.map((f) => f.field))).not.toContain('client_secret');
    expect(html(record)).not.toContain(canary);
    expect(renderReport(record, { format: 'json', instanceName: 'ACME', now: NOW })).not.toContain(canary);
  });

  it('a registry update that failed with its secret unchanged says "unchanged": nothing was to be sent', () => {
    const snapshot = shipped();
    for (const grant of ['authorization_code', 'client_credentials'] as const) {
      snapshot.registries![grant]!.secretSet = true;
    }
    const plan = buildPlan(snapshot, withEntra(), NOW, { entraSecret: 'unchanged' });
    expect(plan.registries!.map((r) => [r.op, r.secret])).toEqual([
      ['update', 'unchanged'],
      ['update', 'unchanged'],
    ]);
    const record = applied(plan, {
      'registry:authorization_code': { status: 'failed' },
      'registry:client_credentials': { status: 'not_run' },
    });
    expect(reportData(record, { instanceName: 'ACME', now: NOW }).registries.map((r) => r.secret)).toEqual([
      'unchanged',
      'unchanged',
    ]);
  });

  it('an offline plan keeps the words of its "not run" check; a check stored as null is "not checked"', () => {
    const base = buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET);
    const offline = applied({
      ...base,
      entraCheck: {
        status: 'not_run',
        authority: 'https://login.microsoftonline.com',
        message: 'Planned offline from a stored snapshot: the Entra app was not checked.',
      },
    });
    expect(reportData(offline, { instanceName: 'ACME', now: NOW }).entraCheck).toEqual({
      status: 'not_checked',
      message: 'Planned offline from a stored snapshot: the Entra app was not checked.',
      authority: null,
      roles: [],
    });
    const stored = applied({ ...base, entraCheck: null } as unknown as Plan);
    expect(reportData(stored, { instanceName: 'ACME', now: NOW }).entraCheck).toMatchObject({
      status: 'not_checked',
      message: 'No Entra check is recorded with this apply.',
    });
  });

  it('a check whose fields are of the wrong type keeps only its status', () => {
    const record = applied({
      ...buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET),
      entraCheck: { status: 'passed', authority: 42, message: { text: 'ok' }, roles: 'Calendars.ReadWrite' },
    } as unknown as Plan);
    expect(reportData(record, { instanceName: 'ACME', now: NOW }).entraCheck).toEqual({
      status: 'passed',
      message: '',
      authority: null,
      roles: [],
    });
    expect(dd(html(record), 'Entra check')).toBe('<span class="ok">passed</span>');
  });

  it('a stored plan of the wrong shape is ignored rather than breaking the report', () => {
    const withPlan = applied(buildPlan(freshSnapshot(), defaultDesiredState(), NOW));
    for (const plan of [{ actions: 'all of them' }, 'a plan', 42]) {
      const data = reportData(ApplyRecordSchema.parse({ ...withPlan, plan }), { instanceName: 'ACME' });
      expect(data.records).toHaveLength(withPlan.steps.length);
      expect(data.records.every((r) => r.fields.length === 0)).toBe(true);
    }
  });

  it('names the Application Registries in the subtitle only when the apply was about them', () => {
    const entra = html(applied(buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET)));
    expect(entra).toContain(
      'HTTP(s) connection and OAuth 2.0 credential records, and the Application Registries of the Microsoft Entra app.</p>',
    );
    const plain = html(applied(buildPlan(freshSnapshot(), defaultDesiredState(), NOW)));
    expect(plain).toContain('HTTP(s) connection and OAuth 2.0 credential records.</p>');
  });

  it('a successful Entra apply: "Succeeded", the secret as changed, active flows and token expiry shown', () => {
    const record = applied(buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET));
    const tokens = record.nextSteps.map((s) => ({
      credentialName: s.credentialName,
      credentialSysId: s.credentialSysId,
      hasToken: true,
      expiresAt: '2026-12-06 16:00:00',
      checkedAt: NOW.toISOString(),
    }));
    const page = html(record, { tokens, walkupFlows: walkupFlowStatus(shipped()) });
    expect(dd(page, 'Result')).toBe('Succeeded');
    const registry = section(page, 'Application Registry “Microsoft Exchange Online”');
    // Nothing between the heading and the sys_id: no error, no stray text.
    expect(registry).toMatch(/<\/h3>\n\n<p class="muted">sys_id <code>/);
    expect(registry).toContain(
      '<tr class="changed"><td>Client Secret</td><td colspan="2">(never shown)</td><td>set</td></tr>',
    );
    expect(dd(page, 'OAuth tokens')).toBe(
      'Exchange_Online_Credentials: <span class="ok">has a token</span> (access token until 2026-12-06 16:00:00)<br>Exchange_Online_Credentials_clientCred: <span class="ok">has a token</span> (access token until 2026-12-06 16:00:00)',
    );
    expect(dd(page, 'Walk-up flows')).toMatch(
      /^<span class="ok">Create Walk-up Appointment Calendar Event: active\.<\/span> <a href="https:\/\/dev12345\.service-now\.com\/sys_hub_flow\.do\?sys_id=flow1">/,
    );
  });

  it('an apply without Entra app and unknown status shows nothing between its records and what is left', () => {
    const page = html(applied(buildPlan(freshSnapshot(), defaultDesiredState(), NOW)));
    const afterRecords = page.slice(page.lastIndexOf('</section>') + '</section>'.length);
    expect(afterRecords.startsWith('\n\n\n<h2>What is left for a person to do</h2>')).toBe(true);
  });

  it('without an Entra app, the status lists only the tokens and the flows', () => {
    const record = applied(buildPlan(freshSnapshot(), defaultDesiredState(), NOW));
    const page = html(record, { tokens: [], walkupFlows: walkupFlowStatus(shipped()) });
    const status = page.slice(
      page.indexOf('<h2>Status after the apply</h2>'),
      page.indexOf('</dl>', page.indexOf('<h2>Status after the apply</h2>')) + 5,
    );
    expect(status).toMatch(/^<h2>Status after the apply<\/h2>\n<dl class="meta">\n<dt>OAuth tokens<\/dt>/);
    expect(status).toMatch(/<dt>Walk-up flows<\/dt><dd>[^\n]*<\/dd>\n<\/dl>$/);
  });

  it("each thing left to do: its words, and its link with the link's own label when there is one", () => {
    const record = applied(buildPlan(shipped(), withEntra(), NOW, ENTRA_SECRET));
    const page = html(record, { tokens: [] });
    const list = page.slice(page.indexOf('<ol>'), page.indexOf('</ol>'));
    const items = list.split('\n').filter((l) => l.startsWith('<li>'));
    const authorize = record.nextSteps[0]!.authorizeUrl!.replace(/&/g, '&amp;');
    expect(items).toContain(
      `<li>Get an OAuth token for “Exchange_Online_Credentials” (Authorization Code): sign in to Microsoft as the mailbox account and allow access.<br>Sign in to Microsoft to authorize: <a href="${authorize}">${authorize}</a></li>`,
    );
    // A step with nothing to open is its sentence alone.
    expect(items).toContain(
      `<li>Check in Flow Designer that “${CREATE_FLOW}” and “${UPDATE_FLOW}” are active: Spokesmith did not read them (discover the instance again to see them here).</li>`,
    );
  });

  it('names only the computer user when the instance user is not known', () => {
    const page = html(applied(buildPlan(freshSnapshot(), defaultDesiredState(), NOW)), {
      runBy: { instanceUser: null, osUser: 'jane' },
    });
    expect(dd(page, 'Run by')).toBe('jane (computer user)');
  });

  it('shows a time it cannot read as it was stored, rather than "Invalid Date"', () => {
    expect(localTime('2026-12-06T15:00:03.000Z', 'Europe/Berlin')).toBe(
      '6 Dec 2026, 16:00:03 GMT+1 (Europe/Berlin)',
    );
    expect(localTime('yesterday', 'UTC')).toBe('yesterday');
  });
});
