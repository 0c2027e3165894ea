// Many instances at once, offline-first: the fleet runner, the offline queue and drift detection.
export { runMany, retryFailed, planMany, summarize } from './run-many';
export type { RunManyOptions, RunManyResult, PlanManyResult, InstancePlanSummary } from './run-many';
export { provisionInstance } from './provision';
export type { FleetTarget, FleetProgress, FleetPhase, InstanceOutcome, OutcomeStatus } from './provision';
export { createOfflineQueue } from './offline-queue';
export type {
  OfflineQueue,
  OfflineQueueOptions,
  QueueEvent,
  QueueSchedule,
  NetworkState,
} from './offline-queue';
export { detectDrift } from './drift';
export type { DriftTarget, DriftOutcome } from './drift';
export { planOffline } from './offline-plan';
export { probeInstance, isUnreachableError, backoffDelay, UNREACHABLE_CODES } from './reachability';
export type { Reachability } from './reachability';
export { limitWrites } from './write-limit';
export type { FleetEngine } from './engine-port';
export { realEngine } from './engine-real';
export { compareDrift } from '../../shared/workspace/drift';
export type { DriftReport, DriftDifference } from '../../shared/workspace/drift';
