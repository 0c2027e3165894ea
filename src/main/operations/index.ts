// Every operation a person can start on an instance, written once for the app, the CLI, the fleet runner
// and the offline queue (docs/architecture.md). Front ends parse input, call these, and render the result.
export { OperationError, failureOf, fieldError, type OperationErrorCode } from './errors';
export {
  UNREACHABLE_CODES,
  isUnreachableCode,
  unreachableFailure,
  snapshotAgeSeconds,
  DEFAULT_CONCURRENCY,
} from './rules';
export { recordOutcome, errorOutcome } from './outcome';
export type { ApplyOutcome, OutcomeStatus, OutcomeCode, OperationProgress, ProgressSink } from './outcome';
export {
  statusFromPlan,
  statusFromNotReady,
  statusFromRecord,
  statusFromOutcome,
  type StatusPatch,
} from './status';
export { keepSnapshot, keepStatus } from './bookkeeping';
export { withInstanceLock, type LockOptions } from './lock';
export { authFromSecrets, readSecretsFor, originOf, type InstanceAuth } from './credentials';
export {
  saveInstance,
  testInstance,
  removeInstance,
  byId,
  type SaveInstanceInput,
  type SavedInstance,
  type ConnectionTest,
} from './instances';
export { discoverInstance, discoverFresh, type Discovered, type DiscoverOutcome } from './discover';
export { planFromSnapshot, storedSnapshot, buildPlanFor, type OfflinePlan } from './plan';
export { applyInstance, type ApplyRequest, type InstanceRun } from './apply';
export {
  checkEntra,
  entraInputs,
  entraPlanOptions,
  notRunCheck,
  CHECK_DECLINED,
  CHECK_NOT_RUN,
  type EntraCheckRequest,
} from './entra';
export { resumeInstance, pendingApply } from './resume';
export { rollbackInstance, planRollbackFor, type RollbackRequest, type RollbackResult } from './rollback';
export { checkDrift, type DriftOutcome } from './drift';
export { instanceTokenStatus, credentialsToCheck } from './tokens';
export { listRecords, findRecord, renderReport } from './history';
