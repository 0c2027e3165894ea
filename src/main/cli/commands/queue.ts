// The offline queue: applies asked for with `apply --queue` while an instance could not be reached
// (network, timeout, hibernating). `queue list` shows what waits and why (local files only); `queue run`
// probes each waiting instance once and runs the applies of those that answer, through the fleet's queue
// (which first resumes any apply a crash interrupted, then plans afresh and applies).
import type { DesiredState } from '../../../shared/domain/desired-state';
import type { CommandContext } from '../context';
import { EXIT, type ExitCode } from '../exit-codes';
import { connectInstance, workspaceDirOf } from '../instance-target';
import { renderTable } from '../output/text-table';
import type { Client, QueuedApply, WorkspaceView } from '../services';
import type { InstanceTarget } from '../instance-target';

/** Opens a client for a saved instance when the queue gets to it (credentials as for any command). */
export function queueConnector(ctx: CommandContext, workspace: WorkspaceView) {
  return async (instanceId: string): Promise<Client> => {
    const saved = await workspace.get(instanceId);
    if (!saved) throw new Error(`"${instanceId}" is no longer a saved instance of this workspace.`);
    const target: InstanceTarget = {
      id: saved.id,
      label: saved.name,
      url: saved.url,
      dir: workspace.instanceDir(saved.id),
      saved,
    };
    return (await connectInstance(ctx.services, ctx.io, target)).client;
  };
}

/** Queues an apply for an instance that did not answer; says so in plain words. */
export async function queueApply(
  ctx: CommandContext,
  input: {
    workspace: WorkspaceView;
    workspaceDir: string;
    target: InstanceTarget;
    desired: DesiredState;
    failure: { code: string; message: string };
  },
): Promise<QueuedApply> {
  const queue = await ctx.services.openQueue(input.workspaceDir, queueConnector(ctx, input.workspace));
  try {
    return await queue.enqueue(input.target.id, input.desired, input.failure.code);
  } finally {
    await queue.stop();
  }
}

export async function queueListCommand(
  ctx: CommandContext,
  options: { workspace?: string; json?: boolean },
): Promise<ExitCode> {
  const dir = workspaceDirOf(ctx.io, ctx.services, options.workspace);
  const workspace = await ctx.services.openWorkspace(dir);
  const queue = await ctx.services.openQueue(dir, queueConnector(ctx, workspace));
  const entries = queue.list();
  await queue.stop();
  const names = await nameMap(workspace);
  if (options.json) {
    ctx.json({ entries: entries.map((e) => ({ ...e, instance: names.get(e.instanceId) ?? e.instanceId })) });
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
  const dir = workspaceDirOf(ctx.io, ctx.services, options.workspace);
  const workspace = await ctx.services.openWorkspace(dir);
  const queue = await ctx.services.openQueue(dir, queueConnector(ctx, workspace));
  const names = await nameMap(workspace);
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
      waiting: still.map((e) => ({ ...e, instance: names.get(e.instanceId) ?? e.instanceId })),
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

function renderQueue(entries: QueuedApply[], names: Map<string, string>): string[] {
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

async function nameMap(workspace: WorkspaceView): Promise<Map<string, string>> {
  return new Map((await workspace.list()).map((i) => [i.id, i.name]));
}
