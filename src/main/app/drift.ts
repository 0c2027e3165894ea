// Drift on demand: re-discover one, several or all instances and list, per instance, the fields whose
// current value differs from what the last successful apply left, or "matches". The fleet's detectDrift
// does the comparison and records drift / provisioned in each instance's status.
import type { DriftItem, DriftView } from '../../shared/ipc/contract';
import { looksLikeSecret } from '../../shared/workspace/secret-fields';
import { detectDrift, type DriftOutcome, type DriftTarget } from '../fleet';
import { AppError } from '../ipc/errors';
import type { AppContext } from './context';
import { desiredForDiscovery } from './drafts';
import { asServiceNowClient } from './fleet-client';
import { requireInstances } from './fleet-plan';
import type { Client, InstanceRecord } from './ports';

const DRIFT_CONCURRENCY = 8;
/** Shown instead of the value of a field whose name looks like a secret (belt and braces: never expected). */
const HIDDEN = '(hidden)';

export async function checkDrift(ctx: AppContext, ids: readonly string[] | undefined): Promise<DriftView> {
  const instances = ids ? await requireInstances(ctx, ids) : await ctx.workspace.listInstances();
  const items = new Map<string, DriftItem>();
  const targets: DriftTarget[] = [];
  const clients: Client[] = [];
  try {
    for (const instance of instances) {
      let client: Client;
      try {
        client = ctx.engine.createClient(instance.url, await ctx.authFor(instance));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        items.set(instance.id, errorItem(instance, error.message));
        continue;
      }
      clients.push(client);
      targets.push({
        instanceId: instance.id,
        client: asServiceNowClient(client),
        desired: await desiredForDiscovery(ctx, instance.id),
        dir: ctx.workspace.instanceDir(instance.id),
      });
    }
    const { outcomes } = await detectDrift({
      targets,
      workspace: ctx.workspace.store(),
      concurrency: DRIFT_CONCURRENCY,
    });
    const byId = new Map(instances.map((i) => [i.id, i]));
    for (const outcome of outcomes)
      items.set(outcome.instanceId, toItem(byId.get(outcome.instanceId)!, outcome));
  } finally {
    for (const client of clients) ctx.engine.closeClient(client);
  }
  const list = instances.map((i) => items.get(i.id)!);
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
