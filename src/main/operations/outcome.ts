// What one operation on one instance ended as. Every front end gets this shape and renders it; the status
// it leaves in the workspace comes from ONE table (status.ts), whoever started it.
import type { ApplyRecord } from '../../shared/domain/apply';
import { isServiceNowError } from '../servicenow';
import { isUnreachableCode } from './rules';
import type { FieldIssue } from '../../shared/domain/desired-state';
import type { Plan, PlanOp } from '../../shared/domain/plan';
import type { NotReadyReason } from '../../shared/domain/snapshot';
import type { WalkupFlowStatus } from '../../shared/domain/walkup-status';
import type { ServiceNowErrorCode } from '../../shared/servicenow/errors';
import type { FleetProgressEvent } from '../../shared/ipc/contract';

export type OutcomeStatus =
  | 'provisioned' // the apply wrote and verified everything
  | 'unchanged' // already as desired: nothing to write
  | 'not_ready' // discovery found the instance cannot be provisioned (spoke missing, no admin, …)
  | 'blocked' // the plan has blocked actions, or the forms do not fit the instance: nothing was written
  | 'unreachable' // hibernating, offline or timing out: worth queueing
  | 'failed' // an error the consultant must look at
  | 'busy' // another operation holds the instance (this or another process): nothing was sent
  | 'cancelled'; // stopped before writing (signal, or the review was declined)

export type OutcomeCode =
  | ServiceNowErrorCode
  | NotReadyReason
  | 'invalid_input'
  /** The Entra check (a token request to the customer's tenant) failed: nothing was written. */
  | 'entra_check_failed'
  | 'resume_failed'
  | 'apply_failed'
  | 'busy'
  | 'internal';

export interface ApplyOutcome {
  instanceId: string;
  status: OutcomeStatus;
  ok: boolean;
  code: OutcomeCode | null;
  message: string;
  plan: Plan | null;
  counts: Record<PlanOp, number> | null;
  record: ApplyRecord | null;
  /** An interrupted apply this run finished first, if there was one. */
  resumed: ApplyRecord | null;
  /** Instance-aware checks of the desired state (warnings, and the errors that blocked it). */
  issues: FieldIssue[];
  /** For `busy`: who holds the instance (pid, host, what, since). */
  holder?: unknown;
  /** After an apply that wrote or verified: the two Walk-up flows, read (never written) afresh. */
  walkup?: { flows: WalkupFlowStatus[] };
}

/** Progress of one instance's operation, as the app's fleet view and the CLI's live display show it. */
export type OperationProgress = FleetProgressEvent;
export type ProgressSink = (progress: OperationProgress) => void;

/** A finished record as an outcome: verified, lost the instance mid-way, or failed. */
export function recordOutcome(record: ApplyRecord): Pick<ApplyOutcome, 'status' | 'ok' | 'code' | 'message'> {
  if (record.status === 'succeeded')
    return { status: 'provisioned', ok: true, code: null, message: 'Provisioned and verified.' };
  const failed = record.steps.find((s) => s.status === 'failed')?.error;
  return {
    status: failed && isUnreachableCode(failed.code) ? 'unreachable' : 'failed',
    ok: false,
    code: failed?.code ?? 'apply_failed',
    message: failed?.message ?? `The ${record.kind} did not finish.`,
  };
}

/** A thrown error as an outcome: the client's plain-words failures, or our own message. */
export function errorOutcome(error: unknown): Pick<ApplyOutcome, 'status' | 'ok' | 'code' | 'message'> {
  if (isServiceNowError(error)) {
    const status = error.cancelled
      ? 'cancelled'
      : isUnreachableCode(error.failure.code)
        ? 'unreachable'
        : 'failed';
    return { status, ok: false, code: error.failure.code, message: error.failure.message };
  }
  // Our own errors carry no secrets (the client never wraps got errors); keep only the message.
  return {
    status: 'failed',
    ok: false,
    code: 'internal',
    message: error instanceof Error ? error.message : String(error),
  };
}
