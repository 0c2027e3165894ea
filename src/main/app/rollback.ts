// Rollback: the plan that undoes the latest apply, and running it.
import type { ApplyRecord } from '../../shared/domain/apply';
import type { Plan } from '../../shared/domain/plan';
import { AppError } from '../ipc/errors';
import { progressTo } from './apply';
import type { AppContext } from './context';
import type { InstanceRecord } from './ports';

export async function planRollback(ctx: AppContext, id: string): Promise<Plan> {
  const instance = await ctx.requireInstance(id);
  return (await rollbackInputs(ctx, instance)).plan;
}

export async function runRollback(ctx: AppContext, id: string): Promise<ApplyRecord> {
  const instance = await ctx.requireInstance(id);
  return ctx.exclusive(id, 'rolling back', () =>
    ctx.withClient(instance, async (client) => {
      const { record, plan } = await rollbackInputs(ctx, instance);
      const result = await ctx.engine.applyRollback({
        client,
        dir: ctx.workspace.instanceDir(id),
        record,
        plan,
        onProgress: progressTo(ctx, id),
      });
      await ctx.setState(id, {
        status: result.status === 'succeeded' ? 'ready' : 'failed',
        statusMessage: result.status === 'succeeded' ? 'Rolled back.' : 'The rollback did not finish.',
      });
      return result;
    }),
  );
}

async function rollbackInputs(
  ctx: AppContext,
  instance: InstanceRecord,
): Promise<{ record: ApplyRecord; plan: Plan }> {
  const records = await ctx.engine.listRecords(ctx.workspace.instanceDir(instance.id));
  const record = records.find((r) => r.kind === 'apply');
  if (!record) throw new AppError('not_found', `${instance.name} has no apply to roll back.`);
  const snapshot = await ctx.workspace.latestSnapshot(instance.id);
  if (!snapshot)
    throw new AppError('not_ready', 'Discover the instance first: a rollback starts from what it holds now.');
  return { record, plan: ctx.engine.planRollback(record, snapshot) };
}
