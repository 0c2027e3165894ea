// The machine-readable shapes of `plan --json` and `apply --json`: one object with an `actions` array;
// every action has table, name, op and changes ({field: {before, after}}, only fields that change).
import type { ApplyRecord } from '../../../shared/domain/apply';
import type { FieldChange, Plan, PlanAction, PlanOp } from '../../../shared/domain/plan';
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

export interface PlanJson {
  instance: string;
  instance_url: string;
  created_at: string;
  snapshot_at: string;
  summary: Record<PlanOp, number>;
  actions: ActionJson[];
}

export interface ApplyActionJson extends ActionJson {
  status: string;
  /** Whether the re-read record matched what was asked; null when it was never verified. */
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

export function planToCliJson(plan: Plan, instance: string): PlanJson {
  return {
    instance,
    instance_url: plan.instanceUrl,
    created_at: plan.createdAt,
    snapshot_at: plan.snapshotAt,
    summary: planSummary(plan),
    actions: plan.actions.map(actionToJson),
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
