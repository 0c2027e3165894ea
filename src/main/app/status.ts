// The instance status shown in the list, derived from what the last discovery or apply found.
import type { ApplyRecord } from '../../shared/domain/apply';
import type { Plan } from '../../shared/domain/plan';
import type { NotReadyReason } from '../../shared/domain/snapshot';
import type { AppContext } from './context';
import type { DiscoverOutcome, InstanceState } from './ports';

type StatusPatch = Pick<InstanceState, 'status' | 'statusMessage'>;

export function statusFromPlan(plan: Plan): StatusPatch {
  const blocked = plan.actions.filter((a) => a.op === 'blocked');
  if (blocked.length) {
    return {
      status: 'drift',
      statusMessage: blocked.map((a) => a.reason ?? `${a.name} is blocked.`).join(' '),
    };
  }
  const writes = plan.actions.filter((a) => a.op !== 'noop');
  if (writes.length === 0) return { status: 'provisioned', statusMessage: null };
  // Records exist but differ from the desired state: that is drift. Only creations: the spoke is ready.
  if (writes.some((a) => a.op !== 'create')) {
    return { status: 'drift', statusMessage: `${writes.length} record(s) differ from the desired state.` };
  }
  return { status: 'ready', statusMessage: null };
}

export function statusFromNotReady(reason: NotReadyReason, message: string): StatusPatch {
  return { status: reason === 'spoke_missing' ? 'spoke_missing' : 'failed', statusMessage: message };
}

export function statusFromRecord(record: ApplyRecord): StatusPatch {
  if (record.status === 'succeeded') {
    return record.kind === 'apply'
      ? { status: 'provisioned', statusMessage: null }
      : { status: 'ready', statusMessage: 'Rolled back.' };
  }
  const failed = record.steps.find((s) => s.status === 'failed');
  return {
    status: 'failed',
    statusMessage: failed?.error?.message ?? `The ${record.kind} did not finish.`,
  };
}

/**
 * Keeps what a discovery read, wherever it ran (discover, fleet plan, apply): the snapshot, and for an
 * instance that cannot be provisioned its not-ready status and the time. A ready instance's status comes
 * from the caller's plan, set with the returned discovery time.
 */
export async function keepDiscovery(ctx: AppContext, id: string, outcome: DiscoverOutcome): Promise<string> {
  const discoveredAt = outcome.snapshot?.discoveredAt ?? ctx.now().toISOString();
  if (outcome.snapshot) await ctx.workspace.saveSnapshot(id, outcome.snapshot);
  if (!outcome.ok) {
    await ctx.setState(id, {
      ...statusFromNotReady(outcome.reason, outcome.message),
      lastDiscoveredAt: discoveredAt,
    });
  }
  return discoveredAt;
}
