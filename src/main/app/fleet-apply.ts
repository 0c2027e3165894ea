// Apply to many instances through the fleet's runMany: a global limit on instances in flight and one
// write in flight per instance; progress per instance as `app:fleet:progress`. One instance's failure
// never stops the others. An instance that does not answer (offline, hibernating, timing out) is queued
// and applied when it answers again; the answer lists the failed ids for "Retry failed".
import { formatIssue, type DesiredState } from '../../shared/domain/desired-state';
import type { ServiceNowErrorCode } from '../../shared/servicenow/errors';
import type { FleetApplyItem, FleetApplyView, FleetProgressEvent } from '../../shared/ipc/contract';
import { runMany, type FleetTarget, type InstanceOutcome } from '../fleet';
import { AppError } from '../ipc/errors';
import { supersedeQueued } from './apply';
import { queuedMessage, reportAnswered, reportUnreachable } from './answered';
import type { AppContext } from './context';
import { desiredForApply } from './drafts';
import { asServiceNowClient } from './fleet-client';
import { requireInstances } from './fleet-plan';
import type { Client, InstanceRecord, InstanceState } from './ports';

/** Instances worked on at the same time when the caller does not say. */
export const DEFAULT_FLEET_CONCURRENCY = 8;

interface Prepared {
  instance: InstanceRecord;
  desired: DesiredState;
  client: Client;
  release: () => void;
  before: InstanceState;
}

export async function applyFleet(
  ctx: AppContext,
  input: { ids: string[]; concurrency?: number },
): Promise<FleetApplyView> {
  const instances = await requireInstances(ctx, input.ids);
  const emit = (progress: FleetProgressEvent) => ctx.emit('app:fleet:progress', progress);
  const items = new Map<string, FleetApplyItem>();
  const prepared: Prepared[] = [];
  try {
    for (const instance of instances) {
      const early = await prepare(ctx, instance);
      if ('item' in early) {
        items.set(instance.id, early.item);
        emit({ instanceId: instance.id, phase: 'failed', step: 0, total: 0, message: early.item.message });
      } else {
        prepared.push(early);
      }
    }
    const targets: FleetTarget[] = prepared.map((p) => ({
      instanceId: p.instance.id,
      client: asServiceNowClient(p.client),
      desired: p.desired,
      dir: ctx.workspace.instanceDir(p.instance.id),
    }));
    const run = await runMany({
      targets,
      concurrency: input.concurrency ?? DEFAULT_FLEET_CONCURRENCY,
      writesPerInstance: 1,
      workspace: ctx.workspace.store(),
      now: ctx.now,
      onProgress: emit,
    });
    for (const [i, outcome] of run.outcomes.entries()) {
      const p = prepared[i]!;
      items.set(p.instance.id, await settle(ctx, p, outcome, emit));
    }
  } finally {
    for (const p of prepared) {
      ctx.engine.closeClient(p.client);
      p.release();
    }
  }
  const outcomes = instances.map((i) => items.get(i.id)!);
  const view = {
    outcomes,
    succeeded: outcomes.filter((o) => o.ok).map((o) => o.instanceId),
    failed: outcomes.filter((o) => !o.ok && o.status !== 'queued').map((o) => o.instanceId),
    queued: outcomes.filter((o) => o.status === 'queued').map((o) => o.instanceId),
  };
  ctx.logger.info('Fleet apply finished', {
    instances: outcomes.length,
    succeeded: view.succeeded.length,
    failed: view.failed.length,
    queued: view.queued.length,
  });
  return view;
}

/** What runMany needs for one instance, or the item saying why it cannot run at all. */
async function prepare(
  ctx: AppContext,
  instance: InstanceRecord,
): Promise<Prepared | { item: FleetApplyItem }> {
  const fail = (code: string, message: string) => ({ item: failedItem(instance, code, message) });
  const { desired, issues } = await desiredForApply(ctx, instance.id);
  if (!desired) {
    const errors = issues.filter((i) => i.severity === 'error').map(formatIssue);
    return fail('invalid_input', `The saved forms have problems: ${errors.join(' ')}`);
  }
  const lock = ctx.tryAcquire(instance.id, 'applying');
  if ('busyWith' in lock) return fail('busy', `${instance.name} is busy (${lock.busyWith}).`);
  try {
    await supersedeQueued(ctx, instance);
    const auth = await ctx.authFor(instance);
    const before = await ctx.workspace.getState(instance.id);
    return {
      instance,
      desired,
      client: ctx.engine.createClient(instance.url, auth),
      release: lock.release,
      before,
    };
  } catch (error) {
    lock.release();
    if (error instanceof AppError) return fail(error.code, error.message);
    throw error;
  }
}

/** Turns the fleet's outcome into the window's item; an unreachable instance is queued instead of failed. */
async function settle(
  ctx: AppContext,
  p: Prepared,
  outcome: InstanceOutcome,
  emit: (progress: FleetProgressEvent) => void,
): Promise<FleetApplyItem> {
  const base = {
    instanceId: p.instance.id,
    name: p.instance.name,
    code: outcome.code,
    counts: outcome.counts,
    applyId: outcome.record?.applyId ?? null,
    queueEntryId: null,
  };
  if (outcome.status !== 'unreachable') {
    reportAnswered(ctx, p.instance.id);
    return { ...base, status: outcome.status, ok: outcome.ok, message: outcome.message };
  }
  const code = unreachableCode(outcome.code);
  // Recorded before it is queued, so the window's first news of the queued apply also says why.
  reportUnreachable(ctx, p.instance.id, code, outcome.message);
  const entry = await ctx.queue.enqueue(p.instance.id, p.desired, code);
  const message = queuedMessage(p.instance.name, code);
  // The fleet recorded "failed"; the instance is as it was, with an apply waiting for it.
  await ctx.setState(p.instance.id, { status: p.before.status, statusMessage: message });
  emit({ instanceId: p.instance.id, phase: 'queued', step: 0, total: 0, message });
  return { ...base, status: 'queued', ok: false, message, queueEntryId: entry.id };
}

/** The fleet's code for an unreachable instance, as the queue and the network state name it. */
function unreachableCode(code: string | null): ServiceNowErrorCode {
  return code === 'hibernating' || code === 'timeout' ? code : 'network';
}

function failedItem(instance: InstanceRecord, code: string, message: string): FleetApplyItem {
  return {
    instanceId: instance.id,
    name: instance.name,
    status: 'failed',
    ok: false,
    code,
    message,
    counts: null,
    applyId: null,
    queueEntryId: null,
  };
}
