// Apply and resume: the entry points the CLI, the desktop app and the fleet runner call. The machinery is
// in run.ts; this file opens the journal, refuses to start over an unfinished apply, and picks up one.
import type { ApplyRecord } from '../../shared/domain/apply';
import type { DesiredState } from '../../shared/domain/desired-state';
import type { Plan } from '../../shared/domain/plan';
import { createApplyStore } from './apply-store';
import type { EngineClient } from './client';
import { openJournal } from './journal';
import { newApplyId, runPlan, type ProgressListener, type RegistrySecret, type RetryOptions } from './run';

export interface ApplyOptions {
  client: EngineClient;
  plan: Plan;
  /** The instance's folder: journals and apply records live under it. */
  dir: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  now?: () => Date;
  retry?: RetryOptions;
  /**
   * The plan's snapshot was discovered by this process in this run while it holds the instance's lock:
   * the pre-write re-read is skipped and the before-state comes from the plan (see RunInput.freshPlan).
   * Default false.
   */
  freshPlan?: boolean;
  /** The Entra client secret for registry writes, read at send time (RunInput.registrySecret). */
  registrySecret?: RegistrySecret;
}

/** Thrown when an earlier apply on the instance did not finish: it must be resumed first. */
export class UnfinishedApplyError extends Error {
  override readonly name = 'UnfinishedApplyError';
  constructor(readonly applyId: string) {
    super(
      `An earlier apply on this instance (${applyId}) did not finish. Resume it first, so that whatever it ` +
        'may have written is settled and nothing is sent twice.',
    );
  }
}

export async function applyPlan(options: ApplyOptions): Promise<ApplyRecord> {
  return startRun({ ...options, kind: 'apply' });
}

export async function startRun(
  options: ApplyOptions & { kind: ApplyRecord['kind']; rollbackOf?: string },
): Promise<ApplyRecord> {
  const now = options.now ?? (() => new Date());
  const store = createApplyStore(options.dir);
  const pending = await store.unfinished();
  if (pending) throw new UnfinishedApplyError(pending.applyId);
  const startedAt = now();
  const applyId = newApplyId(startedAt);
  const journal = await openJournal(options.dir, applyId);
  try {
    // Held, not fsynced on its own: it goes to disk with the first intent, before anything is sent
    // (a journal cut before its first line has nothing to resume: ApplyStore.unfinished skips it).
    journal.hold({
      t: 'start',
      applyId,
      kind: options.kind,
      instanceUrl: options.plan.instanceUrl,
      startedAt: startedAt.toISOString(),
      plan: options.plan,
      ...(options.rollbackOf ? { rollbackOf: options.rollbackOf } : {}),
    });
    return await runPlan({
      client: options.client,
      store,
      journal,
      plan: options.plan,
      applyId,
      kind: options.kind,
      startedAt: startedAt.toISOString(),
      resumed: null,
      now,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.freshPlan ? { freshPlan: true } : {}),
      ...(options.registrySecret ? { registrySecret: options.registrySecret } : {}),
    });
  } finally {
    await journal.close();
  }
}

export interface ResumeOptions {
  client: EngineClient;
  dir: string;
  /**
   * Accepted for symmetry with apply; the resumed apply keeps the plan it started with (its journal holds
   * it), so the desired state is not needed to finish it.
   */
  desired?: DesiredState;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  now?: () => Date;
  retry?: RetryOptions;
  /**
   * Also take up the latest apply when it finished as failed (the user's explicit Resume). Off for the
   * automatic resume-before-apply, which must not re-run an old plan the user may have replaced.
   */
  reopenFailed?: boolean;
  /** The Entra client secret, read again from the keychain for a registry write still to send. */
  registrySecret?: RegistrySecret;
}

/**
 * Finishes the unfinished apply (or rollback) of an instance, if there is one — or, with `reopenFailed`,
 * when the latest one finished as failed (e.g. a 403 that has since been fixed), takes it up again: re-reads every record it
 * touches, settles writes that were in flight by name or sys_id, runs the remaining steps, verifies and
 * stores the record under the same apply id, with the ORIGINAL before-state from the journal.
 */
export async function resumeApply(options: ResumeOptions): Promise<ApplyRecord | null> {
  const now = options.now ?? (() => new Date());
  const store = createApplyStore(options.dir);
  const unfinished = await store.unfinished();
  const failed = unfinished || !options.reopenFailed ? null : await store.latestFailed();
  const pending = unfinished ?? failed;
  if (!pending?.state.start) return null;
  if (failed) {
    // Steps proved not written are sent again only after the run's re-read shows they are still missing.
    const reopen = await openJournal(options.dir, failed.applyId);
    try {
      await reopen.append({ t: 'reopened', at: now().toISOString() });
    } finally {
      await reopen.close();
    }
  }
  const start = pending.state.start;
  const plan = start.plan as Plan;
  if (!plan || !Array.isArray(plan.actions)) {
    throw new Error(`The journal of apply ${pending.applyId} holds no usable plan; it cannot be resumed.`);
  }
  const journal = await openJournal(options.dir, pending.applyId);
  try {
    return await runPlan({
      client: options.client,
      store,
      journal,
      plan,
      applyId: pending.applyId,
      kind: start.kind,
      startedAt: start.startedAt,
      resumed: pending.state,
      now,
      notes: pending.problems,
      ...(options.registrySecret ? { registrySecret: options.registrySecret } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
    });
  } finally {
    await journal.close();
  }
}
