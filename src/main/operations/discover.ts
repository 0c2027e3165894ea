// Discovery: read the instance, keep the snapshot, and leave the status the discovery implies (not ready,
// or what the plan against the desired state says). The app's Discover, the CLI's discover and plan, the
// fleet's plan all come here; apply and rollback discover afresh with discoverFresh.
import type { DesiredState, FieldIssue } from '../../shared/domain/desired-state';
import type { Plan } from '../../shared/domain/plan';
import { buildPlan } from '../../shared/domain/planner';
import { checkAgainstSnapshot } from '../../shared/domain/instance-checks';
import type { EngineClient } from '../engine/client';
import { discover, type DiscoverOutcome } from '../engine/discover';
import type { SecretStore } from '../secrets/secret-store';
import type { Workspace } from '../workspace';
import { keepSnapshot, keepStatus } from './bookkeeping';
import { checkEntra, entraInputs, type EntraCheckRequest } from './entra';
import { failureOf } from './errors';
import { isUnreachableCode } from './rules';
import { statusFromNotReady, statusFromPlan } from './status';

export type { DiscoverOutcome } from '../engine/discover';

/** One discovery, nothing kept (the caller keeps what it needs). */
export function discoverFresh(
  client: EngineClient,
  desired: DesiredState,
  userName?: string,
): Promise<DiscoverOutcome> {
  return discover(client, { desired, ...(userName ? { userName } : {}) });
}

export interface Discovered {
  outcome: DiscoverOutcome;
  /** The plan against the desired state when the instance is ready. */
  plan: Plan | null;
  /** Instance-aware checks of the desired state, when the instance is ready. */
  issues: FieldIssue[];
}

export async function discoverInstance(input: {
  workspace: Workspace;
  instanceId: string;
  client: EngineClient;
  desired: DesiredState;
  userName?: string;
  now?: () => Date;
  /** The keychain, for the Entra client secret (see InstanceRun.secrets). */
  secrets?: SecretStore;
  /** Where the Entra app is checked (default login.microsoftonline.com); false: declined. */
  entraCheck?: EntraCheckRequest;
}): Promise<Discovered> {
  const { workspace, instanceId, desired } = input;
  // The Entra check asks the customer's tenant, not the instance: it runs while discovery reads.
  const entra = desired.entra ? await entraInputs(input.secrets, instanceId) : null;
  const checking =
    desired.entra && entra ? checkEntra(desired.entra, entra.secret, input.entraCheck) : undefined;
  let outcome: DiscoverOutcome;
  try {
    outcome = await discoverFresh(input.client, input.desired, input.userName);
  } catch (error) {
    await checking;
    const failure = failureOf(error);
    // Not answering says nothing new about the instance's records: the status stays, the reason is shown.
    if (failure) {
      await keepStatus(
        workspace,
        instanceId,
        isUnreachableCode(failure.code)
          ? { statusMessage: failure.message }
          : { status: 'failed', statusMessage: failure.message },
      );
    }
    throw error;
  }
  const check = await checking;
  await keepSnapshot(workspace, instanceId, outcome.snapshot);
  if (!outcome.ok) {
    await keepStatus(workspace, instanceId, statusFromNotReady(outcome.reason, outcome.message));
    return { outcome, plan: null, issues: [] };
  }
  const plan: Plan = {
    ...buildPlan(
      outcome.snapshot,
      desired,
      (input.now ?? (() => new Date()))(),
      entra ? { entraSecret: entra.state } : {},
    ),
    ...(check ? { entraCheck: check } : {}),
  };
  await keepStatus(workspace, instanceId, statusFromPlan(plan));
  return { outcome, plan, issues: checkAgainstSnapshot(input.desired, outcome.snapshot) };
}
