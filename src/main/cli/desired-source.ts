// Where an instance's desired state comes from: `--config FILE`, `--template NAME` (variables from the
// saved instance, overridden by `--var key=value`), the template the saved instance names, or the
// documented defaults. Problems come back as lines (never thrown) so a command can list them all at once,
// together with its other usage problems, before anything is sent.
import type { DesiredState, FieldIssue } from '../../shared/domain/desired-state';
import { loadDesiredState } from './desired-config';
import { CliFailure } from './exit-codes';
import type { InstanceRecord, Workspace } from '../workspace';

export interface DesiredOptions {
  config?: string;
  template?: string;
  /** `--var key=value`, repeatable. */
  var?: string[];
}

export interface ResolvedDesired {
  desired?: DesiredState;
  notes: FieldIssue[];
  /** Lines to print under "Nothing was sent": each problem starts with "  - ". */
  problems: string[];
  /** How the desired state was chosen, for a one-line note (null: the documented defaults). */
  source: string | null;
}

const VAR = /^([A-Za-z_][A-Za-z0-9_]{0,39})=(.*)$/s;

export function parseVars(list: string[] | undefined): { vars: Record<string, string>; problems: string[] } {
  const vars: Record<string, string> = {};
  const problems: string[] = [];
  for (const item of list ?? []) {
    const match = VAR.exec(item);
    if (match) vars[match[1]!] = match[2]!;
    else problems.push(`  - --var: "${item}" is not key=value (a key is letters, digits and _).`);
  }
  return { vars, problems };
}

export async function resolveDesired(
  cwd: string,
  workspace: Workspace,
  saved: InstanceRecord | null,
  options: DesiredOptions,
  now: Date = new Date(),
): Promise<ResolvedDesired> {
  const { vars, problems } = parseVars(options.var);
  if (options.config && options.template) {
    problems.push('  - --config and --template: give one or the other, not both.');
  }
  const templateName = options.template ?? (options.config ? undefined : saved?.template);
  if (!templateName) {
    if (options.var?.length) problems.push('  - --var: variables only apply with --template NAME.');
    try {
      const loaded = await loadDesiredState(options.config, cwd, now);
      return {
        desired: loaded.desired,
        notes: loaded.notes,
        problems,
        source: options.config ? `config ${options.config}` : null,
      };
    } catch (error) {
      if (!(error instanceof CliFailure)) throw error;
      return { notes: [], problems: [...problems, error.message, ...error.lines], source: null };
    }
  }
  const rendered = workspace.templates.render(templateName, { ...saved?.variables, ...vars }, now);
  if (!rendered.ok) {
    for (const e of rendered.errors) {
      const hint = e.variable && /has no value/.test(e.message) ? ` Or pass --var ${e.variable}=VALUE.` : '';
      problems.push(`  - template ${templateName}: ${e.message}${hint}`);
    }
    return { notes: [], problems, source: null };
  }
  return {
    desired: problems.length ? undefined : rendered.desired,
    notes: rendered.warnings,
    problems,
    source: `template ${templateName}${options.template ? '' : ` (the template of ${saved?.name})`}`,
  };
}
