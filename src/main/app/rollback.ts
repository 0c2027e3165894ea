// Rollback in the window: the plan that undoes the latest apply (shown first), and running it — both by
// the operations layer, from a fresh discovery, the run under the instance lock.
import type { ApplyRecord } from '../../shared/domain/apply';
import type { Plan } from '../../shared/domain/plan';
import { AppError } from '../ipc/errors';
import { planRollbackFor, rollbackInstance } from '../operations';
import { run } from './apply';
import type { AppContext } from './context';
import { desiredForDiscovery } from './drafts';

export async function planRollback(ctx: AppContext, id: string): Promise<Plan> {
  const instance = await ctx.requireInstance(id);
  const desired = await desiredForDiscovery(ctx, id);
  const { plan } = await ctx.withClient(instance, (client) =>
    planRollbackFor({ ...run(ctx, instance, client), desired, label: instance.name }),
  );
  return plan;
}

export async function runRollback(ctx: AppContext, id: string): Promise<ApplyRecord> {
  const instance = await ctx.requireInstance(id);
  const desired = await desiredForDiscovery(ctx, id);
  const result = await ctx.withClient(instance, (client) =>
    rollbackInstance({ ...run(ctx, instance, client), desired, label: instance.name }),
  );
  if (result.record) return result.record;
  throw new AppError(
    'not_ready',
    result.status === 'blocked'
      ? 'The rollback plan has blocked actions; nothing was changed.'
      : 'Nothing to roll back: the instance no longer has what that apply changed.',
  );
}
