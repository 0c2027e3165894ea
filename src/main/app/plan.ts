// Planning in the window: validate both forms (field messages), check them against the last snapshot and
// build the plan — offline, from the stored snapshot, with its age so the UI can say how old it is.
import { validateDesiredState, type DesiredState, type FieldIssue } from '../../shared/domain/desired-state';
import type { Plan } from '../../shared/domain/plan';
import type { PlanView, SnapshotView } from '../../shared/ipc/contract';
import { AppError } from '../ipc/errors';
import { planFromSnapshot, storedSnapshot } from '../operations';
import type { AppContext } from './context';
import { checkAuthorityFor } from './entra';

export interface FormsInput {
  id: string;
  main: unknown;
  clientCred: unknown;
  /** The Entra app as the desired state takes it; absent: none (the registries are left alone). */
  entra?: unknown;
}

export async function createPlan(ctx: AppContext, input: FormsInput): Promise<PlanView> {
  await ctx.requireInstance(input.id);
  const checked = await checkForms(ctx, input);
  return { plan: checked.plan, issues: checked.issues, snapshotAgeSeconds: checked.snapshotAgeSeconds };
}

export interface CheckedForms {
  desired: DesiredState | null;
  plan: Plan | null;
  issues: FieldIssue[];
  snapshotAgeSeconds: number | null;
}

/** Validates the forms, then (if they are valid) checks them against the latest snapshot and plans. */
export async function checkForms(ctx: AppContext, input: FormsInput): Promise<CheckedForms> {
  const validated = validateDesiredState(desiredInput(input), ctx.now());
  if (!validated.desired) {
    const stored = await storedSnapshot(ctx.workspace(), input.id, ctx.now());
    return {
      desired: null,
      plan: null,
      issues: validated.issues,
      snapshotAgeSeconds: stored?.snapshotAgeSeconds ?? null,
    };
  }
  const instance = await ctx.requireInstance(input.id);
  // Offline: the plan says whether the secret is set, replaced or unchanged (a keychain fingerprint), and
  // that the Entra app was not checked here (Apply checks it before writing).
  const offline = await planFromSnapshot(ctx.workspace(), input.id, validated.desired, ctx.now(), {
    secrets: ctx.secrets.store,
    ...(validated.desired.entra ? { entraCheck: { authority: await checkAuthorityFor(ctx, instance) } } : {}),
  });
  if (!offline)
    throw new AppError('not_ready', 'Discover the instance first: the plan is made from what it holds.');
  const issues = [...validated.issues, ...offline.issues];
  const blocking = issues.some((i) => i.severity === 'error');
  return {
    desired: blocking ? null : validated.desired,
    plan: blocking ? null : offline.plan,
    issues,
    snapshotAgeSeconds: offline.snapshotAgeSeconds,
  };
}

/** The forms as validateDesiredState takes them; an Entra app only when one was sent. */
export function desiredInput(input: FormsInput): { main: unknown; clientCred: unknown; entra?: unknown } {
  return {
    main: input.main,
    clientCred: input.clientCred,
    ...(input.entra !== undefined && input.entra !== null ? { entra: input.entra } : {}),
  };
}

/** The last stored snapshot with its age: read from the workspace, never from the network. */
export async function getSnapshot(ctx: AppContext, id: string): Promise<SnapshotView> {
  await ctx.requireInstance(id);
  const stored = await storedSnapshot(ctx.workspace(), id, ctx.now());
  return { snapshot: stored?.snapshot ?? null, snapshotAgeSeconds: stored?.snapshotAgeSeconds ?? null };
}
