// Connect and discover, for discover and plan: the operations layer reads the instance and keeps its
// snapshot and status (a saved instance's `instances list` then says the same after `plan a` as after
// the app's Discover). A not-ready instance (spoke, alias, OAuth profile or admin role missing) stops
// here with exit 3.
import type { DesiredState, FieldIssue } from '../../../shared/domain/desired-state';
import type { Plan } from '../../../shared/domain/plan';
import type { Snapshot } from '../../../shared/domain/snapshot';
import { discoverInstance, type EntraCheckRequest } from '../../operations';
import type { SecretStore } from '../../secrets/secret-store';
import type { CommandContext } from '../context';
import { CliFailure, EXIT } from '../exit-codes';
import { connectInstance, type InstanceTarget } from '../instance-target';

export interface Discovered {
  snapshot: Snapshot;
  plan: Plan;
  issues: FieldIssue[];
}

export async function discoverTarget(
  ctx: CommandContext,
  target: InstanceTarget,
  desired: DesiredState,
  options: { json?: boolean } = {},
  entra: { secrets?: SecretStore; entraCheck?: EntraCheckRequest } = {},
): Promise<Discovered> {
  const { client, userName } = await connectInstance(ctx, target);
  // With desired.entra: the keychain holding the client secret, and whether (where) to check the app.
  const { outcome, plan, issues } = await discoverInstance({
    workspace: target.workspace,
    instanceId: target.id,
    client,
    desired,
    userName,
    now: () => ctx.now(),
    ...entra,
  });
  if (!outcome.ok || !plan) {
    const message = outcome.ok ? 'discovery read nothing.' : outcome.message;
    if (options.json) {
      ctx.json({
        instance: target.label,
        instance_url: target.url,
        ready: false,
        reason: outcome.ok ? null : outcome.reason,
        message,
      });
    }
    throw new CliFailure(EXIT.notReady, `${target.label} is not ready: ${message}`);
  }
  return { snapshot: outcome.snapshot, plan, issues };
}
