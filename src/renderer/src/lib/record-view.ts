// The records an apply wrote, as a consultant reads them: the fields they set on the ServiceNow form first,
// with names where the record holds a sys_id (the plan that was applied knows them), and the platform's own
// fields kept apart. Used by the Apply screen's verified after state and by History.
import type { ApplyRecord, RecordBeforeAfter } from '../../../shared/domain/apply';
import type { Plan, PlanAction } from '../../../shared/domain/plan';
import { placeholderTarget } from '../../../shared/domain/record-fields';
import { ALIAS_KEYS, type AliasKey } from '../../../shared/servicenow/spoke';
import type { FieldState, FieldView } from '../components/FieldChanges.svelte';
import { fieldLabel } from './labels';

/** The fields a consultant fills in, in the order the brief and the forms list them. */
const CONSULTANT_ORDER = [
  'name',
  'credential',
  'connection_alias',
  'connection_url',
  'use_mid',
  'mid_selection',
  'mid_server',
  'mid_cluster',
  'mid_capabilities',
  'active',
  'sys_domain',
  'oauth_entity_profile',
  'applies_to',
  'order',
  // Application Registry (oauth_entity, issue 10): the fields filled from the Entra app. Never the secret.
  'client_id',
  'default_grant_type',
  'auth_url',
  'token_url',
  'redirect_url',
];
/** Which of them each table has; a table not listed shows any of them it holds. */
const TABLE_FIELDS: Record<string, ReadonlySet<string>> = {
  http_connection: new Set(CONSULTANT_ORDER.slice(0, 11)),
  oauth_entity: new Set(['name', 'client_id', 'default_grant_type', 'auth_url', 'token_url', 'redirect_url']),
  oauth_2_0_credentials: new Set([
    'name',
    'active',
    'sys_domain',
    'oauth_entity_profile',
    'applies_to',
    'order',
  ]),
};

export interface RecordFields {
  /** What the consultant set (and any field that differs from the plan), in form order. */
  main: FieldView[];
  /** Other fields of the record Spokesmith does not manage (host, port, …). */
  other: FieldView[];
  /** The platform's sys_* fields. */
  system: FieldView[];
}

export interface RecordView {
  record: RecordBeforeAfter;
  /** The alias whose column the record belongs to (Table 1 or Table 2). */
  alias: AliasKey;
  fields: RecordFields;
}

/** The plan stored in an apply record, when it has the expected shape (records keep it as unknown). */
function planOf(apply: ApplyRecord): Plan | null {
  const plan = apply.plan as Partial<Plan> | null;
  return plan && typeof plan === 'object' && Array.isArray(plan.actions) ? (plan as Plan) : null;
}

/** Every record of the apply, with its column and its fields grouped and shown by name. */
export function recordViews(apply: ApplyRecord): RecordView[] {
  const actions = planOf(apply)?.actions ?? [];
  // The records this apply touched, by sys_id: a reference to one (a connection's new credential) reads as
  // its name, which is what the plan showed at review.
  const names = new Map<string, string>();
  for (const r of [...actions, ...apply.steps, ...apply.records]) if (r.sysId) names.set(r.sysId, r.name);
  return apply.records.map((record) => {
    const action = actions.find((a) => a.id === record.actionId);
    const idAlias = aliasOfActionId(record.actionId);
    const known = planValues(action);
    return {
      record,
      alias: action?.alias ?? (ALIAS_KEYS.includes(idAlias) ? idAlias : 'main'),
      fields: groupFields(record, action, (field, raw) => display(field, raw, names, known)),
    };
  });
}

/**
 * The column of a record by its action id: `connection:main` → main; an Application Registry
 * (`registry:authorization_code`) goes beside the alias whose credential uses its grant (Walk-up's choice,
 * docs/servicenow.md §2).
 */
function aliasOfActionId(actionId: string): AliasKey {
  const part = actionId.replace(/^rollback:/, '').split(':')[1];
  if (part === 'client_credentials') return 'clientCred';
  if (part === 'authorization_code') return 'main';
  return part as AliasKey;
}

type Known = Map<string, Map<string, string>>;

/**
 * Raw value → the plan's display value, per field: before values from what discovery read, after values from
 * the body the plan sent. (A `{{credential:main}}` reference in the body is a record the apply created: the
 * names of touched records cover it.)
 */
function planValues(action: PlanAction | undefined): Known {
  const known: Known = new Map();
  const set = (field: string, raw: string | undefined, shown: string | null) => {
    if (raw === undefined || shown === null || raw === shown || placeholderTarget(raw)) return;
    if (!known.has(field)) known.set(field, new Map());
    known.get(field)!.set(raw, shown);
  };
  for (const [field, change] of Object.entries(action?.changes ?? {})) {
    set(field, action?.before?.[field], change.before);
    set(field, action?.body[field], change.after);
  }
  return known;
}

function display(field: string, raw: string | null, names: Map<string, string>, known: Known): string | null {
  // The record's own id, dates, class and author read best as stored.
  if (raw === null || (field.startsWith('sys_') && field !== 'sys_domain')) return raw;
  return names.get(raw) ?? known.get(field)?.get(raw) ?? raw;
}

function groupFields(
  record: RecordBeforeAfter,
  action: PlanAction | undefined,
  shown: (field: string, raw: string | null) => string | null,
): RecordFields {
  const ofTable = TABLE_FIELDS[record.table];
  const present = new Set([...Object.keys(record.before ?? {}), ...Object.keys(record.after ?? {})]);
  const view = (field: string): FieldView => {
    const before = shown(field, record.before?.[field] ?? null);
    const after = shown(field, record.after?.[field] ?? null);
    const state: FieldState =
      before === after ? 'unchanged' : before === null ? 'new' : after === null ? 'removed' : 'changed';
    return { field, before, after, state, mismatch: record.mismatches.includes(field) };
  };
  const blank = (field: string) => !record.before?.[field] && !record.after?.[field];
  const main = CONSULTANT_ORDER.filter(
    (f) =>
      present.has(f) &&
      (!ofTable || ofTable.has(f)) &&
      // An empty MID Server on a connection without MID is noise; what the plan set is shown even empty.
      (!blank(f) || f in (action?.changes ?? {}) || record.mismatches.includes(f)),
  );
  const rest = [...present]
    .filter((f) => !main.includes(f))
    .sort((a, b) => fieldLabel(a).localeCompare(fieldLabel(b)));
  return {
    main: [...main, ...rest.filter((f) => record.mismatches.includes(f))].map(view),
    other: rest.filter((f) => !f.startsWith('sys_') && !record.mismatches.includes(f)).map(view),
    system: rest.filter((f) => f.startsWith('sys_') && !record.mismatches.includes(f)).map(view),
  };
}
