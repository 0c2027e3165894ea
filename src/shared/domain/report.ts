// The apply report a consultant hands to the customer: a self-contained, printable HTML page (inline CSS,
// no external resources, every value escaped) or JSON. Records hold no secrets by construction (the
// engine never reads or writes a secret field); the report adds none.
import type { ApplyRecord, RecordBeforeAfter } from './apply';
import type { FieldChange, Plan, PlanAction } from './plan';
import { elementLabel } from './record-fields';
import { escapeHtml } from '../html';

export interface ReportOptions {
  format: 'html' | 'json';
  /** The instance's display name in Spokesmith. */
  instanceName: string;
  /** Who ran it, as main knows it (the renderer and shared code cannot ask the OS). */
  runBy?: RunBy;
  /** IANA zone the times are shown in (default: this computer's). */
  timeZone?: string;
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
}

/** The plan stored in a record, when it has the expected shape (records keep it as unknown). */
export function planOfRecord(record: ApplyRecord): Plan | null {
  const plan = record.plan as Partial<Plan> | null;
  return plan && typeof plan === 'object' && Array.isArray(plan.actions) ? (plan as Plan) : null;
}

export function reportData(record: ApplyRecord, options: Omit<ReportOptions, 'format'>): ReportData {
  const plan = planOfRecord(record);
  const actions = plan?.actions ?? [];
  const records: ReportRecord[] = record.steps.map((step) => {
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
  };
}

function reportFields(action: PlanAction | undefined, rec: RecordBeforeAfter | undefined): ReportField[] {
  const mismatches = new Set(rec?.mismatches ?? []);
  const changes: Record<string, FieldChange> = action?.changes ?? {};
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
<p class="muted">Microsoft Exchange Online spoke: HTTP(s) connection and OAuth 2.0 credential records.</p>
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
${renderNextSteps(d)}
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

function renderRecord(r: ReportRecord): string {
  const table = r.table === 'http_connection' ? 'HTTP(s) Connection' : 'OAuth 2.0 Credential';
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
  const rows = r.fields
    .map(
      (f) =>
        `<tr class="${f.state}${f.mismatch ? ' mismatch' : ''}"><td>${e(f.label)}</td><td>${e(f.before)}</td><td>${e(f.after)}</td><td>${e(f.state)}${f.mismatch ? ' (differs on the instance)' : ''}</td></tr>`,
    )
    .join('\n');
  return `<section>
<h3>${e(table)} “${e(r.name)}”: ${status}${verified}</h3>
${r.adoptedFrom ? `<p>Took over the existing connection “${e(r.adoptedFrom)}” instead of adding a second one.</p>` : ''}
${r.error ? `<p class="bad">${e(r.error)}</p>` : ''}
${r.settled ? `<p class="muted">${e(r.settled)}</p>` : ''}
${r.sysId ? `<p class="muted">sys_id <code>${e(r.sysId)}</code></p>` : ''}
${rows ? `<table><thead><tr><th>Field</th><th>Before</th><th>After</th><th></th></tr></thead><tbody>\n${rows}\n</tbody></table>` : ''}
</section>`;
}

function renderNextSteps(d: ReportData): string {
  if (!d.nextSteps.length) return '';
  const items = d.nextSteps
    .map((s) => {
      const how =
        s.grant === 'authorization_code' && s.authorizeUrl
          ? `Sign in to Microsoft to authorize: <a href="${e(s.authorizeUrl)}">${e(s.authorizeUrl)}</a>`
          : `Open the credential and click <b>Get OAuth Token</b>: <a href="${e(s.credentialUrl)}">${e(s.credentialUrl)}</a>`;
      return `<li><b>${e(s.credentialName)}</b> (${e(s.grant === 'authorization_code' ? 'Authorization Code' : 'Client Credentials')}): ${how}</li>`;
    })
    .join('\n');
  return `<h2>Next steps</h2>
<p>Each credential needs an OAuth token before the spoke can call Microsoft Graph.</p>
<ol>
${items}
</ol>`;
}
