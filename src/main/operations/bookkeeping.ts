// The workspace files an operation leaves behind (snapshot, plan, status, last-discovered time), written
// here and nowhere else. An instance given by URL only (the CLI's `plan https://…`) is not in the list:
// its journals and records still go to its folder, but it has no status or snapshot to keep.
import type { Plan } from '../../shared/domain/plan';
import type { Snapshot } from '../../shared/domain/snapshot';
import type { Workspace } from '../workspace';
import type { StatusPatch } from './status';

const isSaved = (workspace: Workspace, id: string) => workspace.instances.get(id)?.id === id;

/** Keeps the snapshot; the workspace records the discovery time with it. */
export async function keepSnapshot(workspace: Workspace, id: string, snapshot: Snapshot): Promise<void> {
  if (isSaved(workspace, id)) await workspace.snapshots.save(id, snapshot);
}

export async function keepPlan(workspace: Workspace, id: string, plan: Plan): Promise<void> {
  if (isSaved(workspace, id)) await workspace.plans.save(id, plan);
}

/** Sets the status (and message); a patch with only a message keeps the status as it is. */
export async function keepStatus(
  workspace: Workspace,
  id: string,
  patch: StatusPatch | { statusMessage: string | null } | null,
): Promise<void> {
  if (!patch || !isSaved(workspace, id)) return;
  const status = 'status' in patch ? patch.status : workspace.instances.get(id)!.status;
  await workspace.instances.setStatus(id, status, patch.statusMessage);
}
