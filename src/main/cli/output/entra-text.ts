// The issue-10 parts of the plan and apply output: the two Application Registries field by field (the
// client secret only as "set", "will be replaced" or "unchanged", never a value), the Entra check's
// result, the Walk-up flows after an apply, and what is left for a person to do. Values from the
// instance go through terminalSafe; table cells are made safe by renderTable.
import type { PersonStep } from '../../../shared/domain/next-steps';
import type { EntraCheckSummary, RegistryAction, SecretOp } from '../../../shared/domain/plan';
import type { WalkupFlowStatus } from '../../../shared/domain/walkup-status';
import { changedFields } from './plan-json';
import type { Style } from './style';
import { terminalSafe as safe } from './terminal-text';
import { renderTable } from './text-table';

/** The secret's fate in words; the value itself is never at hand here. */
export const SECRET_WORDS: Record<SecretOp, string> = {
  set: 'set',
  replace: 'will be replaced',
  unchanged: 'unchanged',
};

const show = (value: string | null) => (value === null ? '—' : value === '' ? '""' : value);

function opMark(op: RegistryAction['op'], style: Style): string {
  if (op === 'update') return style.yellow('~ update');
  if (op === 'noop') return style.dim('= up to date');
  return style.red('! BLOCKED');
}

export function renderRegistryBlocks(registries: RegistryAction[], style: Style): string[] {
  const lines: string[] = [];
  for (const registry of registries) {
    lines.push(
      `${opMark(registry.op, style)}  ${style.bold(safe(registry.name))}  ${style.dim(`(${registry.table}, Application Registry)`)}`,
    );
    if (registry.reason) lines.push(`    ${style.red(safe(registry.reason))}`);
    const rows = Object.entries(changedFields(registry)).map(([field, c]) => [
      field,
      show(c.before),
      show(c.after),
    ]);
    if (registry.secret) {
      const before = registry.secret === 'set' ? 'empty' : 'set';
      rows.push(['client_secret', before, SECRET_WORDS[registry.secret]]);
    }
    if (rows.length) lines.push(...renderTable(['field', 'before', 'after'], rows, { indent: '    ' }));
    for (const note of registry.notes) lines.push(`    ${style.dim(`note: ${safe(note)}`)}`);
    lines.push('');
  }
  return lines;
}

export function renderEntraCheck(check: EntraCheckSummary | undefined, style: Style): string[] {
  if (!check) return [];
  const where = style.dim(`(${safe(check.authority)})`);
  switch (check.status) {
    case 'passed':
      return [
        `${style.green('Entra app check: passed')} ${where}`,
        `    application permissions granted: ${safe((check.roles ?? []).join(', ')) || 'none'}`,
      ];
    case 'failed':
      return [
        `${style.red('Entra app check: FAILED')} ${where}`,
        `    ${safe(check.message)}${check.field ? ` (field: ${safe(check.field)})` : ''}`,
      ];
    case 'skipped':
      return [style.yellow('The Entra app was not checked (--no-entra-check).')];
    case 'not_run':
      return [style.yellow(`The Entra app was not checked: ${safe(check.message)}`)];
  }
}

export function renderWalkupFlows(flows: WalkupFlowStatus[], style: Style): string[] {
  if (!flows.length) return [];
  const lines = [style.bold('Walk-up flows')];
  for (const flow of flows) {
    const state =
      flow.state === 'active'
        ? style.green('active')
        : flow.state === 'unknown'
          ? style.dim('not read')
          : style.red(flow.state === 'missing' ? 'missing' : 'NOT active');
    lines.push(`  • ${safe(flow.name)}: ${state}${flow.url ? `  ${safe(flow.url)}` : ''}`);
  }
  return lines;
}

/** What a person still has to do (next-steps.ts whatIsLeft, as the report lists it), one bullet each. */
export function renderLeftToDo(todo: readonly PersonStep[], style: Style): string[] {
  if (!todo.length) return [style.green('Nothing is left to do by hand.')];
  const lines = [style.bold('Left for you to do')];
  for (const step of todo) {
    lines.push(`  • ${safe(step.text)}`);
    if (step.url) lines.push(`      ${step.urlLabel ? `${safe(step.urlLabel)}: ` : ''}${safe(step.url)}`);
  }
  return lines;
}
