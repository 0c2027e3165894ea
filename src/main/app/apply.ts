// Apply and resume: the engine writes; this module re-discovers first (a plan is never applied to a stale
// snapshot), forwards progress events to the window, and records the outcome in the instance status.
import type { ApplyProgress, ApplyRecord } from '../../shared/domain/apply';
import { formatIssue } from '../../shared/domain/desired-state';
import { AppError } from '../ipc/errors';
import type { AppContext } from './context';
import { checkForms, type FormsInput } from './plan';
import { statusFromNotReady, statusFromRecord } from './status';

export async function runApply(ctx: AppContext, input: FormsInput): Promise<ApplyRecord> {
  const instance = await ctx.requireInstance(input.id);
  return ctx.exclusive(input.id, 'applying', () =>
    ctx.withClient(instance, async (client) => {
      const first = await checkForms(ctx, input);
      if (!first.desired) throw formsError(first.issues.map(formatIssue));

      const outcome = await ctx.engine.discover(client, first.desired);
      if (outcome.snapshot) await ctx.workspace.saveSnapshot(input.id, outcome.snapshot);
      if (!outcome.ok) {
        await ctx.setState(input.id, statusFromNotReady(outcome.reason, outcome.message));
        throw new AppError('not_ready', outcome.message);
      }
      await ctx.setState(input.id, { lastDiscoveredAt: outcome.snapshot.discoveredAt });
      const issues = ctx.engine.checkAgainstSnapshot(first.desired, outcome.snapshot);
      const errors = issues.filter((i) => i.severity === 'error');
      if (errors.length) throw formsError(errors.map(formatIssue));

      const plan = ctx.engine.buildPlan(outcome.snapshot, first.desired, ctx.now());
      const blocked = plan.actions.filter((a) => a.op === 'blocked');
      if (blocked.length) {
        throw new AppError('not_ready', blocked.map((a) => a.reason ?? `${a.name} is blocked.`).join(' '));
      }
      const record = await ctx.engine.applyPlan({
        client,
        plan,
        dir: ctx.workspace.instanceDir(input.id),
        onProgress: progressTo(ctx, input.id),
      });
      await ctx.setState(input.id, statusFromRecord(record));
      return record;
    }),
  );
}

export async function resumeApply(ctx: AppContext, id: string): Promise<ApplyRecord> {
  const instance = await ctx.requireInstance(id);
  return ctx.exclusive(id, 'resuming', () =>
    ctx.withClient(instance, async (client) => {
      const record = await ctx.engine.resumeApply({
        client,
        dir: ctx.workspace.instanceDir(id),
        onProgress: progressTo(ctx, id),
      });
      if (!record)
        throw new AppError('not_found', 'There is no interrupted apply to resume on this instance.');
      await ctx.setState(id, statusFromRecord(record));
      return record;
    }),
  );
}

/** Progress events carry the instance id the renderer knows, whatever the engine put there. */
export function progressTo(ctx: AppContext, instanceId: string): (progress: ApplyProgress) => void {
  return (progress) => ctx.emit('app:apply:progress', { ...progress, instanceId });
}

function formsError(messages: string[]): AppError {
  return new AppError('invalid_input', `The forms have problems: ${messages.join(' ')}`);
}
