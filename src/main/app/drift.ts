// Drift on demand: re-discover one, several or all instances and list, per instance, the fields whose
// current value differs from what the last successful apply left, or "matches". The fleet's detectDrift
// does the comparison and records drift / provisioned in each instance's status.
import { secretExpiry } from '../../shared/domain/walkup-status';
import type { DriftItem, DriftView } from '../../shared/ipc/contract';
import { looksLikeSecret } from '../../shared/workspace/secret-fields';
import { detectDrift, type DriftOutcome, type DriftTarget } from '../fleet';
import { AppError } from '../ipc/errors';
import { createServiceNowClient } from '../servicenow';
import type { InstanceRecord } from '../workspace';
import { draftSecretExpires, type AppContext } from './context';
import { desiredForDiscovery } from './drafts';
import { requireInstances } from './fleet-plan';

/** Shown instead of the value of a field whose name looks like a secret (belt and braces: never expected). */
const HIDDEN = '(hidden)';

export async function checkDrift(ctx: AppContext, ids: readonly string[] | undefined): Promise<DriftView> {
  const instances = ids ? await requireInstances(ctx, ids) : ctx.workspace().instances.list();
  const items = new Map<string, DriftItem>();
  const targets: DriftTarget[] = [];
  try {
    for (const instance of instances) {
      let auth;
      try {
        auth = await ctx.authFor(instance);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        items.set(instance.id, errorItem(instance, error.message));
        continue;
      }
      targets.push({
        instanceId: instance.id,
        client: createServiceNowClient({ instanceUrl: instance.url, auth }),
        desired: await desiredForDiscovery(ctx, instance.id),
      });
    }
    const { outcomes } = await detectDrift({ targets, workspace: ctx.workspace() });
    const byId = new Map(instances.map((i) => [i.id, i]));
    for (const outcome of outcomes)
      items.set(outcome.instanceId, toItem(byId.get(outcome.instanceId)!, outcome));
  } finally {
    for (const target of targets) target.client.close();
  }
  // The Entra client secret's expiry, where the draft knows it (issue 10 §6): due soon is drift to act on too.
  const list = await Promise.all(
    instances.map(async (i) => ({
      ...items.get(i.id)!,
      secretExpiry: secretExpiry(await draftSecretExpires(ctx, i.id), ctx.now()),
    })),
  );
  return { instances: list, drifted: list.filter((i) => i.state === 'drift').map((i) => i.instanceId) };
}

function toItem(instance: InstanceRecord, outcome: DriftOutcome): DriftItem {
  const base = { instanceId: instance.id, name: instance.name };
  if (!('report' in outcome)) {
    return {
      ...base,
      state: outcome.state,
      message: outcome.message,
      differences: [],
      appliedAt: null,
      checkedAt: null,
    };
  }
  const { report } = outcome;
  const differences = report.differences.map((d) => {
    const secret = looksLikeSecret(d.field);
    return {
      record: d.record,
      table: d.table,
      field: d.field,
      applied: secret && d.applied !== null ? HIDDEN : d.applied,
      current: secret && d.current !== null ? HIDDEN : d.current,
    };
  });
  return {
    ...base,
    state: outcome.state === 'drift' ? 'drift' : 'matches',
    message:
      outcome.state === 'drift'
        ? `${differences.length} field(s) changed since the apply of ${report.appliedAt}.`
        : 'Matches the last apply.',
    differences,
    appliedAt: report.appliedAt,
    checkedAt: report.checkedAt,
  };
}

function errorItem(instance: InstanceRecord, message: string): DriftItem {
  return {
    instanceId: instance.id,
    name: instance.name,
    state: 'error',
    message,
    differences: [],
    appliedAt: null,
    checkedAt: null,
  };
}
