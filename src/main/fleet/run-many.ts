// Many instances at once: the operations layer's apply (src/main/operations/apply.ts) on each, with a
// global limit on instances in flight and at most one or two writes in flight per instance. One
// instance's failure never stops the others; the result lists the failed ones so the caller can offer to
// retry just those.
import pLimit from 'p-limit';
import type { DesiredState } from '../../shared/domain/desired-state';
import { planSummary, type Plan, type PlanOp } from '../../shared/domain/plan';
import { secretExpiry, type SecretExpiry } from '../../shared/domain/walkup-status';
import {
  applyInstance,
  DEFAULT_CONCURRENCY,
  discoverInstance,
  failureOf,
  planFromSnapshot,
  unreachableFailure,
  type ApplyOutcome,
  type EntraCheckRequest,
  type LockOptions,
  type ProgressSink,
} from '../operations';
import type { ServiceNowClient } from '../servicenow';
import type { Workspace } from '../workspace';
import type { SecretStore } from '../secrets/secret-store';
import { entraSecretBlock } from './entra-secret-needed';
import { limitWrites } from './write-limit';

export interface FleetTarget {
  instanceId: string;
  client: ServiceNowClient;
  desired: DesiredState;
  /** This instance's own Entra check, over the run's `entraCheck` (the app's demo instance is checked at the embedded stand-in). */
  entraCheck?: EntraCheckRequest;
}

export interface RunManyOptions {
  targets: FleetTarget[];
  /** Snapshots, plans, statuses and the engine's journals are kept here as the run goes. */
  workspace: Workspace;
  /** Instances worked on at the same time (default DEFAULT_CONCURRENCY). */
  concurrency?: number;
  /** Writes in flight per instance: 1, or 2 for instances from Yokohama on (default 1). */
  writesPerInstance?: 1 | 2;
  onProgress?: ProgressSink;
  signal?: AbortSignal;
  now?: () => Date;
  lock?: LockOptions;
  /** The keychain: an apply with an Entra app reads its client secret from it (issue 10). */
  secrets?: SecretStore;
  /** Where the Entra app is checked (default login.microsoftonline.com); false: declined. */
  entraCheck?: EntraCheckRequest;
}

/** The keychain and the Entra check (the target's own, else the run's), handed to operations only when given. */
function entraOptions(
  options: { secrets?: SecretStore; entraCheck?: EntraCheckRequest },
  target?: Pick<FleetTarget, 'entraCheck'>,
) {
  const entraCheck = target?.entraCheck !== undefined ? target.entraCheck : options.entraCheck;
  return {
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(entraCheck !== undefined ? { entraCheck } : {}),
  };
}

export interface RunManyResult {
  /** In the order of the targets. */
  outcomes: ApplyOutcome[];
  succeeded: string[];
  /** Ids to offer for retry (every outcome that is not ok). */
  failed: string[];
  /** The subset of `failed` that could not be reached (worth queueing rather than retrying now). */
  unreachable: string[];
}

export async function runMany(options: RunManyOptions): Promise<RunManyResult> {
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
  const writes = options.writesPerInstance ?? 1;
  for (const target of options.targets) {
    options.onProgress?.({
      instanceId: target.instanceId,
      phase: 'waiting',
      step: 0,
      total: 0,
      message: 'Waiting',
    });
  }
  const outcomes = await Promise.all(
    options.targets.map((target) =>
      limit(
        async () =>
          (await blockedWithoutSecret(options, target)) ??
          applyInstance({
            workspace: options.workspace,
            instanceId: target.instanceId,
            client: limitWrites(target.client, writes),
            desired: target.desired,
            ...(options.now ? { now: options.now } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
            ...(options.lock ? { lock: options.lock } : {}),
            ...entraOptions(options, target),
          }),
      ),
    ),
  );
  return summarize(outcomes);
}

/** An Entra app without its secret in the keychain: blocked before anything is sent. */
async function blockedWithoutSecret(
  options: RunManyOptions,
  target: FleetTarget,
): Promise<ApplyOutcome | null> {
  const blocked = await entraSecretBlock(
    options.secrets,
    options.workspace,
    target.instanceId,
    target.desired,
  );
  if (blocked) {
    options.onProgress?.({
      instanceId: target.instanceId,
      phase: 'failed',
      step: 0,
      total: 0,
      message: blocked.message,
    });
  }
  return blocked;
}

/** Runs again only the targets a previous run listed as failed. */
export function retryFailed(previous: RunManyResult, options: RunManyOptions): Promise<RunManyResult> {
  const failed = new Set(previous.failed);
  return runMany({ ...options, targets: options.targets.filter((t) => failed.has(t.instanceId)) });
}

export function summarize(outcomes: ApplyOutcome[]): RunManyResult {
  return {
    outcomes,
    succeeded: outcomes.filter((o) => o.ok).map((o) => o.instanceId),
    failed: outcomes.filter((o) => !o.ok).map((o) => o.instanceId),
    unreachable: outcomes.filter((o) => o.status === 'unreachable').map((o) => o.instanceId),
  };
}

// --- Plan many: one review for N instances ---

export interface InstancePlanSummary {
  instanceId: string;
  ok: boolean;
  message: string;
  plan: Plan | null;
  counts: Record<PlanOp, number> | null;
  /** Records (credentials + connections) the plan touches that exist now, and that will exist after. */
  before: number;
  after: number;
  /** When discovery could not run: the plan (if any) comes from the last stored snapshot. */
  snapshotAgeSeconds: number | null;
  /** The Entra client secret's expiry ("expires in N days", warn within 30); null when not known. */
  secretExpiry: SecretExpiry | null;
}

export interface PlanManyResult {
  instances: InstancePlanSummary[];
  totals: Record<PlanOp, number>;
}

export async function planMany(options: {
  targets: FleetTarget[];
  workspace: Workspace;
  concurrency?: number;
  now?: () => Date;
  signal?: AbortSignal;
  onProgress?: ProgressSink;
  secrets?: SecretStore;
  entraCheck?: EntraCheckRequest;
}): Promise<PlanManyResult> {
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
  const now = options.now ?? (() => new Date());
  const planned = await Promise.all(
    options.targets.map((target) =>
      limit(async (): Promise<Omit<InstancePlanSummary, 'secretExpiry'>> => {
        const progress = (phase: 'discovering' | 'done' | 'failed', message: string) =>
          options.onProgress?.({ instanceId: target.instanceId, phase, step: 0, total: 0, message });
        try {
          if (options.signal?.aborted) throw new Error('Cancelled.');
          progress('discovering', 'Reading the instance');
          const { outcome, plan } = await discoverInstance({
            ...target,
            workspace: options.workspace,
            now,
            ...entraOptions(options, target),
          });
          if (!outcome.ok || !plan) {
            const message = outcome.ok ? 'Discovery read nothing.' : outcome.message;
            progress('failed', message);
            return empty(target.instanceId, message);
          }
          await options.workspace.plans.save(target.instanceId, plan);
          progress('done', 'Planned');
          return summaryOf(target.instanceId, plan, null);
        } catch (error) {
          // Offline: plan from the last snapshot the workspace holds, marked with its age.
          const offline = unreachableFailure(error)
            ? await planFromSnapshot(
                options.workspace,
                target.instanceId,
                target.desired,
                now(),
                entraOptions(options, target),
              )
            : null;
          if (offline) {
            progress('done', `Planned from a snapshot ${offline.snapshotAgeSeconds} s old`);
            return summaryOf(target.instanceId, offline.plan, offline.snapshotAgeSeconds);
          }
          const message = failureOf(error)?.message ?? (error as Error).message;
          progress('failed', message);
          return empty(target.instanceId, message);
        }
      }),
    ),
  );
  // Known offline too: the expiry date is part of the desired state, not of the instance.
  const instances = planned.map((summary, i) => ({
    ...summary,
    secretExpiry: secretExpiry(options.targets[i]!.desired.entra?.secretExpires, now()),
  }));
  const totals: Record<PlanOp, number> = { create: 0, update: 0, noop: 0, blocked: 0, delete: 0 };
  for (const i of instances)
    for (const op of Object.keys(totals) as PlanOp[]) totals[op] += i.counts?.[op] ?? 0;
  return { instances, totals };
}

function summaryOf(
  instanceId: string,
  plan: Plan,
  snapshotAgeSeconds: number | null,
): Omit<InstancePlanSummary, 'secretExpiry'> {
  const counts = planSummary(plan);
  return {
    instanceId,
    ok: counts.blocked === 0,
    message: counts.blocked ? 'Blocked: see the plan.' : 'Planned',
    plan,
    counts,
    before: plan.actions.filter((a) => a.sysId !== null).length,
    after: plan.actions.filter(
      (a) => a.op !== 'blocked' && a.op !== 'delete' && (a.sysId !== null || a.op === 'create'),
    ).length,
    snapshotAgeSeconds,
  };
}

function empty(instanceId: string, message: string): Omit<InstancePlanSummary, 'secretExpiry'> {
  return {
    instanceId,
    ok: false,
    message,
    plan: null,
    counts: null,
    before: 0,
    after: 0,
    snapshotAgeSeconds: null,
  };
}
