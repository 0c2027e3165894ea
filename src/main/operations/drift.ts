// Drift of one instance: re-discover it and compare, field by field, with what its last successful apply
// left. Keeps the snapshot and leaves "drift" or "provisioned" as its status.
import type { DesiredState } from '../../shared/domain/desired-state';
import { compareDrift, type DriftReport } from '../../shared/workspace/drift';
import { createApplyStore } from '../engine/apply-store';
import type { EngineClient } from '../engine/client';
import type { Workspace } from '../workspace';
import { keepSnapshot, keepStatus } from './bookkeeping';
import { discoverFresh } from './discover';
import { failureOf } from './errors';

export type DriftOutcome =
  | { instanceId: string; state: 'drift' | 'in_sync'; report: DriftReport }
  | { instanceId: string; state: 'never_applied' | 'error'; message: string };

export async function checkDrift(input: {
  workspace: Workspace;
  instanceId: string;
  client: EngineClient;
  desired: DesiredState;
}): Promise<DriftOutcome> {
  const { workspace, instanceId } = input;
  try {
    const record = await createApplyStore(workspace.instanceDir(instanceId)).latestRecord();
    if (!record || record.status !== 'succeeded') {
      return { instanceId, state: 'never_applied', message: 'No successful apply to compare with.' };
    }
    const discovered = await discoverFresh(input.client, input.desired);
    await keepSnapshot(workspace, instanceId, discovered.snapshot);
    const report = compareDrift(record, discovered.snapshot);
    const summary = report.drifted
      ? `${report.differences.length} field(s) changed since the apply of ${report.appliedAt}.`
      : 'Matches the last apply.';
    await keepStatus(workspace, instanceId, {
      status: report.drifted ? 'drift' : 'provisioned',
      statusMessage: summary,
    });
    return { instanceId, state: report.drifted ? 'drift' : 'in_sync', report };
  } catch (error) {
    const message = failureOf(error)?.message ?? (error as Error).message;
    return { instanceId, state: 'error', message };
  }
}
