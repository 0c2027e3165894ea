// The part every instance command starts with, before anything is sent: find the instance, work out the
// desired state (config, template or defaults), and stop with exit 2 listing EVERY problem at once when
// something is wrong.
import type { DesiredState } from '../../../shared/domain/desired-state';
import { formatIssue } from '../../../shared/domain/desired-state';
import type { CommandContext, CommonOptions } from '../context';
import { resolveDesired, type DesiredOptions } from '../desired-source';
import { usageError } from '../exit-codes';
import { locateInstance, workspaceOf, type InstanceTarget } from '../instance-target';

export interface Prepared {
  target: InstanceTarget;
  desired: DesiredState;
}

export type PrepareOptions = CommonOptions & DesiredOptions;

export async function prepare(
  ctx: CommandContext,
  instance: string,
  options: PrepareOptions,
): Promise<Prepared> {
  const workspace = await workspaceOf(ctx, options.workspace);
  const located = locateInstance(workspace, instance);
  const resolved = await resolveDesired(ctx.io.cwd, workspace, located.target?.saved ?? null, options);
  const problems = [...resolved.problems, ...located.problems.map((p) => `  - ${p}`)];
  if (problems.length || !resolved.desired || !located.target) {
    throw nothingSent(problems);
  }
  if (resolved.source) ctx.err(ctx.style.dim(`Desired state: ${resolved.source}.`));
  for (const note of resolved.notes) ctx.err(`${note.severity}: ${formatIssue(note)}`);
  return { target: located.target, desired: resolved.desired };
}

export function nothingSent(problems: string[]) {
  const count = problems.filter((p) => p.startsWith('  - ')).length || problems.length;
  return usageError(`Nothing was sent: ${count} problem${count === 1 ? '' : 's'} to fix first.`, problems);
}
