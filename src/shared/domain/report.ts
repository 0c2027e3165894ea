// The apply report a consultant hands to the customer: a self-contained, printable HTML page (inline CSS,
// no external resources, every value escaped) or JSON. Records hold no secrets by construction (the
// engine never reads or writes a secret field); the report adds none. The Entra client secret appears
// only as what happened to it (set, replaced, unchanged): its value is never part of a plan or a record,
// and a client_secret element is dropped here even if a record ever carried one.
import type { ApplyRecord, ApplyStepResult, RecordBeforeAfter, TokenStatus } from './apply';
import { whatIsLeft, type PersonStep, type RegistryNotWritten } from './next-steps';
import type {
  EntraCheckField,
  EntraCheckSummary,
  FieldChange,
  Plan,
  PlanAction,
  RegistryAction,
  SecretOp,
} from './plan';
import { REGISTRY_ELEMENTS, elementLabel } from './record-fields';
import {
  secretExpiry as expiryOf,
  walkupFlowStatus,
  type SecretExpiry,
  type WalkupFlowStatus,
} from './walkup-status';
import type { Snapshot } from './snapshot';
import type { EntraApp } from './desired-state';
import { escapeHtml } from '../html';

export interface ReportOptions {
  format: 'html' | 'json';
  /** The instance's display name in Spokesmith. */
  instanceName: string;
  /** Who ran it, as main knows it (the renderer and shared code cannot ask the OS). */
  runBy?: RunBy;
  /** IANA zone the times are shown in (default: this computer's). */
  timeZone?: string;
  /** Token status read after the apply (operations' instanceTokenStatus); absent: "not checked". */
  tokens?: readonly TokenStatus[] | null;
  /** The two Walk-up flows (walkupFlowStatus of a snapshot); absent: "not read". See reportFacts. */
  walkupFlows?: readonly WalkupFlowStatus[] | null;
  /** The Entra client secret's expiry date (the desired state's entra.secretExpires), when known. */
  secretExpires?: string | null;
  /** What "expires in N days" counts from (default: the moment the report is made). */
  now?: Date;
}

/**
 * The report's facts that live outside the apply record: the Walk-up flows as the instance's latest
 * snapshot read them (an apply never changes them) and the secret's expiry from the desired state.
 */
export function reportFacts(
  snapshot: Snapshot | null,
  entra: Pick<EntraApp, 'secretExpires'> | null | undefined,
): Pick<ReportOptions, 'walkupFlows' | 'secretExpires'> {
  return {
    walkupFlows: snapshot?.flows ? walkupFlowStatus(snapshot) : null,
    secretExpires: entra?.secretExpires ?? null,
  };
}

export interface RunBy {
  /** The ServiceNow user Spokesmith signs in to the instance as (the saved instance's user). */
  instanceUser: string | null;
  /** The computer account that runs Spokesmith and makes the report. */
  osUser: string | null;
}

export type FieldState = 'unchanged' | 'changed' | 'new' | 'removed';

export interface ReportField {
  field: string;
  label: string;
  before: string | null;
  after: string | null;
  state: FieldState;
  /** True when the verified value differs from what was asked. */
  mismatch: boolean;
}

export interface ReportRecord {
  table: string;
  name: string;
  op: string;
  status: string;
  sysId: string | null;
  verified: boolean | null;
  adoptedFrom: string | null;
  error: string | null;
  settled: string | null;
  fields: ReportField[];
}

/** What happened to a registry's client secret, in the past tense; `not written` when the write failed. */
export type ReportSecretState = 'set' | 'replaced' | 'unchanged' | 'not written';

/** One of the two Application Registries (oauth_entity) the spoke ships. */
export interface ReportRegistry {
  name: string;
  grant: RegistryAction['grant'];
  op: string;
  status: string;
  sysId: string | null;
  verified: boolean | null;
  error: string | null;
  /** null when the registry was blocked (nothing about the secret was decided). */
  secret: ReportSecretState | null;
  fields: ReportField[];
}

export interface ReportEntraCheck {
  status: 'passed' | 'failed' | 'not_checked';
  message: string;
  /** The authority the check asked (null when it was not checked). */
  authority: string | null;
  roles: string[];
}

export interface ReportData {
  instance: string;
  instanceUrl: string;
  applyId: string;
  kind: ApplyRecord['kind'];
  status: ApplyRecord['status'];
  startedAt: string;
  finishedAt: string | null;
  runBy: RunBy;
  verification: ApplyRecord['verification'];
  records: ReportRecord[];
  nextSteps: ApplyRecord['nextSteps'];
  requests: number;
  /** Empty when the desired state had no Entra app (the registries were left alone). */
  registries: ReportRegistry[];
  /** null when the desired state had no Entra app. */
  entraCheck: ReportEntraCheck | null;
  /** null: not checked. */
  tokens: TokenStatus[] | null;
  /** null: not read. */
  walkupFlows: WalkupFlowStatus[] | null;
  /** null: the expiry date is not known. */
  secretExpiry: SecretExpiry | null;
  /** What a person still has to do, in order (next-steps.ts: whatIsLeft); empty after a rollback. */
  leftToDo: PersonStep[];
}

/** The plan stored in a record, when it has the expected shape (records keep it as unknown). */
export function planOfRecord(record: ApplyRecord): Plan | null {
  const plan = record.plan as Partial<Plan> | null;
  return plan && typeof plan === 'object' && Array.isArray(plan.actions) ? (plan as Plan) : null;
}

/** A registry step (kind 'registry' in the record): reported in its own section, never as a credential. */
const isRegistryStep = (step: ApplyStepResult): boolean => step.table === 'oauth_entity';

export function reportData(record: ApplyRecord, options: Omit<ReportOptions, 'format'>): ReportData {
  const plan = planOfRecord(record);
  const actions = plan?.actions ?? [];
  const registries = registriesOf(record, plan);
  const entraCheck = registries.length ? entraCheckOf(plan) : null;
  const tokens = options.tokens ? [...options.tokens] : null;
  const walkupFlows = options.walkupFlows ? [...options.walkupFlows] : null;
  const secretExpiry = registries.length
    ? expiryOf(options.secretExpires ?? undefined, options.now ?? new Date())
    : null;
  const records: ReportRecord[] = record.steps
    .filter((step) => !isRegistryStep(step))
    .map((step) => {
      const action = actions.find((a) => a.id === step.actionId);
      const rec = record.records.find((r) => r.actionId === step.actionId);
      return {
        table: step.table,
        name: step.name,
        op: step.op,
        status: step.status,
        sysId: step.sysId,
        verified: rec ? rec.verified : null,
        adoptedFrom: action?.adoptedFrom ?? null,
        error: step.error ? step.error.message : (action?.reason ?? null),
        settled: step.settled ?? null,
        fields: reportFields(action, rec),
      };
    });
  return {
    instance: options.instanceName,
    instanceUrl: record.instanceUrl,
    applyId: record.applyId,
    kind: record.kind,
    status: record.status,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    runBy: options.runBy ?? { instanceUser: null, osUser: null },
    verification: record.verification,
    records,
    nextSteps: record.nextSteps,
    requests: record.requests,
    registries,
    entraCheck,
    tokens,
    walkupFlows,
    secretExpiry,
    leftToDo:
      record.kind === 'apply'
        ? whatIsLeft({
            nextSteps: record.nextSteps,
            tokens,
            entra: registries.length > 0,
            entraCheck: registries.length ? checkSummaryOf(plan) : null,
            registriesNotWritten: notWritten(registries),
            walkupFlows,
            secretExpiry,
          })
        : [],
  };
}

function registriesOf(record: ApplyRecord, plan: Plan | null): ReportRegistry[] {
  const actions: RegistryAction[] = Array.isArray(plan?.registries) ? plan.registries : [];
  return actions.map((action) => {
    const step = record.steps.find((s) => s.actionId === action.id);
    const rec = record.records.find((r) => r.actionId === action.id);
    const status = step?.status ?? (action.op === 'noop' ? 'skipped' : 'not_run');
    return {
      name: action.name,
      grant: action.grant,
      op: action.op,
      status,
      sysId: step?.sysId ?? action.sysId,
      verified: rec ? rec.verified : null,
      error: step?.error ? step.error.message : (action.reason ?? null),
      secret: secretState(action.secret, action.op === 'noop' || status === 'done'),
      fields: fieldsOf(action.changes, rec).filter((f) => f.field !== REGISTRY_ELEMENTS.clientSecret),
    };
  });
}

const SECRET_PAST: Record<SecretOp, ReportSecretState> = {
  set: 'set',
  replace: 'replaced',
  unchanged: 'unchanged',
};

function secretState(op: SecretOp | null, written: boolean): ReportSecretState | null {
  if (op === null) return null;
  return op === 'unchanged' || written ? SECRET_PAST[op] : 'not written';
}

function notWritten(registries: ReportRegistry[]): RegistryNotWritten[] {
  return registries
    .filter((r) => r.op === 'blocked' || r.status === 'failed' || r.status === 'not_run')
    .map((r) => ({
      name: r.name,
      reason: r.error ?? (r.status === 'not_run' ? 'the apply stopped before it.' : 'the write failed.'),
    }));
}

/** The plan's Entra check as recorded (Plan.entraCheck); read defensively: records keep the plan as unknown. */
function checkSummaryOf(plan: Plan | null): EntraCheckSummary {
  const check = (plan as { entraCheck?: Partial<EntraCheckSummary> } | null)?.entraCheck;
  const statuses: EntraCheckSummary['status'][] = ['passed', 'failed', 'skipped', 'not_run'];
  if (!check || typeof check !== 'object' || !statuses.includes(check.status!)) {
    return { status: 'not_run', authority: '', message: 'No Entra check is recorded with this apply.' };
  }
  return {
    status: check.status!,
    authority: typeof check.authority === 'string' ? check.authority : '',
    message: typeof check.message === 'string' ? check.message : '',
    ...(typeof check.field === 'string' ? { field: check.field as EntraCheckField } : {}),
    ...(Array.isArray(check.roles) ? { roles: check.roles.filter((r) => typeof r === 'string') } : {}),
  };
}

function entraCheckOf(plan: Plan | null): ReportEntraCheck {
  const check = checkSummaryOf(plan);
  const checked = check.status === 'passed' || check.status === 'failed';
  return {
    status: checked ? (check.status as 'passed' | 'failed') : 'not_checked',
    message: check.message,
    authority: checked && check.authority ? check.authority : null,
    roles: check.roles ?? [],
  };
}

function reportFields(action: PlanAction | undefined, rec: RecordBeforeAfter | undefined): ReportField[] {
  return fieldsOf(action?.changes ?? {}, rec);
}

function fieldsOf(changes: Record<string, FieldChange>, rec: RecordBeforeAfter | undefined): ReportField[] {
  const mismatches = new Set(rec?.mismatches ?? []);
  return Object.entries(changes).map(([field, change]) => ({
    field,
    label: elementLabel(field),
    before: change.before,
    after: change.after,
    state: fieldState(change),
    mismatch: mismatches.has(field),
  }));
}

function fieldState(change: FieldChange): FieldState {
  if (change.before === null && change.after !== null) return 'new';
  if (change.after === null && change.before !== null) return 'removed';
  return change.before === change.after ? 'unchanged' : 'changed';
}

export function renderReport(record: ApplyRecord, options: ReportOptions): string {
  const data = reportData(record, options);
  return options.format === 'json'
    ? `${JSON.stringify(data, null, 2)}\n`
    : renderHtml(data, options.timeZone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone);
}

/** "6 Mar 2026, 11:00:02 GMT+1 (Europe/Berlin)": the reader's local time, with its zone spelled out. */
export function localTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
  }).format(date);
  return `${text} (${timeZone})`;
}

function runByText(runBy: RunBy): string {
  const parts = [
    runBy.instanceUser ? `${runBy.instanceUser} (ServiceNow user)` : null,
    runBy.osUser ? `${runBy.osUser} (computer user)` : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? parts.join(' · ') : 'unknown';
}

// --- HTML ---

export { escapeHtml };

const e = (value: string | null | undefined): string =>
  value === null || value === undefined ? '' : escapeHtml(value);

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;margin:2rem;max-width:60rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.75rem 0 .5rem}h3{font-size:1rem;margin:1.25rem 0 .35rem}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:1rem 0}dl.meta dt{color:#555}dl.meta dd{margin:0;min-width:0}
table{border-collapse:collapse;width:100%;margin:.25rem 0 1rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top;word-break:break-word}
th{background:#f3f3f3}tr.new td{background:#e7f6e7}tr.changed td{background:#fff6d6}tr.removed td{background:#fbe3e3}
tr.mismatch td{outline:2px solid #c62828}.badge{display:inline-block;padding:0 .4rem;border-radius:.25rem;font-size:.8rem;border:1px solid #999}
a,code{overflow-wrap:anywhere;word-break:break-word}.ok{color:#1b5e20}.bad{color:#b71c1c}.muted{color:#666}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
@media print{body{margin:0}a{color:inherit}tr,table{page-break-inside:avoid}}
`;

function renderHtml(d: ReportData, timeZone: string): string {
  const title = `${d.kind === 'rollback' ? 'Rollback' : 'Provisioning'} report: ${d.instance}`;
  const verification = d.verification
    ? d.verification.ok
      ? '<span class="ok">Verified: every record re-read matches what was asked.</span>'
      : '<span class="bad">Verification found differences (marked below).</span>'
    : '<span class="muted">Not verified (the apply stopped before verification).</span>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(title)}</title><style>${CSS}</style></head>
<body>
<h1>${e(title)}</h1>
<p class="muted">Microsoft Exchange Online spoke: HTTP(s) connection and OAuth 2.0 credential records${d.registries.length ? ', and the Application Registries of the Microsoft Entra app' : ''}.</p>
<dl class="meta">
<dt>Instance</dt><dd>${e(d.instance)} (<code>${e(d.instanceUrl)}</code>)</dd>
<dt>Started</dt><dd>${e(localTime(d.startedAt, timeZone))}</dd>
<dt>Finished</dt><dd>${e(d.finishedAt ? localTime(d.finishedAt, timeZone) : 'not finished')}</dd>
<dt>Run by</dt><dd>${e(runByText(d.runBy))}</dd>
<dt>Result</dt><dd>${e(statusText(d.status))}</dd>
<dt>Verification</dt><dd>${verification}</dd>
<dt>Apply id</dt><dd><code>${e(d.applyId)}</code></dd>
</dl>
<h2>Records</h2>
${d.records.map(renderRecord).join('\n')}
${renderRegistries(d)}
${renderStatus(d)}
${renderLeftToDo(d)}
</body></html>
`;
}

function statusText(status: ReportData['status']): string {
  switch (status) {
    case 'succeeded':
      return 'Succeeded';
    case 'failed':
      return 'Failed: see the records below for what was and was not written';
    case 'running':
      return 'Did not finish';
  }
}

const OP_TEXT: Record<string, string> = {
  create: 'created',
  update: 'updated',
  noop: 'already as asked',
  blocked: 'blocked',
  delete: 'deleted',
  restore: 'restored',
};

function fieldRow(f: ReportField): string {
  return `<tr class="${f.state}${f.mismatch ? ' mismatch' : ''}"><td>${e(f.label)}</td><td>${e(f.before)}</td><td>${e(f.after)}</td><td>${e(f.state)}${f.mismatch ? ' (differs on the instance)' : ''}</td></tr>`;
}

/** How a record or registry step ended, and whether verification found it as written: one rule for both. */
function outcomeBadges(r: Pick<ReportRecord, 'status' | 'op' | 'verified'>): {
  status: string;
  verified: string;
} {
  const status =
    r.status === 'done' || r.op === 'noop'
      ? `<span class="ok">${e(OP_TEXT[r.op] ?? r.op)}</span>`
      : `<span class="bad">${e(r.op)}: ${e(r.status.replace('_', ' '))}</span>`;
  const verified =
    r.verified === null
      ? ''
      : r.verified
        ? ' <span class="badge ok">verified</span>'
        : ' <span class="badge bad">differs</span>';
  return { status, verified };
}

function renderRecord(r: ReportRecord): string {
  const table = r.table === 'http_connection' ? 'HTTP(s) Connection' : 'OAuth 2.0 Credential';
  const { status, verified } = outcomeBadges(r);
  const rows = r.fields.map(fieldRow).join('\n');
  return `<section>
<h3>${e(table)} “${e(r.name)}”: ${status}${verified}</h3>
${r.adoptedFrom ? `<p>Took over the existing connection “${e(r.adoptedFrom)}” instead of adding a second one.</p>` : ''}
${r.error ? `<p class="bad">${e(r.error)}</p>` : ''}
${r.settled ? `<p class="muted">${e(r.settled)}</p>` : ''}
${r.sysId ? `<p class="muted">sys_id <code>${e(r.sysId)}</code></p>` : ''}
${rows ? `<table><thead><tr><th>Field</th><th>Before</th><th>After</th><th></th></tr></thead><tbody>\n${rows}\n</tbody></table>` : ''}
</section>`;
}

const SECRET_TEXT: Record<ReportSecretState, string> = {
  set: 'set',
  replaced: 'replaced',
  unchanged: 'unchanged',
  'not written': 'not written',
};

function renderRegistries(d: ReportData): string {
  if (!d.registries.length) return '';
  const sections = d.registries.map((r) => {
    const { status, verified } = outcomeBadges(r);
    const rows = r.fields.map(fieldRow);
    // The secret's value is never known here: only what happened to it.
    if (r.secret) {
      const state =
        r.secret === 'unchanged' ? 'unchanged' : r.secret === 'not written' ? 'removed' : 'changed';
      rows.push(
        `<tr class="${state}"><td>${e(elementLabel(REGISTRY_ELEMENTS.clientSecret))}</td><td colspan="2">(never shown)</td><td>${e(SECRET_TEXT[r.secret])}</td></tr>`,
      );
    }
    return `<section>
<h3>Application Registry “${e(r.name)}”: ${status}${verified}</h3>
${r.error ? `<p class="bad">${e(r.error)}</p>` : ''}
${r.sysId ? `<p class="muted">sys_id <code>${e(r.sysId)}</code></p>` : ''}
${rows.length ? `<table><thead><tr><th>Field</th><th>Before</th><th>After</th><th></th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>` : ''}
</section>`;
  });
  return `<h2>Application Registries (Microsoft Entra app)</h2>
${sections.join('\n')}`;
}

const CHECK_TEXT: Record<ReportEntraCheck['status'], string> = {
  passed: 'passed',
  failed: 'failed',
  not_checked: 'not checked',
};

/**
 * Entra check, tokens, flows and the secret's expiry: the state the integration was left in. Shown for
 * an Entra apply, and for any apply whose tokens or flows are known; each line only when it applies.
 */
function renderStatus(d: ReportData): string {
  if (d.kind !== 'apply' || (!d.registries.length && !d.tokens && !d.walkupFlows)) return '';
  const entra = d.registries.length > 0;
  const check = d.entraCheck;
  const checkText = check
    ? `<span class="${check.status === 'passed' ? 'ok' : 'bad'}">${e(CHECK_TEXT[check.status])}</span>${check.message ? `: ${e(check.message)}` : ''}${check.authority ? ` <span class="muted">(asked ${e(check.authority)})</span>` : ''}`
    : '';
  const tokens = d.tokens
    ? d.nextSteps
        .map((s) => {
          const t = d.tokens!.find((x) => x.credentialSysId === s.credentialSysId);
          const text = !t
            ? '<span class="muted">not checked</span>'
            : t.hasToken
              ? `<span class="ok">has a token</span>${t.expiresAt ? ` (access token until ${e(t.expiresAt)})` : ''}`
              : '<span class="bad">no token yet</span>';
          return `${e(s.credentialName)}: ${text}`;
        })
        .join('<br>') || '<span class="muted">no credential to check</span>'
    : '<span class="muted">not checked</span>';
  const flows = d.walkupFlows
    ? d.walkupFlows
        .map((f) => {
          const cls = f.state === 'active' ? 'ok' : f.state === 'unknown' ? 'muted' : 'bad';
          return `<span class="${cls}">${e(f.message)}</span>${f.url ? ` <a href="${e(f.url)}">${e(f.url)}</a>` : ''}`;
        })
        .join('<br>')
    : '<span class="muted">not read</span>';
  const expiry = d.secretExpiry
    ? `<span class="${d.secretExpiry.warn ? 'bad' : 'ok'}">${e(d.secretExpiry.message)}</span> (${e(d.secretExpiry.expiresOn)})`
    : '<span class="muted">not known</span>';
  return `<h2>Status after the apply</h2>
<dl class="meta">
${entra ? `<dt>Entra check</dt><dd>${checkText}</dd>\n` : ''}<dt>OAuth tokens</dt><dd>${tokens}</dd>
<dt>Walk-up flows</dt><dd>${flows}</dd>
${entra ? `<dt>Client secret</dt><dd>${expiry}</dd>\n` : ''}</dl>`;
}

function renderLeftToDo(d: ReportData): string {
  if (d.kind !== 'apply') return '';
  if (!d.leftToDo.length) {
    return `<h2>What is left for a person to do</h2>
<p class="ok">Nothing: every step Spokesmith can see is done.</p>`;
  }
  const items = d.leftToDo
    .map(
      (s) =>
        `<li>${e(s.text)}${s.url ? `<br>${e(s.urlLabel ?? 'Open')}: <a href="${e(s.url)}">${e(s.url)}</a>` : ''}</li>`,
    )
    .join('\n');
  return `<h2>What is left for a person to do</h2>
<ol>
${items}
</ol>`;
}
