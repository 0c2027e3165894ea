// The part every instance command starts with, before anything is sent: read the config, find the
// instance, and stop with exit 2 listing EVERY problem at once when something is wrong.
import type { DesiredState, FieldIssue } from '../../../shared/domain/desired-state';
import { formatIssue } from '../../../shared/domain/desired-state';
import type { CommandContext, CommonOptions } from '../context';
import { loadDesiredState } from '../desired-config';
import { CliFailure, usageError } from '../exit-codes';
import { locateInstance, workspaceDirOf, type InstanceTarget } from '../instance-target';
import type { WorkspaceView } from '../services';

export interface Prepared {
  target: InstanceTarget;
  desired: DesiredState;
  workspace: WorkspaceView;
}

export async function prepare(
  ctx: CommandContext,
  instance: string,
  options: CommonOptions,
): Promise<Prepared> {
  const problems: string[] = [];
  let desired: DesiredState | undefined;
  let notes: FieldIssue[] = [];
  try {
    const loaded = await loadDesiredState(options.config, ctx.io.cwd);
    desired = loaded.desired;
    notes = loaded.notes;
  } catch (error) {
    if (!(error instanceof CliFailure)) throw error;
    problems.push(error.message, ...error.lines);
  }
  const workspace = await ctx.services.openWorkspace(workspaceDirOf(ctx.io, ctx.services, options.workspace));
  const located = await locateInstance(ctx.services, workspace, instance);
  problems.push(...located.problems.map((p) => `  - ${p}`));
  if (problems.length || !desired || !located.target) {
    const count = problems.filter((p) => p.startsWith('  - ')).length || problems.length;
    throw usageError(`Nothing was sent: ${count} problem${count === 1 ? '' : 's'} to fix first.`, problems);
  }
  for (const note of notes) ctx.err(`${note.severity}: ${formatIssue(note)}`);
  return { target: located.target, desired, workspace };
}
