// Rollback: a plan of its own (planRollback, pure, in shared/domain so the UI can show it) run by the same
// journaled machinery as an apply. Its record has kind "rollback" and keeps what it deleted and restored.
import type { ApplyRecord } from '../../shared/domain/apply';
import type { Plan } from '../../shared/domain/plan';
import { startRun, type ApplyOptions } from './apply';

export { planRollback, rollbackActionId } from '../../shared/domain/rollback-planner';

export interface RollbackOptions extends Omit<ApplyOptions, 'plan'> {
  /** The apply being undone. */
  record: ApplyRecord;
  /** Its rollback plan, from planRollback(record, freshSnapshot), as shown to the user. */
  plan: Plan;
}

export async function applyRollback(options: RollbackOptions): Promise<ApplyRecord> {
  if (options.record.kind !== 'apply') {
    throw new Error('Only an apply can be rolled back (this record is itself a rollback).');
  }
  const { record, ...rest } = options;
  return startRun({ ...rest, kind: 'rollback', rollbackOf: record.applyId });
}
