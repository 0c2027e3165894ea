// One instance, start to finish: finish an interrupted apply, discover, plan, apply when there is
// anything to write. Never throws: every way it can end is an outcome the fleet can list and retry.
import type { ApplyProgress, ApplyRecord } from '../../shared/domain/apply';
import type { DesiredState } from '../../shared/domain/desired-state';
import { hasWrites, isBlocked, planSummary, type Plan, type PlanOp } from '../../shared/domain/plan';
import type { NotReadyReason } from '../../shared/domain/snapshot';
import type { ServiceNowErrorCode } from '../../shared/servicenow/errors';
import { isServiceNowError, type ServiceNowClient } from '../servicenow';
import type { Workspace } from '../workspace';
import type { FleetEngine } from './engine-port';
import { realEngine } from './engine-real';
import { isUnreachableError } from './reachability';

export interface FleetTarget {
  instanceId: string;
  client: ServiceNowClient;
  desired: DesiredState;
  /** The instance's folder (workspace.instanceDir(id)), where the engine keeps journals and records. */
  dir: string;
}

export type FleetPhase = 'waiting' | 'resuming' | 'discovering' | 'planning' | 'applying' | 'done' | 'failed';

export interface FleetProgress {
  instanceId: string;
  phase: FleetPhase;
  /** Steps of the current apply: step of total (0 of 0 outside an apply). */
  step: number;
  total: number;
  message: string;
}

export type OutcomeStatus =
  | 'provisioned' // the apply wrote and verified everything
  | 'unchanged' // already as desired: nothing to write
  | 'not_ready' // discovery found the instance cannot be provisioned (spoke missing, no admin, …)
  | 'blocked' // the plan has blocked actions: nothing was written
  | 'unreachable' // hibernating, offline or timing out: worth queueing
  | 'failed' // an error the consultant must look at
  | 'cancelled';

export interface InstanceOutcome {
  instanceId: string;
  status: OutcomeStatus;
  ok: boolean;
  /** The error code when it failed (ServiceNow codes, `apply_failed`, `internal`). */
  code: ServiceNowErrorCode | NotReadyReason | 'apply_failed' | 'internal' | null;
  message: string;
  plan: Plan | null;
  counts: Record<PlanOp, number> | null;
  record: ApplyRecord | null;
  /** An interrupted apply finished before this run, if there was one. */
  resumed: ApplyRecord | null;
}

export interface ProvisionContext {
  engine?: FleetEngine;
  now: () => Date;
  signal?: AbortSignal;
  workspace?: Workspace;
  onProgress?: (progress: FleetProgress) => void;
}

export async function provisionInstance(
  target: FleetTarget,
  ctx: ProvisionContext,
): Promise<InstanceOutcome> {
  const { instanceId, client, desired, dir } = target;
  const report = (phase: FleetPhase, message: string, step = 0, total = 0) =>
    ctx.onProgress?.({ instanceId, phase, step, total, message });
  const applyProgress = (p: Omit<ApplyProgress, 'instanceId'>) =>
    report('applying', p.message, p.step, p.total);
  const base = { instanceId, plan: null, counts: null, record: null, resumed: null } as const;
  let resumed: ApplyRecord | null = null;
  let plan: Plan | null = null;

  // The snapshot and plan are stored while the instance is being written to, not before: they are a
  // record for the consultant, while the engine's journal (which holds the plan) is what crash safety
  // rests on. Keeping local disk writes off the network path is what lets a fleet run approach its ideal.
  const saves: Promise<void>[] = [];
  const saveProblems: string[] = [];
  const save = (what: string, write: Promise<void>) =>
    saves.push(
      write.catch((error: unknown) => void saveProblems.push(`${what}: ${(error as Error).message}`)),
    );
  const finish = async (result: InstanceOutcome): Promise<InstanceOutcome> => {
    await Promise.all(saves);
    const outcome = saveProblems.length
      ? { ...result, message: `${result.message} (not stored locally: ${saveProblems.join('; ')})` }
      : result;
    await recordStatus(ctx.workspace, outcome).catch(() => undefined);
    report(outcome.ok ? 'done' : 'failed', outcome.message);
    return outcome;
  };

  const engine = ctx.engine ?? realEngine;
  try {
    if (ctx.signal?.aborted)
      return await finish({
        ...base,
        status: 'cancelled',
        ok: false,
        code: null,
        message: 'Cancelled before it started.',
      });
    report('resuming', 'Checking for an interrupted apply');
    resumed = await engine.resumeApply({ client, dir, onProgress: applyProgress });

    report('discovering', 'Reading the instance');
    const discovered = await engine.discover(client, desired);
    if (discovered.snapshot && ctx.workspace)
      save('snapshot', ctx.workspace.snapshots.save(instanceId, discovered.snapshot));
    if (!discovered.ok) {
      return await finish({
        ...base,
        resumed,
        status: 'not_ready',
        ok: false,
        code: discovered.reason,
        message: discovered.message,
      });
    }

    report('planning', 'Comparing with the desired state');
    plan = engine.buildPlan(discovered.snapshot, desired, ctx.now());
    if (ctx.workspace) save('plan', ctx.workspace.plans.save(instanceId, plan));
    const counts = planSummary(plan);
    if (isBlocked(plan)) {
      const reasons = plan.actions
        .filter((a) => a.op === 'blocked')
        .map((a) => `${a.name}: ${a.reason ?? 'blocked'}`);
      return await finish({
        ...base,
        resumed,
        plan,
        counts,
        status: 'blocked',
        ok: false,
        code: null,
        message: reasons.join('; '),
      });
    }
    if (!hasWrites(plan)) {
      return await finish({
        ...base,
        resumed,
        plan,
        counts,
        status: 'unchanged',
        ok: true,
        code: null,
        message: 'Already as desired.',
      });
    }
    if (ctx.signal?.aborted) {
      return await finish({
        ...base,
        resumed,
        plan,
        counts,
        status: 'cancelled',
        ok: false,
        code: null,
        message: 'Cancelled before writing.',
      });
    }

    report('applying', 'Writing', 0, plan.actions.length);
    const record = await engine.applyPlan({ client, plan, dir, onProgress: applyProgress });
    if (record.status !== 'succeeded') {
      const failedStep = record.steps.find((s) => s.status === 'failed');
      return await finish({
        ...base,
        resumed,
        plan,
        counts,
        record,
        status: failedStep?.error && isUnreachableCode(failedStep.error.code) ? 'unreachable' : 'failed',
        ok: false,
        code: failedStep?.error?.code ?? 'apply_failed',
        message: failedStep?.error?.message ?? 'The apply did not finish.',
      });
    }
    return await finish({
      ...base,
      resumed,
      plan,
      counts,
      record,
      status: 'provisioned',
      ok: true,
      code: null,
      message: 'Provisioned and verified.',
    });
  } catch (error) {
    const counts = plan ? planSummary(plan) : null;
    if (isServiceNowError(error)) {
      const status: OutcomeStatus = error.cancelled
        ? 'cancelled'
        : isUnreachableError(error)
          ? 'unreachable'
          : 'failed';
      return await finish({
        ...base,
        resumed,
        plan,
        counts,
        status,
        ok: false,
        code: error.failure.code,
        message: error.failure.message,
      });
    }
    return await finish({
      ...base,
      resumed,
      plan,
      counts,
      status: 'failed',
      ok: false,
      code: 'internal',
      // Our own errors carry no secrets (the client never wraps got errors); keep only the message.
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

function isUnreachableCode(code: string): boolean {
  return code === 'hibernating' || code === 'network' || code === 'timeout';
}

async function recordStatus(workspace: Workspace | undefined, outcome: InstanceOutcome): Promise<void> {
  if (!workspace || !workspace.instances.get(outcome.instanceId)) return;
  const status =
    outcome.status === 'provisioned' || outcome.status === 'unchanged'
      ? 'provisioned'
      : outcome.code === 'spoke_missing' || outcome.code === 'alias_missing'
        ? 'spoke_missing'
        : outcome.status === 'cancelled'
          ? null
          : 'failed';
  if (status) await workspace.instances.setStatus(outcome.instanceId, status, outcome.message);
}
