// Plan many instances for one review screen: each from its saved draft (or the defaults), discovering when
// the instance answers and otherwise from its last stored snapshot, marked with its age. Statuses are
// kept current from what each discovery found. An instance never discovered that does not answer cannot be
// planned yet, but is ready: its apply is queued and plans when it answers. Nothing is written anywhere.
import pLimit from 'p-limit';
import { formatIssue, type DesiredState, type FieldIssue } from '../../shared/domain/desired-state';
import { PLAN_OPS, planSummary, type Plan, type PlanOp } from '../../shared/domain/plan';
import type { EntraSecretState } from '../../shared/domain/registry-planner';
import type { Snapshot } from '../../shared/domain/snapshot';
import { secretExpiry } from '../../shared/domain/walkup-status';
import type { FleetNotReadyReason, FleetPlanItem, FleetPlanView } from '../../shared/ipc/contract';
import { AppError } from '../ipc/errors';
import {
  buildPlanFor,
  byId,
  DEFAULT_CONCURRENCY,
  discoverInstance,
  entraPlanOptions,
  failureOf,
  isUnreachableCode,
  snapshotAgeSeconds,
  storedSnapshot,
  type EntraCheckRequest,
} from '../operations';
import type { InstanceRecord } from '../workspace';
import type { AppContext } from './context';
import { desiredForApply } from './drafts';
import { entraCheckFor } from './entra';

/** Why an instance that was never discovered and does not answer has no plan, and what an apply does. */
export const PLANNED_WHEN_ANSWERS =
  'Not discovered yet and not answering: the apply will be queued and planned when it answers.';

export async function planFleet(ctx: AppContext, ids: readonly string[]): Promise<FleetPlanView> {
  const instances = await requireInstances(ctx, ids);
  const limit = pLimit(DEFAULT_CONCURRENCY);
  const items = await Promise.all(instances.map((instance) => limit(() => planOne(ctx, instance))));
  const totals = Object.fromEntries(PLAN_OPS.map((op) => [op, 0])) as Record<PlanOp, number>;
  for (const item of items) for (const op of PLAN_OPS) totals[op] += item.counts?.[op] ?? 0;
  return { instances: items, totals };
}

/** The instances, in the order asked for and without duplicates; not_found names an unknown id. */
export async function requireInstances(ctx: AppContext, ids: readonly string[]): Promise<InstanceRecord[]> {
  const unique = [...new Set(ids)];
  const found = unique.map((id) => byId(ctx.workspace(), id));
  const missing = unique.filter((_, i) => !found[i]);
  if (missing.length) {
    throw new AppError('not_found', `There is no instance ${missing.map((m) => `"${m}"`).join(', ')} here.`);
  }
  return found as InstanceRecord[];
}

async function planOne(ctx: AppContext, instance: InstanceRecord): Promise<FleetPlanItem> {
  const id = instance.id;
  const progress = (phase: 'discovering' | 'done' | 'failed', message: string) =>
    ctx.emit('app:fleet:progress', { instanceId: id, phase, step: 0, total: 0, message });
  const { desired, issues, source } = await desiredForApply(ctx, id);
  const base = {
    instanceId: id,
    name: instance.name,
    source,
    issues,
    secretExpiry: secretExpiry(desired?.entra?.secretExpires, ctx.now()),
  };
  if (!desired) {
    const message = `The saved forms have problems: ${issues
      .filter((i) => i.severity === 'error')
      .map(formatIssue)
      .join(' ')}`;
    progress('failed', message);
    return notPlanned(base, 'invalid_draft', message);
  }

  progress('discovering', 'Reading the instance');
  const check = await entraCheckFor(ctx, instance, desired);
  let discovered;
  try {
    discovered = await ctx.withClient(instance, (client) =>
      discoverInstance({
        workspace: ctx.workspace(),
        instanceId: id,
        client,
        desired,
        now: ctx.now,
        secrets: ctx.secrets.store,
        ...check,
      }),
    );
  } catch (error) {
    const failure = failureOf(error);
    const keychain = error instanceof AppError && error.code === 'keychain';
    if (!keychain && !(failure && isUnreachableCode(failure.code))) {
      if (!failure) throw error;
      progress('failed', failure.message);
      return notPlanned(base, failure.code, failure.message);
    }
    // Offline-first: the instance did not answer (or cannot be asked), so plan from what it held last time.
    const message = keychain ? (error as AppError).message : failure!.message;
    const reason: FleetNotReadyReason = keychain ? 'keychain' : failure!.code;
    const stored = await storedSnapshot(ctx.workspace(), id, ctx.now());
    if (!stored && keychain) {
      const full = `${message} It was never discovered, so there is nothing to plan from.`;
      progress('failed', full);
      return notPlanned(base, 'no_snapshot', full);
    }
    if (!stored) {
      // Nothing to plan from yet, but an apply can wait for it: the queued run discovers and plans first.
      progress('done', PLANNED_WHEN_ANSWERS);
      return {
        ...notPlanned(base, 'no_snapshot', ''),
        ready: true,
        notReady: null,
        offline: true,
        plannedWhenAnswers: true,
      };
    }
    // Offline the Entra app is not checked, but the kept secret still decides set / replace / unchanged.
    const secret = keychain ? {} : await entraPlanOptions(desired, ctx.secrets.store, id).catch(() => ({}));
    const item = planned(ctx, base, desired, stored.snapshot, true, { ...secret, ...check });
    // A plan from an old snapshot can still be applied (the apply is queued) unless credentials are missing.
    if (keychain) return { ...item, ready: false, notReady: { reason, message } };
    progress('done', `Planned offline from a snapshot ${item.snapshotAgeSeconds ?? 0} s old`);
    return item;
  }

  const { outcome } = discovered;
  if (!outcome.ok) {
    progress('failed', outcome.message);
    return notPlanned(base, outcome.reason, outcome.message);
  }
  const item = planned(ctx, base, desired, outcome.snapshot, false, { discovered: discovered.plan });
  progress(item.ready ? 'done' : 'failed', item.ready ? 'Planned' : item.notReady!.message);
  return item;
}

type ItemBase = Pick<FleetPlanItem, 'instanceId' | 'name' | 'source' | 'issues' | 'secretExpiry'>;

function planned(
  ctx: AppContext,
  base: ItemBase,
  desired: DesiredState,
  snapshot: Snapshot,
  offline: boolean,
  // The plan discovery made (its Entra check ran, its secret state came from the keychain), or what an
  // offline plan needs to say about the secret and the check.
  options: {
    discovered?: Plan | null;
    entraSecret?: EntraSecretState;
    entraCheck?: EntraCheckRequest;
  } = {},
): FleetPlanItem {
  const { discovered, ...planOptions } = options;
  const built = buildPlanFor(snapshot, desired, ctx.now(), planOptions);
  const plan = discovered ?? built.plan;
  const issues: FieldIssue[] = [...base.issues, ...built.issues];
  const counts = planSummary(plan);
  const errors = issues.filter((i) => i.severity === 'error');
  const blocked = [...plan.actions, ...(plan.registries ?? [])].filter((a) => a.op === 'blocked');
  const checkFailed = plan.entraCheck?.status === 'failed' ? plan.entraCheck.message : null;
  const notReady = errors.length
    ? { reason: 'invalid_draft' as const, message: errors.map(formatIssue).join(' ') }
    : blocked.length || checkFailed
      ? {
          reason: 'blocked' as const,
          message: [
            ...blocked.map((a) => a.reason ?? `${a.name} is blocked.`),
            ...(checkFailed ? [checkFailed] : []),
          ].join(' '),
        }
      : null;
  return {
    ...base,
    issues,
    ready: notReady === null,
    notReady,
    counts,
    plan,
    snapshotAgeSeconds: offline ? snapshotAgeSeconds(snapshot, ctx.now()) : 0,
    offline,
  };
}

function notPlanned(base: ItemBase, reason: FleetNotReadyReason, message: string): FleetPlanItem {
  return {
    ...base,
    ready: false,
    notReady: { reason, message },
    counts: null,
    plan: null,
    snapshotAgeSeconds: null,
    offline: false,
  };
}
