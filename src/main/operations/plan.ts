// Planning without the network: from the last stored snapshot, with its age, so forms can be checked and
// a plan reviewed after a restart or on a plane. Online planning is discoverInstance (discover.ts).
import type { DesiredState, FieldIssue } from '../../shared/domain/desired-state';
import type { Plan } from '../../shared/domain/plan';
import type { EntraSecretState } from '../../shared/domain/registry-planner';
import type { Snapshot } from '../../shared/domain/snapshot';
import { buildPlan } from '../../shared/domain/planner';
import { checkAgainstSnapshot } from '../../shared/domain/instance-checks';
import type { SecretStore } from '../secrets/secret-store';
import type { Workspace } from '../workspace';
import { entraPlanOptions, notRunCheck, type EntraCheckRequest } from './entra';
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

/**
 * The plan for a stored snapshot and the instance-aware checks of the desired state against it. Offline:
 * an Entra app in the desired state is not checked, and the plan says so (`entraCheck.status: not_run`).
 */
export function buildPlanFor(
  snapshot: Snapshot,
  desired: DesiredState,
  now: Date,
  options: { entraSecret?: EntraSecretState; entraCheck?: EntraCheckRequest } = {},
): { plan: Plan; issues: FieldIssue[] } {
  const plan = buildPlan(
    snapshot,
    desired,
    now,
    options.entraSecret ? { entraSecret: options.entraSecret } : {},
  );
  return {
    plan: desired.entra ? { ...plan, entraCheck: notRunCheck(options.entraCheck) } : plan,
    issues: checkAgainstSnapshot(desired, snapshot),
  };
}

export async function planFromSnapshot(
  workspace: Workspace,
  instanceId: string,
  desired: DesiredState,
  now: Date,
  options: { secrets?: SecretStore; entraCheck?: EntraCheckRequest } = {},
): Promise<OfflinePlan | null> {
  const stored = await storedSnapshot(workspace, instanceId, now);
  if (!stored) return null;
  const secret = await entraPlanOptions(desired, options.secrets, instanceId);
  return {
    ...buildPlanFor(stored.snapshot, desired, now, {
      ...secret,
      ...(options.entraCheck !== undefined ? { entraCheck: options.entraCheck } : {}),
    }),
    ...stored,
  };
}
