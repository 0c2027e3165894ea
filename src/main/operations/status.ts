// The status an instance is left with, from what the last discovery, plan or operation found: ONE table,
// used by the app, the CLI, the fleet runner and the offline queue alike (issue 8: an alias_missing
// discovery used to leave "failed" in the app and "spoke_missing" in a fleet run).
import type { ApplyRecord } from '../../shared/domain/apply';
import type { Plan } from '../../shared/domain/plan';
import type { NotReadyReason } from '../../shared/domain/snapshot';
import type { InstanceStatus } from '../../shared/ipc/contract';
import type { ApplyOutcome } from './outcome';

export interface StatusPatch {
  status: InstanceStatus;
  statusMessage: string | null;
}

/** After a discovery that found the instance ready: what the plan says about it. */
export function statusFromPlan(plan: Plan): StatusPatch {
  const blocked = plan.actions.filter((a) => a.op === 'blocked');
  if (blocked.length) return { status: 'drift', statusMessage: blockedReasons(plan) };
  const writes = plan.actions.filter((a) => a.op !== 'noop');
  if (writes.length === 0) return { status: 'provisioned', statusMessage: null };
  // Records exist but differ from the desired state: that is drift. Only creations: the spoke is ready.
  if (writes.some((a) => a.op !== 'create')) {
    return { status: 'drift', statusMessage: `${writes.length} record(s) differ from the desired state.` };
  }
  return { status: 'ready', statusMessage: null };
}

/** The alias ships with the spoke: without either, the spoke is (partly) missing. Others are failures. */
export function statusFromNotReady(reason: NotReadyReason, message: string): StatusPatch {
  const spoke = reason === 'spoke_missing' || reason === 'alias_missing';
  return { status: spoke ? 'spoke_missing' : 'failed', statusMessage: message };
}

export function statusFromRecord(record: ApplyRecord): StatusPatch {
  if (record.status === 'succeeded') {
    return record.kind === 'apply'
      ? { status: 'provisioned', statusMessage: null }
      : { status: 'ready', statusMessage: 'Rolled back.' };
  }
  const failed = record.steps.find((s) => s.status === 'failed');
  return { status: 'failed', statusMessage: failed?.error?.message ?? `The ${record.kind} did not finish.` };
}

/**
 * The table: each outcome of an apply and the status it leaves. null = the status stays as it was (the
 * instance did not answer, or nothing was tried): an unreachable instance is as it was, with its message.
 */
export function statusFromOutcome(outcome: ApplyOutcome): StatusPatch | { statusMessage: string } | null {
  switch (outcome.status) {
    case 'provisioned':
    case 'unchanged':
      return { status: 'provisioned', statusMessage: null };
    case 'not_ready':
      return statusFromNotReady(outcome.code as NotReadyReason, outcome.message);
    case 'blocked':
      // Forms that do not fit the instance, or an Entra app that failed its check, say nothing new about
      // the instance: its status stays.
      return outcome.code === 'invalid_input' || outcome.code === 'entra_check_failed'
        ? null
        : { status: 'drift', statusMessage: outcome.message };
    case 'failed':
      return { status: 'failed', statusMessage: outcome.message };
    case 'unreachable':
      return { statusMessage: outcome.message };
    case 'busy':
    case 'cancelled':
      return null;
  }
}

export function blockedReasons(plan: Plan): string {
  return plan.actions
    .filter((a) => a.op === 'blocked')
    .map((a) => a.reason ?? `${a.name} is blocked.`)
    .join(' ');
}
