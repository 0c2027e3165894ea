// Apply and resume in the window: validate the forms, then the operations layer does the rest under the
// instance lock (resume → discover → check → plan → write → verify, status kept). This turns its outcome
// into the IPC answer: the record, or an AppError in plain words; an instance that does not answer gets
// the apply queued (offline queue) and the answer code `queued`.
import type { ApplyProgress, ApplyRecord } from '../../shared/domain/apply';
import { formatIssue, validateDesiredState } from '../../shared/domain/desired-state';
import type { QueuedDetails } from '../../shared/ipc/contract';
import { SERVICENOW_ERROR_CODES, type ServiceNowErrorCode } from '../../shared/servicenow/errors';
import { queueUnreachable } from '../fleet';
import { AppError } from '../ipc/errors';
import {
  applyInstance,
  isUnreachableCode,
  resumeInstance,
  type ApplyOutcome,
  type InstanceRun,
} from '../operations';
import { reportAnswered, reportUnreachable } from './answered';
import type { AppContext } from './context';
import { entraCheckFor } from './entra';
import { desiredInput, type FormsInput } from './plan';
import type { InstanceRecord } from '../workspace';

export async function runApply(ctx: AppContext, input: FormsInput): Promise<ApplyRecord> {
  const instance = await ctx.requireInstance(input.id);
  const validated = validateDesiredState(desiredInput(input), ctx.now());
  const formErrors = validated.issues.filter((i) => i.severity === 'error');
  if (!validated.desired || formErrors.length) {
    throw new AppError('invalid_input', `The forms have problems: ${formErrors.map(formatIssue).join(' ')}`);
  }
  const desired = validated.desired;
  await supersedeQueued(ctx, instance);
  // The Entra app is checked before anything is written (operations/apply.ts); the app never declines it.
  const check = await entraCheckFor(ctx, instance, desired);
  const outcome = await ctx.withClient(instance, (client) =>
    applyInstance({
      ...run(ctx, instance, client),
      desired,
      recordUnchanged: true,
      ...check,
    }),
  );
  if (outcome.status === 'unreachable') {
    reportUnreachable(
      ctx,
      instance.id,
      isUnreachableCode(outcome.code) ? outcome.code : 'network',
      outcome.message,
    );
    const { entry, message } = await queueUnreachable(ctx.queue, ctx.workspace(), {
      instanceId: instance.id,
      name: instance.name,
      desired,
      code: outcome.code,
      ...check,
    });
    ctx.logger.info('Apply queued', { instanceId: instance.id, reason: outcome.code, entryId: entry.id });
    const details: QueuedDetails = { queueEntryId: entry.id, reason: outcome.code ?? 'network' };
    throw new AppError('queued', message, details);
  }
  reportAnswered(ctx, instance.id);
  // A record (also a failed one) is shown as it is; the app's history and resume take it from there.
  if (outcome.record && outcome.code !== 'resume_failed') return outcome.record;
  throw outcomeError(outcome);
}

/** An outcome without a record to show, in the app's words. */
export function outcomeError(outcome: ApplyOutcome): Error {
  if (outcome.status === 'busy') return new AppError('busy', outcome.message, outcome.holder ?? undefined);
  if (outcome.status === 'blocked' && outcome.code === 'invalid_input')
    return new AppError('invalid_input', outcome.message);
  if (outcome.code === 'entra_check_failed') {
    // The Entra app's input is at fault; the window puts the verdict under the field it names (details
    // carry no secret: the check's words).
    const check = outcome.plan?.entraCheck;
    return new AppError(
      'entra_check_failed',
      outcome.message,
      check ? { field: check.field ?? null } : undefined,
    );
  }
  if (outcome.code && (SERVICENOW_ERROR_CODES as readonly string[]).includes(outcome.code)) {
    return new AppError(outcome.code as ServiceNowErrorCode, outcome.message);
  }
  // A bug of ours: the router logs it and answers `internal`.
  if (outcome.code === 'internal') return new Error(outcome.message);
  return new AppError('not_ready', outcome.message);
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

export async function resumeApply(ctx: AppContext, id: string): Promise<ApplyRecord> {
  const instance = await ctx.requireInstance(id);
  // The app resumes only when the user presses Resume, so a failed apply is taken up again too.
  const record = await ctx.withClient(instance, (client) =>
    resumeInstance({ ...run(ctx, instance, client), reopenFailed: true }),
  );
  if (!record) throw new AppError('not_found', 'There is no interrupted apply to resume on this instance.');
  return record;
}

/** What every instance operation of the app is run with; progress carries the id the renderer knows. */
export function run(ctx: AppContext, instance: InstanceRecord, client: InstanceRun['client']): InstanceRun {
  return {
    workspace: ctx.workspace(),
    instanceId: instance.id,
    client,
    now: ctx.now,
    // The Entra client secret is read from the keychain at send time (plan, apply, resume, rollback).
    secrets: ctx.secrets.store,
    onApplyProgress: (p) =>
      ctx.emit('app:apply:progress', { ...p, instanceId: instance.id } satisfies ApplyProgress),
  };
}
