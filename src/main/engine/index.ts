// The provisioning engine: discover → plan → apply → verify, rollback, next steps, report.
export type { EngineClient } from './client';
export { discover, type DiscoverOptions, type DiscoverOutcome } from './discover';
export { buildPlan, planToJson } from '../../shared/domain/planner';
export { checkAgainstSnapshot } from '../../shared/domain/instance-checks';
export { applyPlan, resumeApply, UnfinishedApplyError, type ApplyOptions, type ResumeOptions } from './apply';
export { createApplyStore, APPLY_RECORD_FILE, type ApplyStore, type UnfinishedApply } from './apply-store';
export { readJournal, journalPath, type JournalEntry } from './journal';
export type { ProgressListener, RegistrySecret, RetryOptions } from './run';
export { applyRollback, planRollback, type RollbackOptions } from './rollback';
export { tokenStatus, buildNextSteps, credentialFormUrl, authorizeUrl } from './next-steps';
export { currentOsUser, renderReport, reportData } from './report';
