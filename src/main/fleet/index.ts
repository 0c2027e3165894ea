// Many instances at once, offline-first: the fleet runner, the offline queue and drift detection. Each
// instance goes through the operations layer (src/main/operations), exactly as a single one does.
export { runMany, retryFailed, planMany, summarize } from './run-many';
export type {
  FleetTarget,
  RunManyOptions,
  RunManyResult,
  PlanManyResult,
  InstancePlanSummary,
} from './run-many';
export { createOfflineQueue } from './offline-queue';
export type {
  OfflineQueue,
  OfflineQueueOptions,
  QueueEvent,
  QueueSchedule,
  NetworkState,
} from './offline-queue';
export { queueUnreachable, queuedMessage } from './queue-unreachable';
export { detectDrift } from './drift';
export type { DriftTarget, DriftOutcome, FleetDriftOutcome, DriftResult } from './drift';
export { probeInstance, backoffDelay } from './reachability';
export type { Reachability } from './reachability';
export { limitWrites } from './write-limit';
export { compareDrift } from '../../shared/workspace/drift';
export type { DriftReport, DriftDifference } from '../../shared/workspace/drift';
export type { ApplyOutcome as InstanceOutcome, OperationProgress as FleetProgress } from '../operations';
