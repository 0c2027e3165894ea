// Apply to many instances through the fleet's runMany: a global limit on instances in flight and one
// write in flight per instance; progress per instance as `app:fleet:progress`. One instance's failure
// never stops the others. An instance that does not answer (offline, hibernating, timing out) is queued
// and applied when it answers again; the answer lists the failed ids for "Retry failed".
import { formatIssue, type DesiredState } from '../../shared/domain/desired-state';
import type { FleetApplyItem, FleetApplyView, FleetProgressEvent } from '../../shared/ipc/contract';
import { queueUnreachable, runMany, type FleetTarget, type InstanceOutcome } from '../fleet';
import { AppError } from '../ipc/errors';
import { DEFAULT_CONCURRENCY, isUnreachableCode } from '../operations';
import { createServiceNowClient, type ServiceNowClient } from '../servicenow';
import type { InstanceRecord } from '../workspace';
import { reportAnswered, reportUnreachable } from './answered';
import { supersedeQueued } from './apply';
import type { AppContext } from './context';
import { desiredForApply } from './drafts';
import { entraCheckFor } from './entra';
import { requireInstances } from './fleet-plan';

interface Prepared {
  instance: InstanceRecord;
  desired: DesiredState;
  client: ServiceNowClient;
  entraCheck?: { authority: string };
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
      client: p.client,
      desired: p.desired,
      ...(p.entraCheck ? { entraCheck: p.entraCheck } : {}),
    }));
    const run = await runMany({
      targets,
      // An instance with an Entra app reads its client secret from the keychain (issue 10).
      secrets: ctx.secrets.store,
      concurrency: input.concurrency ?? DEFAULT_CONCURRENCY,
      writesPerInstance: 1,
      workspace: ctx.workspace(),
      now: ctx.now,
      onProgress: emit,
    });
    for (const [i, outcome] of run.outcomes.entries()) {
      const p = prepared[i]!;
      items.set(p.instance.id, await settle(ctx, p, outcome, emit));
    }
  } finally {
    for (const p of prepared) p.client.close();
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
  try {
    await supersedeQueued(ctx, instance);
    const auth = await ctx.authFor(instance);
    const check = await entraCheckFor(ctx, instance, desired);
    return {
      instance,
      desired,
      client: createServiceNowClient({ instanceUrl: instance.url, auth }),
      ...check,
    };
  } catch (error) {
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
    if (outcome.status !== 'busy') reportAnswered(ctx, p.instance.id);
    const status = outcome.status === 'busy' ? 'failed' : outcome.status;
    return { ...base, status, ok: outcome.ok, message: outcome.message };
  }
  const code = isUnreachableCode(outcome.code) ? outcome.code : 'network';
  // Recorded before it is queued, so the window's first news of the queued apply also says why.
  reportUnreachable(ctx, p.instance.id, code, outcome.message);
  const { entry, message } = await queueUnreachable(ctx.queue, ctx.workspace(), {
    instanceId: p.instance.id,
    name: p.instance.name,
    desired: p.desired,
    code,
    ...(p.entraCheck ? { entraCheck: p.entraCheck } : {}),
  });
  emit({ instanceId: p.instance.id, phase: 'queued', step: 0, total: 0, message });
  return { ...base, status: 'queued', ok: false, message, queueEntryId: entry.id };
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
