// Re-discovers instances on demand and reports those whose records no longer match their last
// successful apply, field by field. Statuses are updated in the workspace when one is given.
import pLimit from 'p-limit';
import type { DesiredState } from '../../shared/domain/desired-state';
import { compareDrift, type DriftReport } from '../../shared/workspace/drift';
import { isServiceNowError, type ServiceNowClient } from '../servicenow';
import type { Workspace } from '../workspace';
import type { FleetEngine } from './engine-port';
import { realEngine } from './engine-real';

export interface DriftTarget {
  instanceId: string;
  client: ServiceNowClient;
  /** Discovery reads the records these forms name. */
  desired: DesiredState;
  dir: string;
}

export type DriftOutcome =
  | { instanceId: string; state: 'drift' | 'in_sync'; report: DriftReport }
  | { instanceId: string; state: 'never_applied' | 'error'; message: string };

export async function detectDrift(options: {
  targets: DriftTarget[];
  /** Defaults to the real engine (src/main/engine). */
  engine?: FleetEngine;
  workspace?: Workspace;
  concurrency?: number;
}): Promise<{ outcomes: DriftOutcome[]; drifted: string[] }> {
  const limit = pLimit(Math.max(1, options.concurrency ?? 8));
  const outcomes = await Promise.all(
    options.targets.map((target) =>
      limit(() => checkOne(target, options.engine ?? realEngine, options.workspace)),
    ),
  );
  return { outcomes, drifted: outcomes.filter((o) => o.state === 'drift').map((o) => o.instanceId) };
}

async function checkOne(
  target: DriftTarget,
  engine: FleetEngine,
  workspace?: Workspace,
): Promise<DriftOutcome> {
  const { instanceId } = target;
  try {
    const record = await engine.latestRecord(target.dir);
    if (!record || record.status !== 'succeeded') {
      return { instanceId, state: 'never_applied', message: 'No successful apply to compare with.' };
    }
    const discovered = await engine.discover(target.client, target.desired);
    if (!discovered.snapshot)
      return { instanceId, state: 'error', message: discovered.ok ? 'No snapshot.' : discovered.message };
    await workspace?.snapshots.save(instanceId, discovered.snapshot);
    const report = compareDrift(record, discovered.snapshot);
    if (workspace?.instances.get(instanceId)) {
      const summary = report.drifted
        ? `${report.differences.length} field(s) changed since the apply of ${report.appliedAt}.`
        : 'Matches the last apply.';
      await workspace.instances.setStatus(instanceId, report.drifted ? 'drift' : 'provisioned', summary);
    }
    return { instanceId, state: report.drifted ? 'drift' : 'in_sync', report };
  } catch (error) {
    const message = isServiceNowError(error) ? error.failure.message : (error as Error).message;
    return { instanceId, state: 'error', message };
  }
}
