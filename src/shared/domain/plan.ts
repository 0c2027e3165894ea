// A plan: snapshot + desired state → ordered actions per record. Produced by the pure planner, shown as
// the before/after review, executed by apply.
import type { AliasKey, GrantType } from '../servicenow/spoke';

/** `delete` appears only in rollback plans (removing what an apply created). */
export type PlanOp = 'create' | 'update' | 'noop' | 'blocked' | 'delete';
export const PLAN_OPS: readonly PlanOp[] = ['create', 'update', 'noop', 'blocked', 'delete'];
export type PlanTable = 'oauth_2_0_credentials' | 'http_connection';

/** A field's value before and after, as a consultant reads it (references shown by name). */
export interface FieldChange {
  before: string | null;
  after: string | null;
}

export interface PlanAction {
  /** Stable within a plan: `credential:main`, `connection:clientCred`. */
  id: string;
  kind: 'credential' | 'connection';
  table: PlanTable;
  alias: AliasKey;
  /** The record's name after the action. */
  name: string;
  op: PlanOp;
  /** The existing record (update, noop, and the adopted record). */
  sysId: string | null;
  /** Every compared field; for update only the differing ones carry before !== after. */
  changes: Record<string, FieldChange>;
  /**
   * The body to send (element → raw value). A reference to a record this plan creates is written
   * `{{action-id}}` and resolved at apply time.
   */
  body: Record<string, string>;
  dependsOn: string[];
  /** For blocked: why, in plain words. */
  reason?: string;
  /** Set when the plan takes over an existing connection (e.g. WCS's "MS Graph 1") instead of adding one. */
  adoptedFrom?: string;
  /** Plain-words notes shown beside the action. */
  notes: string[];
  /**
   * Every field of the existing record as discovery read it (element → raw value); null for a create.
   * Optional: plans made before this field existed still apply (the engine re-reads before writing).
   */
  before?: Record<string, string> | null;
  /** For credential actions: the OAuth profile the credential is (or will be) bound to, for next steps. */
  oauth?: { grant: GrantType | null; profileSysId: string | null };
}

/**
 * What happens to a registry's client secret, the only thing a plan ever says about it: `set` (the
 * registry has none), `replace` (it has one that is, or may be, another), `unchanged`.
 */
export type SecretOp = 'set' | 'replace' | 'unchanged';
export const SECRET_OP_LABELS: Record<SecretOp, string> = {
  set: 'set',
  replace: 'will be replaced',
  unchanged: 'unchanged',
};

/**
 * An update of one of the two Application Registry records (oauth_entity) the spoke ships. Registries are
 * never created or deleted: a missing one blocks. The body holds only non-secret fields; apply adds the
 * secret from the keychain when `secret` is `set` or `replace`.
 */
export interface RegistryAction {
  /** `registry:authorization_code`, `registry:client_credentials` (rollback: `rollback:registry:…`). */
  id: string;
  kind: 'registry';
  table: 'oauth_entity';
  grant: GrantType;
  name: string;
  op: 'update' | 'noop' | 'blocked';
  sysId: string | null;
  /** Every compared non-secret field; only differing ones carry before !== after. */
  changes: Record<string, FieldChange>;
  body: Record<string, string>;
  /** null when blocked. */
  secret: SecretOp | null;
  /** The compared non-secret fields as discovery read them; null when the record is missing. */
  before: Record<string, string> | null;
  reason?: string;
  notes: string[];
}

/** What the engine sends: a record of the connection pair, or one of the two registries. */
export type WritableAction = PlanAction | RegistryAction;

/** Which input a failed Entra check points at (src/main/entra/check.ts). */
export type EntraCheckField = 'tenant' | 'clientId' | 'clientSecret' | 'authority' | 'entraApp';

/**
 * What the Entra check (a client-credentials token request, docs/servicenow.md §8) said before the plan
 * was shown: `passed`, `failed` (apply then writes nothing), `skipped` (the person declined the check),
 * `not_run` (an offline plan from a stored snapshot: nothing was asked).
 */
export interface EntraCheckSummary {
  status: 'passed' | 'failed' | 'skipped' | 'not_run';
  /** The authority asked (or that would be asked); the registries always name login.microsoftonline.com. */
  authority: string;
  message: string;
  field?: EntraCheckField;
  /** The Microsoft Graph application permissions the token carried. */
  roles?: string[];
}

export interface Plan {
  version: 1;
  instanceUrl: string;
  createdAt: string;
  /** When the snapshot the plan was made from was taken (its age is shown when planning offline). */
  snapshotAt: string;
  actions: PlanAction[];
  /** Optional (issue 10): the registry updates, present when the desired state has an Entra app. */
  registries?: RegistryAction[];
  /** Optional (issue 10): the Entra check's result, present when the desired state has an Entra app. */
  entraCheck?: EntraCheckSummary;
}

export function planSummary(plan: Plan): Record<PlanOp, number> {
  const counts: Record<PlanOp, number> = { create: 0, update: 0, noop: 0, blocked: 0, delete: 0 };
  for (const a of plan.actions) counts[a.op] += 1;
  for (const r of plan.registries ?? []) counts[r.op] += 1;
  return counts;
}

export function isBlocked(plan: Plan): boolean {
  return (
    plan.actions.some((a) => a.op === 'blocked') || (plan.registries ?? []).some((r) => r.op === 'blocked')
  );
}

/** Whether applying the plan would write anything. */
export function hasWrites(plan: Plan): boolean {
  return (
    plan.actions.some((a) => a.op === 'create' || a.op === 'update' || a.op === 'delete') ||
    (plan.registries ?? []).some((r) => r.op === 'update')
  );
}
