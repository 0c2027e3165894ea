// The readable before/after review of a plan or an apply: one block per record, one row per field that
// changes. Names, values and messages come from the instance: each goes through terminalSafe (`safe`)
// before it is styled (table cells are made safe by renderTable).
import type { ApplyRecord, ApplyStepResult, NextStep } from '../../../shared/domain/apply';
import type { Plan, PlanAction, PlanOp } from '../../../shared/domain/plan';
import { planSummary } from '../../../shared/domain/plan';
import { renderEntraCheck, renderRegistryBlocks } from './entra-text';
import { changedFields } from './plan-json';
import type { Style } from './style';
import { terminalSafe as safe } from './terminal-text';
import { renderTable } from './text-table';

function opMark(op: PlanOp, style: Style): string {
  switch (op) {
    case 'create':
      return style.green('+ create');
    case 'update':
      return style.yellow('~ update');
    case 'noop':
      return style.dim('= up to date');
    case 'blocked':
      return style.red('! BLOCKED');
    case 'delete':
      return style.red('- delete');
  }
}

const show = (value: string | null) => (value === null ? '—' : value === '' ? '""' : value);

export function renderActionBlock(action: PlanAction, style: Style, extra: string[] = []): string[] {
  const lines = [
    `${opMark(action.op, style)}  ${style.bold(safe(action.name))}  ${style.dim(`(${action.table})`)}`,
  ];
  if (action.adoptedFrom) lines.push(`    takes over the existing connection "${safe(action.adoptedFrom)}"`);
  if (action.reason) lines.push(`    ${style.red(safe(action.reason))}`);
  const changes = Object.entries(changedFields(action));
  if (changes.length) {
    lines.push(
      ...renderTable(
        ['field', 'before', 'after'],
        changes.map(([field, c]) => [field, show(c.before), show(c.after)]),
        { indent: '    ' },
      ),
    );
  }
  for (const note of action.notes) lines.push(`    ${style.dim(`note: ${safe(note)}`)}`);
  lines.push(...extra.map((e) => `    ${e}`)); // built by callers from our own words
  return lines;
}

export function renderPlanText(plan: Plan, instance: string, style: Style): string[] {
  const s = planSummary(plan);
  const counts = [`${s.create} to create`, `${s.update} to update`];
  if (s.delete) counts.push(`${s.delete} to delete`);
  counts.push(`${s.noop} up to date`, `${s.blocked} blocked`);
  const lines = [
    style.bold(`Plan for ${safe(instance)} (${safe(plan.instanceUrl)})`),
    `${counts.join(', ')}.`,
    '',
  ];
  for (const action of plan.actions) lines.push(...renderActionBlock(action, style), '');
  lines.push(...renderRegistryBlocks(plan.registries ?? [], style));
  const check = renderEntraCheck(plan.entraCheck, style);
  if (check.length) lines.push(...check, '');
  return lines;
}

/**
 * The result of an apply or rollback, one line per record (the before/after was shown as the plan just
 * before): what happened, its sys_id, and whether the re-read record matched.
 */
export function renderApplyText(plan: Plan, record: ApplyRecord, instance: string, style: Style): string[] {
  const verb = record.kind === 'rollback' ? 'Rollback' : 'Apply';
  const status =
    record.status === 'succeeded' ? style.green('succeeded') : style.red(record.status.replace('_', ' '));
  const lines = [style.bold(`${verb} on ${safe(instance)} (${safe(record.instanceUrl)}): ${status}`)];
  const rows: string[][] = [];
  const problems: string[] = [];
  // The registries (issue 10) are written in the same apply: one row each, like the records.
  for (const action of [...plan.actions, ...(plan.registries ?? [])]) {
    const step = record.steps.find((st) => st.actionId === action.id);
    const result = record.records.find((r) => r.actionId === action.id);
    const sysId = step?.sysId ?? result?.sysId ?? action.sysId;
    const done = step ? STEP_LABEL[step.status](action.op) : action.op === 'noop' ? 'up to date' : 'not run';
    const check = !result
      ? ''
      : result.verified
        ? style.green('verified')
        : style.red(`NOT verified: ${safe(result.mismatches.join(', ')) || 'record missing'}`);
    rows.push([action.name, action.table, done, sysId ?? '', check]);
    if (step?.error) problems.push(`  ${safe(action.name)}: ${style.red(safe(step.error.message))}`);
    if (step?.settled) problems.push(`  ${safe(action.name)}: ${safe(step.settled)}`);
  }
  lines.push(...renderTable(['record', 'table', 'result', 'sys_id', 'verification'], rows, { indent: '  ' }));
  if (problems.length) lines.push('', ...problems);
  lines.push('');
  if (record.verification) {
    lines.push(
      record.verification.ok
        ? `Verification: every record re-read and matched (${record.verification.requests} request(s)).`
        : style.red('Verification: some records do not match what was asked (see above).'),
    );
  }
  lines.push(`Requests sent to the instance: ${record.requests}.`);
  if (record.nextSteps.length) lines.push('', ...renderNextSteps(record.nextSteps, style));
  return lines;
}

const PAST: Record<string, string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  restore: 'restored',
  noop: 'up to date',
  blocked: 'blocked',
};
const STEP_LABEL: Record<ApplyStepResult['status'], (op: string) => string> = {
  done: (op) => PAST[op] ?? op,
  skipped: () => 'skipped',
  failed: (op) => `${op} FAILED`,
  not_run: () => 'not run',
};

export function renderNextSteps(steps: NextStep[], style: Style): string[] {
  const lines = [style.bold('Next steps: get an OAuth token for each credential')];
  for (const step of steps) {
    lines.push(`  • ${safe(step.credentialName)} (${step.grant.replace('_', ' ')})`);
    if (step.authorizeUrl) {
      lines.push(`      authorize in a browser: ${safe(step.authorizeUrl)}`);
      lines.push(`      or open the credential and click "Get OAuth Token": ${safe(step.credentialUrl)}`);
    } else {
      lines.push(`      open the credential and click "Get OAuth Token": ${safe(step.credentialUrl)}`);
    }
  }
  return lines;
}

// The counting rule lives with the record (src/shared/domain/apply.ts), shared with the app's History.
export { countSteps as countOps } from '../../../shared/domain/apply';
