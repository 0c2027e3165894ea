// Planning: validate both forms (field messages), check them against the last snapshot, then build the plan.
// Works offline from the stored snapshot; its age is returned so the UI can say how old it is.
import { validateDesiredState, type DesiredState, type FieldIssue } from '../../shared/domain/desired-state';
import type { Snapshot } from '../../shared/domain/snapshot';
import type { PlanView } from '../../shared/ipc/contract';
import { AppError } from '../ipc/errors';
import type { AppContext } from './context';

export interface FormsInput {
  id: string;
  main: unknown;
  clientCred: unknown;
}

export async function createPlan(ctx: AppContext, input: FormsInput): Promise<PlanView> {
  await ctx.requireInstance(input.id);
  const checked = await checkForms(ctx, input);
  if (!checked.desired || !checked.snapshot) {
    return { plan: null, issues: checked.issues, snapshotAgeSeconds: checked.snapshotAgeSeconds };
  }
  const plan = ctx.engine.buildPlan(checked.snapshot, checked.desired, ctx.now());
  return { plan, issues: checked.issues, snapshotAgeSeconds: checked.snapshotAgeSeconds };
}

export interface CheckedForms {
  desired: DesiredState | null;
  snapshot: Snapshot | null;
  issues: FieldIssue[];
  snapshotAgeSeconds: number | null;
}

/** Validates the forms, then (if they are valid) checks them against the latest snapshot. */
export async function checkForms(ctx: AppContext, input: FormsInput): Promise<CheckedForms> {
  const validated = validateDesiredState({ main: input.main, clientCred: input.clientCred });
  const snapshot = await ctx.workspace.latestSnapshot(input.id);
  const snapshotAgeSeconds = snapshot
    ? Math.max(0, Math.round((ctx.now().getTime() - Date.parse(snapshot.discoveredAt)) / 1000))
    : null;
  if (!validated.desired) return { desired: null, snapshot, issues: validated.issues, snapshotAgeSeconds };
  if (!snapshot) {
    throw new AppError('not_ready', 'Discover the instance first: the plan is made from what it holds.');
  }
  const issues = [...validated.issues, ...ctx.engine.checkAgainstSnapshot(validated.desired, snapshot)];
  const blocking = issues.some((i) => i.severity === 'error');
  return { desired: blocking ? null : validated.desired, snapshot, issues, snapshotAgeSeconds };
}
