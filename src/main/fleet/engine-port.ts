// What the fleet needs from the engine (src/main/engine), as a narrow interface: the fleet is tested
// with the real engine behind it, and a change in the engine's signatures is adapted in engine-real.ts.
import type { ApplyProgress, ApplyRecord } from '../../shared/domain/apply';
import type { DesiredState } from '../../shared/domain/desired-state';
import type { Plan } from '../../shared/domain/plan';
import type { NotReadyReason, Snapshot } from '../../shared/domain/snapshot';
import type { ServiceNowClient } from '../servicenow';

export type DiscoverOutcome =
  | { ok: true; snapshot: Snapshot }
  | { ok: false; reason: NotReadyReason; message: string; snapshot: Snapshot | null };

export interface FleetEngine {
  discover(client: ServiceNowClient, desired: DesiredState): Promise<DiscoverOutcome>;
  buildPlan(snapshot: Snapshot, desired: DesiredState, now: Date): Plan;
  applyPlan(input: {
    client: ServiceNowClient;
    plan: Plan;
    dir: string;
    onProgress: (progress: Omit<ApplyProgress, 'instanceId'>) => void;
  }): Promise<ApplyRecord>;
  /** Finishes an apply a crash interrupted; null when there is nothing to resume. */
  resumeApply(input: {
    client: ServiceNowClient;
    dir: string;
    onProgress: (progress: Omit<ApplyProgress, 'instanceId'>) => void;
  }): Promise<ApplyRecord | null>;
  /** The newest apply (or rollback) record in the instance's folder. */
  latestRecord(dir: string): Promise<ApplyRecord | null>;
}
