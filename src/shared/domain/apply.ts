// What an apply (or a rollback) leaves behind: per-step results, a before/after of every field of every
// touched record, the verification and the next steps. Stored in the workspace; shown in the UI and reports.
import * as z from 'zod/mini';
import '../zod-english';
import { SERVICENOW_ERROR_CODES } from '../servicenow/errors';

/** Built on first use, like the record below: only journal and record readers need it. */
export const ServiceNowFailureSchema = z.lazy(() =>
  z.object({
    code: z.enum(SERVICENOW_ERROR_CODES),
    message: z.string(),
    instanceMessage: z.optional(z.string()),
    status: z.optional(z.number()),
    retryAt: z.optional(z.string()),
    ambiguous: z.boolean(),
  }),
);

// Built on first use (z.lazy): an apply record is written by a run that changed something and read back by
// history, reports and resume, never by an up-to-date apply, which would otherwise build its 77 schemas at
// every start (issue 11).
export const ApplyRecordSchema = z.lazy(() => {
  const StepStatusSchema = z.enum(['done', 'skipped', 'failed', 'not_run']);

  const ApplyStepResultSchema = z.object({
    actionId: z.string(),
    table: z.string(),
    name: z.string(),
    op: z.enum(['create', 'update', 'noop', 'blocked', 'delete', 'restore']),
    /** Optional (issue 10): `registry` for the two Application Registries; absent for the connection pair. */
    kind: z.optional(z.enum(['credential', 'connection', 'registry'])),
    status: StepStatusSchema,
    sysId: z.nullable(z.string()),
    error: z.optional(ServiceNowFailureSchema),
    /** How an ambiguous write was settled, in plain words. */
    settled: z.optional(z.string()),
  });

  const RecordBeforeAfterSchema = z.object({
    actionId: z.string(),
    table: z.string(),
    sysId: z.nullable(z.string()),
    name: z.string(),
    op: z.string(),
    /** Every field as read before the apply; null when the record did not exist. */
    before: z.nullable(z.record(z.string(), z.string())),
    /** Every field as re-read after the apply (verify); null when the record no longer exists. */
    after: z.nullable(z.record(z.string(), z.string())),
    verified: z.boolean(),
    /** Fields whose verified value differs from what was asked. */
    mismatches: z.array(z.string()),
  });

  const NextStepSchema = z.object({
    credentialName: z.string(),
    credentialSysId: z.string(),
    grant: z.enum(['authorization_code', 'client_credentials']),
    /** Opens the credential form on the instance, where "Get OAuth Token" is. */
    credentialUrl: z.string(),
    /** For the Authorization Code profile: the oauth_initiator.do URL that starts the consent. */
    authorizeUrl: z.nullable(z.string()),
  });

  return z.object({
    version: z.literal(1),
    applyId: z.string(),
    kind: z.enum(['apply', 'rollback']),
    instanceUrl: z.string(),
    startedAt: z.string(),
    finishedAt: z.nullable(z.string()),
    status: z.enum(['running', 'succeeded', 'failed']),
    /** The plan that was applied (for a rollback: the rollback plan). */
    plan: z.unknown(),
    steps: z.array(ApplyStepResultSchema),
    records: z.array(RecordBeforeAfterSchema),
    verification: z.nullable(z.object({ ok: z.boolean(), checkedAt: z.string(), requests: z.number() })),
    nextSteps: z.array(NextStepSchema),
    /** HTTP requests this apply sent to the instance. */
    requests: z.number(),
    /** Optional: plain-words notes about the run itself (e.g. a torn journal line found on resume). */
    notes: z.optional(z.array(z.string())),
  });
});

export type ApplyRecord = z.infer<typeof ApplyRecordSchema>;
export type ApplyStepResult = ApplyRecord['steps'][number];
export type StepStatus = ApplyStepResult['status'];
export type RecordBeforeAfter = ApplyRecord['records'][number];
export type NextStep = ApplyRecord['nextSteps'][number];

/** A credential's OAuth token as last checked. */
export interface TokenStatus {
  credentialName: string;
  credentialSysId: string;
  hasToken: boolean;
  expiresAt: string | null;
  checkedAt: string;
}

/** Sent while an apply runs, one event per step and phase. */
export interface ApplyProgress {
  instanceId: string;
  applyId: string;
  /** 1-based index of the current step; 0 before the first write. */
  step: number;
  total: number;
  actionId: string | null;
  phase: 'discovering' | 'writing' | 'written' | 'waiting' | 'verifying' | 'done' | 'failed';
  message: string;
}

/** What a run wrote, counted from its steps: the one rule the app's History and the CLI's history share. */
export interface StepCounts {
  created: number;
  /** Updated records, and records a rollback restored to their state before the apply. */
  updated: number;
  /** Records a rollback deleted because the apply had created them. */
  deleted: number;
  failed: number;
}

export function countSteps(record: Pick<ApplyRecord, 'steps'>): StepCounts {
  const counts: StepCounts = { created: 0, updated: 0, deleted: 0, failed: 0 };
  for (const step of record.steps) {
    if (step.status === 'failed') counts.failed += 1;
    else if (step.status !== 'done') continue;
    else if (step.op === 'create') counts.created += 1;
    else if (step.op === 'update' || step.op === 'restore') counts.updated += 1;
    else if (step.op === 'delete') counts.deleted += 1;
  }
  return counts;
}
