// Planning without the network: from the last stored snapshot, with its age, so forms can be checked and
// a plan reviewed after a restart or on a plane. Online planning is discoverInstance (discover.ts).
import type { DesiredState, FieldIssue } from '../../shared/domain/desired-state';
import type { Plan } from '../../shared/domain/plan';
import type { Snapshot } from '../../shared/domain/snapshot';
import { buildPlan, checkAgainstSnapshot } from '../engine';
import type { Workspace } from '../workspace';
import { snapshotAgeSeconds } from './rules';

export interface OfflinePlan {
  plan: Plan;
  snapshot: Snapshot;
  issues: FieldIssue[];
  snapshotAgeSeconds: number;
}

/** The last snapshot of an instance with its age; null when it was never discovered. */
export async function storedSnapshot(
  workspace: Workspace,
  instanceId: string,
  now: Date,
): Promise<{ snapshot: Snapshot; snapshotAgeSeconds: number } | null> {
  const snapshot = await workspace.snapshots.latest(instanceId);
  return snapshot ? { snapshot, snapshotAgeSeconds: snapshotAgeSeconds(snapshot, now) } : null;
}

/** The plan for a snapshot and the instance-aware checks of the desired state against it. */
export function buildPlanFor(
  snapshot: Snapshot,
  desired: DesiredState,
  now: Date,
): { plan: Plan; issues: FieldIssue[] } {
  return { plan: buildPlan(snapshot, desired, now), issues: checkAgainstSnapshot(desired, snapshot) };
}

export async function planFromSnapshot(
  workspace: Workspace,
  instanceId: string,
  desired: DesiredState,
  now: Date,
): Promise<OfflinePlan | null> {
  const stored = await storedSnapshot(workspace, instanceId, now);
  if (!stored) return null;
  return { ...buildPlanFor(stored.snapshot, desired, now), ...stored };
}
