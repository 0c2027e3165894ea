// Planning needs no network: a plan can be prepared from the last stored snapshot, marked with its age.
import type { DesiredState } from '../../shared/domain/desired-state';
import type { Plan } from '../../shared/domain/plan';
import type { Workspace } from '../workspace';
import type { FleetEngine } from './engine-port';
import { realEngine } from './engine-real';

export async function planOffline(
  workspace: Workspace,
  instanceId: string,
  desired: DesiredState,
  options: { now?: () => Date; engine?: FleetEngine; save?: boolean } = {},
): Promise<{ plan: Plan; snapshotAgeSeconds: number } | null> {
  const snapshot = await workspace.snapshots.latest(instanceId);
  if (!snapshot) return null;
  const now = (options.now ?? (() => new Date()))();
  const plan = (options.engine ?? realEngine).buildPlan(snapshot, desired, now);
  if (options.save ?? true) await workspace.plans.save(instanceId, plan);
  const snapshotAgeSeconds = Math.max(
    0,
    Math.round((now.getTime() - Date.parse(snapshot.discoveredAt)) / 1000),
  );
  return { plan, snapshotAgeSeconds };
}
