// Rollback: the plan that undoes the latest apply, and running it.
import type { ApplyRecord } from '../../shared/domain/apply';
import type { Plan } from '../../shared/domain/plan';
import { AppError } from '../ipc/errors';
import { progressTo } from './apply';
import type { AppContext } from './context';
import { desiredForDiscovery } from './drafts';
import type { Client, InstanceRecord } from './ports';

export async function planRollback(ctx: AppContext, id: string): Promise<Plan> {
  const instance = await ctx.requireInstance(id);
  return ctx.withClient(instance, async (client) => (await rollbackInputs(ctx, instance, client)).plan);
}

export async function runRollback(ctx: AppContext, id: string): Promise<ApplyRecord> {
  const instance = await ctx.requireInstance(id);
  return ctx.exclusive(id, 'rolling back', () =>
    ctx.withClient(instance, async (client) => {
      const { record, plan } = await rollbackInputs(ctx, instance, client);
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

/**
 * The rollback plan is made from what the instance holds NOW (a fresh discovery), never from the stored
 * snapshot: that one was taken before the apply, when the records the apply created did not exist yet.
 */
async function rollbackInputs(
  ctx: AppContext,
  instance: InstanceRecord,
  client: Client,
): Promise<{ record: ApplyRecord; plan: Plan }> {
  const records = await ctx.engine.listRecords(ctx.workspace.instanceDir(instance.id));
  const record = records.find((r) => r.kind === 'apply');
  if (!record) throw new AppError('not_found', `${instance.name} has no apply to roll back.`);
  const outcome = await ctx.engine.discover(client, await desiredForDiscovery(ctx, instance.id));
  if (!outcome.snapshot)
    throw new AppError('not_ready', outcome.ok ? 'Discovery read nothing.' : outcome.message);
  await ctx.workspace.saveSnapshot(instance.id, outcome.snapshot);
  await ctx.setState(instance.id, { lastDiscoveredAt: outcome.snapshot.discoveredAt });
  return { record, plan: ctx.engine.planRollback(record, outcome.snapshot) };
}
