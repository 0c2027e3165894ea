// The offline queue: applies asked for with `apply --queue` while an instance could not be reached
// (network, timeout, hibernating). `queue list` shows what waits and why (local files only); `queue run`
// probes each waiting instance once and runs the applies of those that answer, through the fleet's queue
// (each one the operations layer's apply: resume first, plan afresh, write, verify, under the lock).
import type { DesiredState } from '../../../shared/domain/desired-state';
import type { QueueEntry } from '../../../shared/workspace/schemas';
import { createOfflineQueue, queueUnreachable, type OfflineQueue } from '../../fleet';
import type { SecretStore } from '../../secrets/secret-store';
import type { Workspace } from '../../workspace';
import type { EntraCheckRequest } from '../../operations';
import type { CommandContext } from '../context';
import { EXIT, type ExitCode } from '../exit-codes';
import { connectInstance, locateInstance, workspaceOf, type InstanceTarget } from '../instance-target';
import { renderTable } from '../output/text-table';

/**
 * The workspace's queue; a saved instance's client is opened when the queue gets to it. `secrets`: the
 * keychain, for `queue run` (a queued apply with an Entra app reads its client secret from it).
 */
function openQueue(ctx: CommandContext, workspace: Workspace, secrets?: SecretStore): OfflineQueue {
  return createOfflineQueue({
    workspace,
    ...(secrets ? { secrets } : {}),
    connect: async (instanceId) => {
      const { target } = locateInstance(workspace, instanceId);
      if (!target?.saved) throw new Error(`"${instanceId}" is no longer a saved instance of this workspace.`);
      return (await connectInstance(ctx, target)).client;
    },
  });
}

/** Queues an apply for an instance that did not answer (one sentence of status, as the app does). */
export async function queueApply(
  ctx: CommandContext,
  input: {
    target: InstanceTarget;
    desired: DesiredState;
    code: string | null;
    /** Travels with the entry: a declined check stays declined when the queue applies it later. */
    entraCheck?: EntraCheckRequest;
  },
): Promise<QueueEntry> {
  const queue = openQueue(ctx, input.target.workspace);
  try {
    const { entry } = await queueUnreachable(queue, input.target.workspace, {
      instanceId: input.target.id,
      name: input.target.label,
      desired: input.desired,
      code: input.code,
      ...(input.entraCheck !== undefined ? { entraCheck: input.entraCheck } : {}),
    });
    return entry;
  } finally {
    await queue.stop();
  }
}

export async function queueListCommand(
  ctx: CommandContext,
  options: { workspace?: string; json?: boolean },
): Promise<ExitCode> {
  const workspace = await workspaceOf(ctx, options.workspace);
  const queue = openQueue(ctx, workspace);
  const entries = queue.list();
  await queue.stop();
  const names = nameMap(workspace);
  if (options.json) {
    ctx.json({
      entries: entries.map((e) => ({ ...queuedJson(e), instance: names.get(e.instanceId) ?? e.instanceId })),
    });
    return EXIT.ok;
  }
  if (!entries.length) {
    ctx.out('The queue is empty: no apply is waiting for an instance.');
    return EXIT.ok;
  }
  for (const line of renderQueue(entries, names)) ctx.out(line);
  return EXIT.ok;
}

export async function queueRunCommand(
  ctx: CommandContext,
  options: { workspace?: string; json?: boolean },
): Promise<ExitCode> {
  const workspace = await workspaceOf(ctx, options.workspace);
  const queue = openQueue(ctx, workspace, (await ctx.secrets()).store);
  const names = nameMap(workspace);
  const waiting = queue.list().filter((e) => e.status === 'waiting');
  if (!waiting.length) {
    await queue.stop();
    if (options.json) ctx.json({ ran: [], waiting: [] });
    else ctx.out('Nothing is waiting in the queue.');
    return EXIT.ok;
  }
  if (!options.json) {
    ctx.out(
      `Checking ${waiting.length} queued instance(s): ${waiting.map((e) => names.get(e.instanceId) ?? e.instanceId).join(', ')}`,
    );
  }
  const outcomes = await queue.drainNow();
  await queue.stop();
  const still = queue.list().filter((e) => e.status === 'waiting');
  const failed = outcomes.filter((o) => !o.ok && o.status !== 'unreachable');
  if (options.json) {
    ctx.json({
      ran: outcomes.map((o) => ({
        instance: names.get(o.instanceId) ?? o.instanceId,
        status: o.status,
        ok: o.ok,
        message: o.message,
        apply_id: o.record?.applyId ?? null,
      })),
      waiting: still.map((e) => ({ ...queuedJson(e), instance: names.get(e.instanceId) ?? e.instanceId })),
    });
  } else {
    for (const o of outcomes) {
      const name = names.get(o.instanceId) ?? o.instanceId;
      const text = `  ${name}: ${o.status.replace('_', ' ')} — ${o.message}`;
      ctx.out(o.ok ? ctx.style.green(text) : ctx.style.red(text));
    }
    for (const e of still) {
      ctx.out(
        ctx.style.yellow(
          `  ${names.get(e.instanceId) ?? e.instanceId}: still waiting — ${e.lastError ?? e.reason}`,
        ),
      );
    }
    ctx.out(
      still.length
        ? `${still.length} apply(s) still wait; run "spokesmith queue run" again once the instance answers.`
        : 'The queue has nothing left waiting.',
    );
  }
  return failed.length || still.length ? EXIT.failed : EXIT.ok;
}

/** An entry as --json shows it: everything but the desired state it will apply. */
function queuedJson(e: QueueEntry) {
  return {
    id: e.id,
    instanceId: e.instanceId,
    status: e.status,
    reason: e.reason,
    requestedAt: e.requestedAt,
    attempts: e.attempts,
    lastAttemptAt: e.lastAttemptAt,
    nextAttemptAt: e.nextAttemptAt,
    lastError: e.lastError,
    applyId: e.applyId,
  };
}

function renderQueue(entries: QueueEntry[], names: Map<string, string>): string[] {
  return renderTable(
    ['instance', 'status', 'why', 'requested', 'attempts', 'last error'],
    entries.map((e) => [
      names.get(e.instanceId) ?? e.instanceId,
      e.status,
      e.reason,
      e.requestedAt.replace('T', ' ').slice(0, 19),
      String(e.attempts),
      e.lastError ?? '',
    ]),
  );
}

function nameMap(workspace: Workspace): Map<string, string> {
  return new Map(workspace.instances.list().map((i) => [i.id, i.name]));
}
