// Discovery: the operations layer reads the instance and keeps the snapshot and status; the window gets
// the snapshot and, for an instance that cannot be provisioned, why.
import type { DiscoverView } from '../../shared/ipc/contract';
import { discoverInstance } from '../operations';
import type { AppContext } from './context';
import { desiredForDiscovery } from './drafts';

export async function runDiscover(ctx: AppContext, id: string): Promise<DiscoverView> {
  const instance = await ctx.requireInstance(id);
  const desired = await desiredForDiscovery(ctx, id);
  const { outcome } = await ctx.withClient(instance, (client) =>
    discoverInstance({ workspace: ctx.workspace(), instanceId: id, client, desired, now: ctx.now }),
  );
  return {
    snapshot: outcome.snapshot,
    notReady: outcome.ok ? null : { reason: outcome.reason, message: outcome.message },
  };
}
