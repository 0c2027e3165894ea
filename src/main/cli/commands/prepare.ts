// The part every instance command starts with, before anything is sent: find the instance, work out the
// desired state (config, template or defaults, then the --entra-* flags), and stop with exit 2 listing
// EVERY problem at once when something is wrong.
import type { DesiredState } from '../../../shared/domain/desired-state';
import { formatIssue } from '../../../shared/domain/desired-state';
import type { CommandContext, CommonOptions } from '../context';
import { resolveDesired, type DesiredOptions } from '../desired-source';
import type { EntraCheckRequest } from '../../operations';
import { resolveEntra, type EntraOptions } from '../entra-options';
import { usageError } from '../exit-codes';
import { locateInstance, workspaceOf, type InstanceTarget } from '../instance-target';

export interface Prepared {
  target: InstanceTarget;
  desired: DesiredState;
  /** What plan/apply ask the operations to do about the Entra check (only used with desired.entra). */
  entraCheck: EntraCheckRequest;
}

export type PrepareOptions = CommonOptions & DesiredOptions & EntraOptions;

export async function prepare(
  ctx: CommandContext,
  instance: string,
  options: PrepareOptions,
): Promise<Prepared> {
  const workspace = await workspaceOf(ctx, options.workspace);
  const located = locateInstance(workspace, instance);
  const now = ctx.now();
  const resolved = await resolveDesired(ctx.io.cwd, workspace, located.target?.saved ?? null, options, now);
  const entra = resolved.desired ? resolveEntra(resolved.desired, options, now) : null;
  const problems = [
    ...resolved.problems,
    ...(entra?.problems ?? []),
    ...located.problems.map((p) => `  - ${p}`),
  ];
  if (problems.length || !entra?.desired || !located.target) {
    throw nothingSent(problems);
  }
  if (resolved.source) ctx.err(ctx.style.dim(`Desired state: ${resolved.source}.`));
  for (const note of resolved.notes) ctx.err(`${note.severity}: ${formatIssue(note)}`);
  return { target: located.target, desired: entra.desired, entraCheck: entra.entraCheck };
}

export function nothingSent(problems: string[]) {
  const count = problems.filter((p) => p.startsWith('  - ')).length || problems.length;
  return usageError(`Nothing was sent: ${count} problem${count === 1 ? '' : 's'} to fix first.`, problems);
}
