// Re-discovers many instances on demand (a few at a time) and reports those whose records no longer match
// their last successful apply, field by field (operations/drift.ts, per instance).
import pLimit from 'p-limit';
import type { DesiredState } from '../../shared/domain/desired-state';
import { checkDrift, DEFAULT_CONCURRENCY, type DriftOutcome } from '../operations';
import type { ServiceNowClient } from '../servicenow';
import type { Workspace } from '../workspace';

export type { DriftOutcome } from '../operations';

export interface DriftTarget {
  instanceId: string;
  client: ServiceNowClient;
  /** Discovery reads the records these forms name. */
  desired: DesiredState;
}

export async function detectDrift(options: {
  targets: DriftTarget[];
  workspace: Workspace;
  concurrency?: number;
}): Promise<{ outcomes: DriftOutcome[]; drifted: string[] }> {
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
  const outcomes = await Promise.all(
    options.targets.map((target) => limit(() => checkDrift({ ...target, workspace: options.workspace }))),
  );
  return { outcomes, drifted: outcomes.filter((o) => o.state === 'drift').map((o) => o.instanceId) };
}
