// Discovery: read the instance, keep the snapshot, and update the instance's status and last-discovered time.
import type { DiscoverView } from '../../shared/ipc/contract';
import { serviceNowFailureOf } from '../ipc/errors';
import type { AppContext } from './context';
import { desiredForDiscovery } from './drafts';
import { keepDiscovery, statusFromPlan } from './status';

export async function runDiscover(ctx: AppContext, id: string): Promise<DiscoverView> {
  const instance = await ctx.requireInstance(id);
  return ctx.exclusive(id, 'discovering', async () => {
    const desired = await desiredForDiscovery(ctx, id);
    let outcome;
    try {
      outcome = await ctx.withClient(instance, (client) => ctx.engine.discover(client, desired));
    } catch (error) {
      const failure = serviceNowFailureOf(error);
      if (failure) await ctx.setState(id, { status: 'failed', statusMessage: failure.message });
      throw error;
    }
    const discoveredAt = await keepDiscovery(ctx, id, outcome);
    if (!outcome.ok) {
      return { snapshot: outcome.snapshot, notReady: { reason: outcome.reason, message: outcome.message } };
    }
    const plan = ctx.engine.buildPlan(outcome.snapshot, desired, ctx.now());
    await ctx.setState(id, { ...statusFromPlan(plan), lastDiscoveredAt: discoveredAt });
    return { snapshot: outcome.snapshot, notReady: null };
  });
}
