// Connect, discover and plan: the shared middle of discover, plan, apply and rollback. A not-ready
// instance (spoke, alias, OAuth profile or admin role missing) stops here with exit 3.
import type { DesiredState } from '../../../shared/domain/desired-state';
import { formatIssue } from '../../../shared/domain/desired-state';
import type { Plan } from '../../../shared/domain/plan';
import type { Snapshot } from '../../../shared/domain/snapshot';
import type { CommandContext } from '../context';
import { CliFailure, EXIT } from '../exit-codes';
import { connectInstance, type InstanceTarget } from '../instance-target';
import type { Client } from '../services';

export interface Session {
  client: Client;
  snapshot: Snapshot;
}

export async function openSession(
  ctx: CommandContext,
  target: InstanceTarget,
  desired: DesiredState,
  options: { json?: boolean; beforeDiscover?: (client: Client) => Promise<void> } = {},
): Promise<Session> {
  const { client, userName } = await connectInstance(ctx.services, ctx.io, target);
  await options.beforeDiscover?.(client);
  const outcome = await ctx.services.discover(client, desired, userName);
  if (!outcome.ok) {
    if (options.json) {
      ctx.json({
        instance: target.label,
        instance_url: target.url,
        ready: false,
        reason: outcome.reason,
        message: outcome.message,
      });
    }
    throw new CliFailure(EXIT.notReady, `${target.label} is not ready: ${outcome.message}`);
  }
  return { client, snapshot: outcome.snapshot };
}

/** Plans against the snapshot; instance-aware problems are printed (warnings) or block (errors). */
export function makePlan(ctx: CommandContext, session: Session, desired: DesiredState): Plan {
  const checks = ctx.services.checkAgainstSnapshot(desired, session.snapshot);
  for (const issue of checks) ctx.err(`${issue.severity}: ${formatIssue(issue)}`);
  return ctx.services.buildPlan(session.snapshot, desired, new Date());
}
