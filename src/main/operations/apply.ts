// Apply, written once for every front end: under the instance's lock, finish an apply a dead process left
// unfinished → discover afresh → check the forms against the instance → plan → blocked? → the caller's
// review (the CLI's y/N prompt) → write → verify, and leave the snapshot, plan and status in the
// workspace. Never throws for what happens on the instance: every end is an outcome to render.
import type { ApplyRecord } from '../../shared/domain/apply';
import { formatIssue, type DesiredState, type FieldIssue } from '../../shared/domain/desired-state';
import {
  hasWrites,
  isBlocked,
  planSummary,
  type EntraCheckSummary,
  type Plan,
} from '../../shared/domain/plan';
import { buildPlan } from '../../shared/domain/planner';
import { checkAgainstSnapshot } from '../../shared/domain/instance-checks';
import { createApplyStore } from '../engine/apply-store';
import type { EngineClient } from '../engine/client';
import type { ProgressListener } from '../engine/run';
import { loadWritePath, warmWritePath } from './write-path';
import { walkupFlowStatus } from '../../shared/domain/walkup-status';
import type { SecretStore } from '../secrets/secret-store';
import type { Workspace } from '../workspace';
import { keepPlan, keepSnapshot, keepStatus } from './bookkeeping';
import { discoverFresh } from './discover';
import { checkEntra, entraInputs, registrySecretFor, type EntraCheckRequest } from './entra';
import { OperationError } from './errors';
import { withInstanceLock, type LockOptions } from './lock';
import { errorOutcome, recordOutcome, type ApplyOutcome, type ProgressSink } from './outcome';
import { blockedReasons, statusFromOutcome } from './status';

export interface InstanceRun {
  workspace: Workspace;
  instanceId: string;
  client: EngineClient;
  now?: () => Date;
  signal?: AbortSignal;
  /** Phase-level progress (the fleet's bars, the CLI's live display). */
  onProgress?: ProgressSink;
  /** Step-level progress of the engine's writes (the app's apply view, the CLI's single apply). */
  onApplyProgress?: ProgressListener;
  lock?: LockOptions;
  /**
   * The keychain: the Entra client secret is read from it when the desired state has an Entra app (plan,
   * apply, resume), and the fingerprint of what was written is kept in it.
   */
  secrets?: SecretStore;
}

export interface ApplyRequest extends InstanceRun {
  desired: DesiredState;
  /** Who the client signs in as, when known (saves discovery a read). */
  userName?: string;
  /** Told before an interrupted apply is finished first, and with its record once it is. */
  onResuming?: (applyId: string) => void;
  onResumed?: (record: ApplyRecord) => void;
  /** Shown the plan before anything is written; false stops the apply (`cancelled`). */
  review?: (plan: Plan, issues: FieldIssue[]) => Promise<boolean>;
  /** What the lock says this process is doing (default "apply"). */
  what?: string;
  /**
   * Hand a plan with nothing to write to the engine too, for a verified record of "nothing to change":
   * the app's Apply answers with a record (the IPC contract's ApplyRecord). The CLI and fleet say
   * "up to date" without one.
   */
  recordUnchanged?: boolean;
  /**
   * Where the Entra app is checked before anything is written (default login.microsoftonline.com);
   * `false`: the person declined the check, and the plan says so.
   */
  entraCheck?: EntraCheckRequest;
}

export async function applyInstance(request: ApplyRequest): Promise<ApplyOutcome> {
  const { workspace, instanceId } = request;
  const base: ApplyOutcome = {
    instanceId,
    status: 'failed',
    ok: false,
    code: null,
    message: '',
    plan: null,
    counts: null,
    record: null,
    resumed: null,
    issues: [],
  };
  if (request.signal?.aborted)
    return finish(request, { ...base, status: 'cancelled', message: 'Cancelled before it started.' });
  try {
    return await withInstanceLock(
      workspace.instanceDir(instanceId),
      request.what ?? 'apply',
      () => applyLocked(request, base),
      request.lock,
    );
  } catch (error) {
    if (error instanceof OperationError && error.code === 'busy') {
      return finish(request, {
        ...base,
        status: 'busy',
        code: 'busy',
        message: error.message,
        holder: error.details,
      });
    }
    throw error;
  }
}

async function applyLocked(request: ApplyRequest, base: ApplyOutcome): Promise<ApplyOutcome> {
  const { workspace, instanceId, client, desired } = request;
  const now = request.now ?? (() => new Date());
  const dir = workspace.instanceDir(instanceId);
  const report = (
    phase: 'resuming' | 'discovering' | 'planning' | 'applying',
    message: string,
    step = 0,
    total = 0,
  ) => request.onProgress?.({ instanceId, phase, step, total, message });
  const applyProgress: ProgressListener = (p) => {
    request.onApplyProgress?.(p);
    report('applying', p.message, p.step, p.total);
  };
  // Local files are written beside the network calls, not before them; all are awaited before the end.
  const saves: Promise<void>[] = [];
  let outcome = base;
  let check: EntraCheckSummary | undefined;
  let checking: Promise<unknown> | undefined;
  try {
    // Holding the lock, an unfinished journal can only be a dead process's: finish it, exactly once.
    const pending = await createApplyStore(dir).unfinished();
    if (pending) {
      request.onResuming?.(pending.applyId);
      report('resuming', `Finishing the interrupted apply ${pending.applyId}`);
      const registrySecret = registrySecretFor(request.secrets, instanceId);
      let resumed: ApplyRecord | null;
      try {
        const { resumeApply } = await loadWritePath();
        resumed = await resumeApply({
          client,
          dir,
          onProgress: applyProgress,
          ...(registrySecret ? { registrySecret } : {}),
        });
      } catch (error) {
        // Stopped by an error rather than with a record (a refused re-read, an instance that stopped
        // answering): the cause keeps its status and code (an unreachable instance is worth queueing), and
        // the message says which apply is still unfinished.
        const failed = errorOutcome(error);
        const message = resumeFailedMessage(pending.applyId, failed.message);
        return await finish(request, { ...outcome, ...failed, message }, saves);
      }
      outcome = { ...outcome, resumed };
      if (resumed) request.onResumed?.(resumed);
      if (resumed && resumed.status !== 'succeeded') {
        const error = resumed.steps.find((s) => s.error)?.error?.message;
        return await finish(
          request,
          {
            ...outcome,
            status: 'failed',
            code: 'resume_failed',
            message: resumeFailedMessage(resumed.applyId, error),
          },
          saves,
        );
      }
    }

    // The Entra check asks the customer's tenant, not the instance: it runs while discovery reads.
    const entra = desired.entra ? await entraInputs(request.secrets, instanceId) : null;
    if (desired.entra && entra)
      checking = checkEntra(desired.entra, entra.secret, request.entraCheck).then((c) => (check = c));
    report('discovering', 'Reading the instance');
    const discovered = await warmWritePath(discoverFresh(client, desired, request.userName));
    if (discovered.snapshot) saves.push(keepSnapshot(workspace, instanceId, discovered.snapshot));
    if (!discovered.ok) {
      return await finish(
        request,
        { ...outcome, status: 'not_ready', code: discovered.reason, message: discovered.message },
        saves,
      );
    }

    report('planning', 'Comparing with the desired state');
    const issues = checkAgainstSnapshot(desired, discovered.snapshot);
    // The Walk-up flows were read (read only) in discovery's batch; an apply never writes them, so that
    // read is their state after the apply too (docs/servicenow.md §8).
    outcome = { ...outcome, issues, walkup: { flows: walkupFlowStatus(discovered.snapshot) } };
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length) {
      return await finish(
        request,
        {
          ...outcome,
          status: 'blocked',
          code: 'invalid_input',
          message: `The forms have problems: ${errors.map(formatIssue).join(' ')}`,
        },
        saves,
      );
    }
    await checking;
    const plan: Plan = {
      ...buildPlan(discovered.snapshot, desired, now(), entra ? { entraSecret: entra.state } : {}),
      ...(check ? { entraCheck: check } : {}),
    };
    saves.push(keepPlan(workspace, instanceId, plan));
    outcome = { ...outcome, plan, counts: planSummary(plan) };
    // Before the review and before any write: a failed check writes nothing (issue 10 §4).
    if (check?.status === 'failed')
      return await finish(
        request,
        {
          ...outcome,
          status: 'blocked',
          code: 'entra_check_failed',
          message: `The Entra app failed its check: ${check.message} Nothing was written.`,
        },
        saves,
      );
    if (isBlocked(plan))
      return await finish(request, { ...outcome, status: 'blocked', message: blockedReasons(plan) }, saves);
    if (!hasWrites(plan) && !request.recordUnchanged)
      return await finish(
        request,
        { ...outcome, status: 'unchanged', ok: true, message: 'Already as desired.' },
        saves,
      );
    if (request.signal?.aborted)
      return await finish(
        request,
        { ...outcome, status: 'cancelled', message: 'Cancelled before writing.' },
        saves,
      );
    if (request.review && hasWrites(plan) && !(await request.review(plan, issues))) {
      return await finish(
        request,
        { ...outcome, status: 'cancelled', message: 'Cancelled: nothing was changed.' },
        saves,
      );
    }

    report('applying', 'Writing', 0, plan.actions.length);
    // This plan's snapshot was discovered by this process, in this run, while it holds the instance lock:
    // no other Spokesmith can have written since, so the engine skips its pre-write re-read (issue 11).
    const registrySecret = registrySecretFor(request.secrets, instanceId);
    const { applyPlan } = await loadWritePath();
    const record = await applyPlan({
      client,
      plan,
      dir,
      freshPlan: true,
      ...(registrySecret ? { registrySecret } : {}),
      onProgress: applyProgress,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const written = recordOutcome(record);
    const unchanged = written.ok && !hasWrites(plan);
    return await finish(
      request,
      {
        ...outcome,
        record,
        ...written,
        ...(unchanged ? { status: 'unchanged', message: 'Already as desired.' } : {}),
      },
      saves,
    );
  } catch (error) {
    return finish(request, { ...outcome, ...errorOutcome(error) }, saves);
  } finally {
    // Never leave the token request running past the operation (it never rejects).
    await checking;
  }
}

/** An interrupted apply that could not be finished: nothing of this run's own was planned or sent. */
function resumeFailedMessage(applyId: string, cause: string | undefined): string {
  return `The interrupted apply ${applyId} could not be finished${cause ? `: ${cause}` : '.'} Nothing new was planned or sent.`;
}

/** Waits for the local saves, records the status the outcome leaves (status.ts), reports the end. */
async function finish(
  request: InstanceRun,
  result: ApplyOutcome,
  saves: Promise<void>[] = [],
): Promise<ApplyOutcome> {
  const problems: string[] = [];
  await Promise.all(
    saves.map((s, i) =>
      s.catch(
        (error: unknown) => void problems.push(`${i ? 'plan' : 'snapshot'}: ${(error as Error).message}`),
      ),
    ),
  );
  const outcome = problems.length
    ? { ...result, message: `${result.message} (not stored locally: ${problems.join('; ')})` }
    : result;
  await keepStatus(request.workspace, request.instanceId, statusFromOutcome(outcome)).catch(() => undefined);
  request.onProgress?.({
    instanceId: request.instanceId,
    phase: outcome.ok ? 'done' : 'failed',
    step: 0,
    total: 0,
    message: outcome.message,
  });
  return outcome;
}
