// Re-discovers many instances on demand (a few at a time) and reports those whose records no longer match
// their last successful apply, field by field (operations/drift.ts, per instance), and those whose Entra
// client secret expires within SECRET_EXPIRY_WARNING_DAYS (issue 10 §6): a finding too, so
// `spokesmith drift` exits 1 for either.
import pLimit from 'p-limit';
import type { DesiredState } from '../../shared/domain/desired-state';
import { secretExpiry, type SecretExpiry } from '../../shared/domain/walkup-status';
import { checkDrift, DEFAULT_CONCURRENCY, type DriftOutcome } from '../operations';
import type { ServiceNowClient } from '../servicenow';
import type { Workspace } from '../workspace';

export type { DriftOutcome } from '../operations';

/** One instance's drift, with its Entra client secret's expiry (null when not known). */
export type FleetDriftOutcome = DriftOutcome & { secretExpiry: SecretExpiry | null };

export interface DriftTarget {
  instanceId: string;
  client: ServiceNowClient;
  /** Discovery reads the records these forms name; `entra.secretExpires` dates the secret. */
  desired: DesiredState;
}

export interface DriftResult {
  outcomes: FleetDriftOutcome[];
  /** Instances whose records differ from their last apply. */
  drifted: string[];
  /** Instances whose client secret expires within SECRET_EXPIRY_WARNING_DAYS, or has expired. */
  expiring: string[];
}

export async function detectDrift(options: {
  targets: DriftTarget[];
  workspace: Workspace;
  concurrency?: number;
  /** What "expires in N days" counts from (tests inject it). */
  now?: () => Date;
}): Promise<DriftResult> {
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
  const now = options.now ?? (() => new Date());
  const outcomes = await Promise.all(
    options.targets.map((target) =>
      limit(async (): Promise<FleetDriftOutcome> => {
        const outcome = await checkDrift({ ...target, workspace: options.workspace });
        return { ...outcome, secretExpiry: secretExpiry(target.desired.entra?.secretExpires, now()) };
      }),
    ),
  );
  return {
    outcomes,
    drifted: outcomes.filter((o) => o.state === 'drift').map((o) => o.instanceId),
    expiring: outcomes.filter((o) => o.secretExpiry?.warn).map((o) => o.instanceId),
  };
}
