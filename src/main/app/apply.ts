// Apply and resume: the engine writes; this module re-discovers first (a plan is never applied to a stale
// snapshot), forwards progress events to the window, and records the outcome in the instance status. An
// instance that does not answer gets the apply queued (offline queue) and the answer code `queued`.
import type { ApplyProgress, ApplyRecord } from '../../shared/domain/apply';
import { formatIssue, validateDesiredState, type DesiredState } from '../../shared/domain/desired-state';
import type { QueuedDetails } from '../../shared/ipc/contract';
import type { ServiceNowFailure } from '../../shared/servicenow/errors';
import { AppError, serviceNowFailureOf } from '../ipc/errors';
import { queuedMessage } from './answered';
import type { AppContext } from './context';
import { UNREACHABLE } from './fleet-client';
import type { FormsInput } from './plan';
import type { InstanceRecord } from './ports';
import { keepDiscovery, statusFromRecord } from './status';

export async function runApply(ctx: AppContext, input: FormsInput): Promise<ApplyRecord> {
  const instance = await ctx.requireInstance(input.id);
  const validated = validateDesiredState({ main: input.main, clientCred: input.clientCred });
  const formErrors = validated.issues.filter((i) => i.severity === 'error');
  if (!validated.desired || formErrors.length) throw formsError(formErrors.map(formatIssue));
  const desired = validated.desired;
  try {
    return await ctx.exclusive(input.id, 'applying', () =>
      ctx.withClient(instance, async (client) => {
        await supersedeQueued(ctx, instance);
        const outcome = await ctx.engine.discover(client, desired);
        const discoveredAt = await keepDiscovery(ctx, input.id, outcome);
        if (!outcome.ok) throw new AppError('not_ready', outcome.message);
        await ctx.setState(input.id, { lastDiscoveredAt: discoveredAt });
        const issues = ctx.engine.checkAgainstSnapshot(desired, outcome.snapshot);
        const errors = issues.filter((i) => i.severity === 'error');
        if (errors.length) throw formsError(errors.map(formatIssue));

        const plan = ctx.engine.buildPlan(outcome.snapshot, desired, ctx.now());
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
  } catch (error) {
    const failure = serviceNowFailureOf(error);
    if (!failure || !UNREACHABLE.has(failure.code)) throw error;
    throw await queueApply(ctx, instance, desired, failure);
  }
}

/** A waiting queued apply would later overwrite this one with older forms: this one replaces it. */
export async function supersedeQueued(ctx: AppContext, instance: InstanceRecord): Promise<void> {
  const { running } = await ctx.queue.supersede(instance.id);
  if (running) {
    throw new AppError(
      'busy',
      `An apply from the offline queue is running on ${instance.name}; wait until it finishes.`,
    );
  }
}

/**
 * The instance did not answer (offline, hibernating, timing out): the apply waits in the offline queue and
 * runs when it answers. The caller gets a distinct `queued` answer, not a failure to retry by hand.
 */
async function queueApply(
  ctx: AppContext,
  instance: InstanceRecord,
  desired: DesiredState,
  failure: ServiceNowFailure,
): Promise<AppError> {
  const entry = await ctx.queue.enqueue(instance.id, desired, failure.code);
  const message = queuedMessage(instance.name, failure.code);
  await ctx.setState(instance.id, { statusMessage: message });
  ctx.logger.info('Apply queued', { instanceId: instance.id, reason: failure.code, entryId: entry.id });
  const details: QueuedDetails = { queueEntryId: entry.id, reason: failure.code };
  return new AppError('queued', message, details);
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
