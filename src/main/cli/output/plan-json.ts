// The machine-readable shapes of `plan --json` and `apply --json`: one object with an `actions` array;
// every action has table, name, op and changes ({field: {before, after}}, only fields that change).
import type { ApplyRecord } from '../../../shared/domain/apply';
import type {
  EntraCheckSummary,
  FieldChange,
  Plan,
  PlanAction,
  PlanOp,
  RegistryAction,
  SecretOp,
} from '../../../shared/domain/plan';
import { planSummary } from '../../../shared/domain/plan';

export interface ActionJson {
  id: string;
  table: string;
  name: string;
  op: PlanOp;
  /** The existing record's sys_id (update, noop, adopted); null for a create until it is applied. */
  sys_id: string | null;
  changes: Record<string, FieldChange>;
  reason?: string;
  adopted_from?: string;
  notes: string[];
}

/** An Application Registry (issue 10): never a secret, only what happens to it. */
export interface RegistryJson {
  id: string;
  table: 'oauth_entity';
  name: string;
  grant: RegistryAction['grant'];
  op: RegistryAction['op'];
  sys_id: string | null;
  changes: Record<string, FieldChange>;
  /** set | replace | unchanged; null when blocked. */
  client_secret: SecretOp | null;
  reason?: string;
  notes: string[];
}

export interface PlanJson {
  instance: string;
  instance_url: string;
  created_at: string;
  snapshot_at: string;
  summary: Record<PlanOp, number>;
  actions: ActionJson[];
  /** Present when the desired state has an Entra app. */
  registries?: RegistryJson[];
  entra_check?: EntraCheckSummary;
}

export interface ApplyActionJson extends ActionJson {
  status: string;
  /** Whether the re-read record matched what was asked; null when it was never verified. */
  verified: boolean | null;
  mismatches: string[];
  error?: string;
}

export interface ApplyRegistryJson extends RegistryJson {
  status: string;
  verified: boolean | null;
  mismatches: string[];
  error?: string;
}

export interface ApplyJson {
  instance: string;
  instance_url: string;
  apply_id: string;
  kind: ApplyRecord['kind'];
  status: ApplyRecord['status'];
  actions: ApplyActionJson[];
  registries?: ApplyRegistryJson[];
  entra_check?: EntraCheckSummary;
  verification: ApplyRecord['verification'];
  next_steps: ApplyRecord['nextSteps'];
  requests: number;
}

/** Only the fields whose value changes (all of them for a create). */
export function changedFields(action: Pick<PlanAction, 'changes'>): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  for (const [field, change] of Object.entries(action.changes)) {
    if (change.before !== change.after) out[field] = { before: change.before, after: change.after };
  }
  return out;
}

export function actionToJson(action: PlanAction): ActionJson {
  return {
    id: action.id,
    table: action.table,
    name: action.name,
    op: action.op,
    sys_id: action.sysId,
    changes: changedFields(action),
    ...(action.reason ? { reason: action.reason } : {}),
    ...(action.adoptedFrom ? { adopted_from: action.adoptedFrom } : {}),
    notes: action.notes,
  };
}

export function registryToJson(registry: RegistryAction): RegistryJson {
  return {
    id: registry.id,
    table: registry.table,
    name: registry.name,
    grant: registry.grant,
    op: registry.op,
    sys_id: registry.sysId,
    changes: changedFields(registry),
    client_secret: registry.secret,
    ...(registry.reason ? { reason: registry.reason } : {}),
    notes: registry.notes,
  };
}

/** The Entra check, when the plan has one (a desired state with an Entra app). */
function entraCheckJson(plan: Plan): Pick<PlanJson, 'entra_check'> {
  const check = plan.entraCheck;
  return check ? { entra_check: check } : {};
}

export function planToCliJson(plan: Plan, instance: string): PlanJson {
  return {
    instance,
    instance_url: plan.instanceUrl,
    created_at: plan.createdAt,
    snapshot_at: plan.snapshotAt,
    summary: planSummary(plan),
    actions: plan.actions.map(actionToJson),
    ...(plan.registries ? { registries: plan.registries.map(registryToJson) } : {}),
    ...entraCheckJson(plan),
  };
}

export function applyToCliJson(plan: Plan, record: ApplyRecord, instance: string): ApplyJson {
  return {
    instance,
    instance_url: record.instanceUrl,
    apply_id: record.applyId,
    kind: record.kind,
    status: record.status,
    actions: plan.actions.map((action) => applyActionJson(action, record)),
    ...entraCheckJson(plan),
    ...(plan.registries
      ? { registries: plan.registries.map((registry) => applyRegistryJson(registry, record)) }
      : {}),
    verification: record.verification,
    next_steps: record.nextSteps,
    requests: record.requests,
  };
}

function applyActionJson(action: PlanAction, record: ApplyRecord): ApplyActionJson {
  const step = record.steps.find((s) => s.actionId === action.id);
  const result = record.records.find((r) => r.actionId === action.id);
  return {
    ...actionToJson(action),
    sys_id: step?.sysId ?? result?.sysId ?? action.sysId,
    status: step?.status ?? 'not_run',
    verified: result ? result.verified : null,
    mismatches: result?.mismatches ?? [],
    ...(step?.error ? { error: step.error.message } : {}),
  };
}

function applyRegistryJson(registry: RegistryAction, record: ApplyRecord): ApplyRegistryJson {
  const step = record.steps.find((s) => s.actionId === registry.id);
  const result = record.records.find((r) => r.actionId === registry.id);
  return {
    ...registryToJson(registry),
    sys_id: step?.sysId ?? result?.sysId ?? registry.sysId,
    status: step?.status ?? 'not_run',
    verified: result ? result.verified : null,
    mismatches: result?.mismatches ?? [],
    ...(step?.error ? { error: step.error.message } : {}),
  };
}
