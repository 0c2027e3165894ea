// Rollback planning (pure): from what an apply did (its ApplyRecord) and what the instance holds now (a
// fresh snapshot) to a plan of its own: delete the records the apply created, restore the fields it
// changed to their before-values. Shown to the user like any plan before it runs.
import { ALIAS_KEYS, OAUTH_REGISTRIES, TABLES as SN_TABLES, type AliasKey } from '../servicenow/spoke';
import type { ApplyRecord, RecordBeforeAfter } from './apply';
import type { FieldChange, Plan, PlanAction, PlanTable, RegistryAction } from './plan';
import { connectionValues, describeValue } from './planner';
import { COMPARED_REGISTRY_ELEMENTS, CONNECTION_ELEMENTS } from './record-fields';
import { GRANT_TYPES } from './registry-fields';
import { REGISTRIES_NOT_READ } from './registry-planner';
import type { Snapshot } from './snapshot';

const TABLES: readonly PlanTable[] = ['oauth_2_0_credentials', 'http_connection'];

export function rollbackActionId(actionId: string): string {
  return `rollback:${actionId}`;
}

export function planRollback(record: ApplyRecord, snapshot: Snapshot, now: Date = new Date()): Plan {
  const written = record.records.filter((r) => {
    const step = record.steps.find((s) => s.actionId === r.actionId);
    return step?.status === 'done' && (r.op === 'create' || r.op === 'update');
  });
  const registries = written.filter((r) => r.table === SN_TABLES.oauthEntity);
  // Connections first: a restored connection lets go of the credential the apply created, which can
  // then be deleted.
  const ordered = written
    .filter((r) => r.table !== SN_TABLES.oauthEntity)
    .sort((a, b) => tableRank(b.table) - tableRank(a.table));
  const context: RollbackContext = {
    snapshot,
    deletedSysIds: new Set(ordered.filter((r) => r.op === 'create').map((r) => r.sysId)),
    written: ordered,
  };
  const actions = ordered.map((r) => rollbackAction(r, context));
  return {
    version: 1,
    instanceUrl: record.instanceUrl,
    createdAt: now.toISOString(),
    snapshotAt: snapshot.discoveredAt,
    actions,
    ...(registries.length ? { registries: registries.map((r) => rollbackRegistry(r, snapshot)) } : {}),
  };
}

/**
 * A registry the apply updated: put back its earlier non-secret values where they still hold what the
 * apply wrote. The client secret cannot be put back — Spokesmith never read the earlier one
 * (docs/servicenow.md §8) — so the plan says so instead.
 */
function rollbackRegistry(r: RecordBeforeAfter, snapshot: Snapshot): RegistryAction {
  const grant =
    GRANT_TYPES.find((g) => r.actionId.endsWith(g)) ??
    GRANT_TYPES.find((g) => OAUTH_REGISTRIES[g].entityName === r.name) ??
    'authorization_code';
  const found = snapshot.registries?.[grant];
  const current = found && found.sysId === r.sysId ? found : null;
  const base = {
    id: rollbackActionId(r.actionId),
    kind: 'registry' as const,
    table: 'oauth_entity' as const,
    grant,
    name: r.name,
    sysId: r.sysId,
    before: current ? { ...current.values } : null,
  };
  if (!current) {
    return {
      ...base,
      op: 'blocked',
      changes: {},
      body: {},
      secret: null,
      reason: snapshot.registries ? 'The registry no longer exists on the instance.' : REGISTRIES_NOT_READ,
      notes: [],
    };
  }
  const changes: Record<string, FieldChange> = {};
  const body: Record<string, string> = {};
  const notes: string[] = [];
  for (const element of COMPARED_REGISTRY_ELEMENTS) {
    const old = r.before?.[element];
    const wrote = r.after?.[element];
    if (old === undefined || wrote === undefined || wrote === old) continue;
    const now = current.values[element] ?? '';
    if (now === old) continue;
    if (now !== wrote)
      notes.push(`${element} was changed again after the apply; the rollback restores it anyway.`);
    changes[element] = { before: now, after: old };
    body[element] = old;
  }
  notes.push(
    'The client secret stays as it is: Spokesmith never reads a secret back, so the earlier one cannot be restored.',
  );
  return {
    ...base,
    op: Object.keys(body).length ? 'update' : 'noop',
    changes,
    body,
    secret: 'unchanged',
    notes,
  };
}

function tableRank(table: string): number {
  return table === 'http_connection' ? 1 : 0;
}

interface RollbackContext {
  snapshot: Snapshot;
  /** Records the rollback deletes. */
  deletedSysIds: Set<string | null>;
  /** Every record the apply wrote. */
  written: RecordBeforeAfter[];
}

function rollbackAction(
  r: RecordBeforeAfter,
  { snapshot, deletedSysIds, written }: RollbackContext,
): PlanAction {
  const table = (TABLES.find((t) => t === r.table) ?? 'http_connection') as PlanTable;
  const kind = table === 'http_connection' ? 'connection' : 'credential';
  const current = r.sysId ? currentValues(snapshot, table, r.sysId) : null;
  const base = {
    id: rollbackActionId(r.actionId),
    kind,
    table,
    alias: aliasOf(r.actionId),
    name: current?.name ?? r.name,
    sysId: r.sysId,
    dependsOn: [] as string[],
    notes: [] as string[],
    before: current,
  } satisfies Partial<PlanAction>;
  const show = (element: string, value: string | null | undefined) =>
    value === null || value === undefined ? null : describeValue(snapshot, element, value);

  if (r.op === 'create') {
    if (!current) {
      return { ...base, op: 'noop', changes: {}, body: {}, notes: ['Already gone from the instance.'] };
    }
    if (kind === 'credential') {
      const user = snapshot.connections.find(
        (c) =>
          c.credentialSysId === r.sysId && !deletedSysIds.has(c.sysId) && !restoresAway(c.sysId, r.sysId),
      );
      if (user) {
        return {
          ...base,
          op: 'blocked',
          changes: {},
          body: {},
          reason: `The connection "${user.name}" still uses this credential, so it is kept.`,
        };
      }
    }
    const changes: Record<string, FieldChange> = {};
    for (const [element, value] of Object.entries(r.after ?? current)) {
      if (element.startsWith('sys_') && element !== CONNECTION_ELEMENTS.domain) continue;
      changes[element] = { before: show(element, current[element] ?? value), after: null };
    }
    return {
      ...base,
      op: 'delete',
      changes,
      body: {},
      notes: ['Created by the apply; the rollback deletes it.'],
    };
  }

  // update: put back the fields the apply changed, where they still hold what the apply wrote.
  if (!current) {
    return {
      ...base,
      op: 'blocked',
      changes: {},
      body: {},
      reason: 'The record no longer exists on the instance.',
    };
  }
  const before = r.before ?? {};
  const after = r.after ?? {};
  const changes: Record<string, FieldChange> = {};
  const body: Record<string, string> = {};
  const notes: string[] = [];
  for (const [element, old] of Object.entries(before)) {
    if (element.startsWith('sys_') && element !== CONNECTION_ELEMENTS.domain) continue;
    const wrote = after[element];
    if (wrote === undefined || wrote === old) continue;
    const now = current[element] ?? '';
    if (now === old) continue;
    if (now !== wrote)
      notes.push(`${element} was changed again after the apply; the rollback restores it anyway.`);
    changes[element] = { before: show(element, now), after: show(element, old) };
    body[element] = old;
  }
  return { ...base, op: Object.keys(body).length ? 'update' : 'noop', changes, body, notes };

  // A restored connection whose credential field goes back to another record no longer uses this one.
  function restoresAway(connectionSysId: string, credentialSysId: string | null): boolean {
    return written.some(
      (w) =>
        w.sysId === connectionSysId &&
        w.before?.[CONNECTION_ELEMENTS.credential] !== undefined &&
        w.before[CONNECTION_ELEMENTS.credential] !== credentialSysId,
    );
  }
}

function aliasOf(actionId: string): AliasKey {
  const key = actionId.split(':').pop();
  return ALIAS_KEYS.find((k) => k === key) ?? 'main';
}

function currentValues(snapshot: Snapshot, table: PlanTable, sysId: string): Record<string, string> | null {
  if (table === 'http_connection') {
    const c = snapshot.connections.find((x) => x.sysId === sysId);
    return c ? connectionValues(c) : null;
  }
  const cred = snapshot.credentials.find((x) => x.sysId === sysId);
  return cred ? { ...cred.raw, name: cred.name, active: String(cred.active) } : null;
}
