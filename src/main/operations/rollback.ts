// Rollback: the plan that undoes the latest apply, made from what the instance holds NOW (a fresh
// discovery; the stored snapshot predates the records that apply created), and running it under the lock.
import type { ApplyRecord } from '../../shared/domain/apply';
import type { DesiredState } from '../../shared/domain/desired-state';
import { hasWrites, planSummary, type Plan } from '../../shared/domain/plan';
import { planRollback } from '../../shared/domain/rollback-planner';
import { createApplyStore } from '../engine/apply-store';
import type { InstanceRun } from './apply';
import { keepSnapshot, keepStatus } from './bookkeeping';
import { discoverFresh } from './discover';
import { OperationError } from './errors';
import { withInstanceLock } from './lock';
import { loadWritePath } from './write-path';
import { statusFromRecord } from './status';

export interface RollbackRequest extends InstanceRun {
  desired: DesiredState;
  /** How the instance is named in messages. */
  label: string;
  /** Shown the rollback plan before anything is written; false stops it. */
  review?: (plan: Plan, undone: ApplyRecord) => Promise<boolean>;
}

export interface RollbackResult {
  /** The apply being undone. */
  undone: ApplyRecord;
  plan: Plan;
  /** The rollback's own record; null when nothing was run (see `status`). */
  record: ApplyRecord | null;
  status: 'ran' | 'nothing_to_undo' | 'blocked' | 'cancelled';
}

/** The rollback plan alone (reads only, no lock: nothing is written but the snapshot). */
export async function planRollbackFor(
  request: RollbackRequest,
): Promise<{ undone: ApplyRecord; plan: Plan }> {
  const undone = await latestApply(request);
  return { undone, plan: await freshRollbackPlan(request, undone) };
}

export async function rollbackInstance(request: RollbackRequest): Promise<RollbackResult> {
  const dir = request.workspace.instanceDir(request.instanceId);
  const undone = await latestApply(request);
  return withInstanceLock(
    dir,
    'rollback',
    async () => {
      const plan = await freshRollbackPlan(request, undone);
      const summary = planSummary(plan);
      if (!hasWrites(plan) && !summary.blocked)
        return { undone, plan, record: null, status: 'nothing_to_undo' };
      if (summary.blocked) return { undone, plan, record: null, status: 'blocked' };
      if (request.review && !(await request.review(plan, undone)))
        return { undone, plan, record: null, status: 'cancelled' };
      const { applyRollback } = await loadWritePath();
      const record = await applyRollback({
        client: request.client,
        dir,
        record: undone,
        plan,
        ...(request.onApplyProgress ? { onProgress: request.onApplyProgress } : {}),
      });
      await keepStatus(request.workspace, request.instanceId, statusFromRecord(record));
      return { undone, plan, record, status: 'ran' };
    },
    request.lock,
  );
}

async function latestApply(request: RollbackRequest): Promise<ApplyRecord> {
  const records = await createApplyStore(request.workspace.instanceDir(request.instanceId)).listRecords();
  const undone = records.find((r) => r.kind === 'apply');
  if (!undone)
    throw new OperationError(
      'not_found',
      `No apply is recorded for ${request.label} in this workspace: nothing to roll back.`,
    );
  return undone;
}

async function freshRollbackPlan(request: RollbackRequest, undone: ApplyRecord): Promise<Plan> {
  const outcome = await discoverFresh(request.client, request.desired);
  await keepSnapshot(request.workspace, request.instanceId, outcome.snapshot);
  if (!outcome.ok) throw new OperationError('not_ready', `${request.label} is not ready: ${outcome.message}`);
  return planRollback(undone, outcome.snapshot);
}
