// The last stored snapshot of an instance, with its age: read from the workspace, never from the network,
// so instance-aware form checks work after a restart (and on a plane) without discovering again.
import type { SnapshotView } from '../../shared/ipc/contract';
import type { AppContext } from './context';
import { ageSeconds } from './fleet-plan';

export async function getSnapshot(ctx: AppContext, id: string): Promise<SnapshotView> {
  await ctx.requireInstance(id);
  const snapshot = await ctx.workspace.latestSnapshot(id);
  return { snapshot, snapshotAgeSeconds: snapshot ? ageSeconds(ctx, snapshot) : null };
}
