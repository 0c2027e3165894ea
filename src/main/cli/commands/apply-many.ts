// `spokesmith apply a,b,c` and `apply --all`: the same apply on many instances, a few at a time, with a
// live display (one line per instance on a terminal, JSON lines otherwise) and a final summary.
// Exit 1 when any instance failed or was not ready.
import type { DesiredState } from '../../../shared/domain/desired-state';
import { hasWrites, isBlocked } from '../../../shared/domain/plan';
import type { CommandContext, CommonOptions } from '../context';
import { CliFailure, EXIT, usageError, type ExitCode } from '../exit-codes';
import {
  connectInstance,
  locateInstance,
  workspaceDirOf,
  type Connection,
  type InstanceTarget,
} from '../instance-target';
import { countOps } from '../output/plan-text';
import { createProgressDisplay, type InstanceProgress } from '../output/progress';
import { renderTable } from '../output/text-table';
import { loadDesiredState } from '../desired-config';
import { failureOf } from '../services';
import { confirmOrStop, ensureConfirmable } from './confirmation';
import { runWithConcurrency } from './concurrency';

export interface ApplyManyOptions extends CommonOptions {
  yes?: boolean;
  all?: boolean;
  concurrency?: string;
}

export interface InstanceOutcome {
  instance: string;
  url: string;
  status: 'succeeded' | 'up_to_date' | 'failed' | 'not_ready' | 'blocked';
  created: number;
  updated: number;
  failedSteps: number;
  applyId: string | null;
  message: string;
}

export async function applyManyCommand(
  ctx: CommandContext,
  names: string[],
  options: ApplyManyOptions,
): Promise<ExitCode> {
  const problems: string[] = [];
  const concurrency = options.concurrency === undefined ? 4 : Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) {
    problems.push(`  - --concurrency: "${options.concurrency}" is not a whole number from 1 to 32.`);
  }
  let desired: DesiredState | undefined;
  try {
    desired = (await loadDesiredState(options.config, ctx.io.cwd)).desired;
  } catch (error) {
    if (!(error instanceof CliFailure)) throw error;
    problems.push(error.message, ...error.lines);
  }
  const workspace = await ctx.services.openWorkspace(workspaceDirOf(ctx.io, ctx.services, options.workspace));
  const wanted = options.all ? (await workspace.list()).map((i) => i.id) : names;
  if (!wanted.length)
    problems.push(
      options.all ? '  - --all: the workspace has no saved instances.' : '  - no instance given.',
    );
  const targets: InstanceTarget[] = [];
  for (const name of wanted) {
    const located = await locateInstance(ctx.services, workspace, name);
    problems.push(...located.problems.map((p) => `  - ${p}`));
    if (located.target && !targets.some((t) => t.id === located.target?.id)) targets.push(located.target);
  }
  if (problems.length || !desired) throw usageError('Nothing was sent:', problems);
  ensureConfirmable(ctx, options.yes, 'apply');
  await confirmOrStop(
    ctx,
    options.yes,
    `Apply the desired state to ${targets.length} instance(s): ${targets.map((t) => t.label).join(', ')}?`,
  );
  // Credentials are gathered one instance at a time, before the run, so a prompt never races another.
  const connections = new Map<string, Connection>();
  for (const target of targets)
    connections.set(target.id, await connectInstance(ctx.services, ctx.io, target));

  const live = Boolean(ctx.io.stdout.isTTY) && !options.json;
  const display = createProgressDisplay(
    ctx.io.stdout,
    targets.map((t) => t.label),
    ctx.style,
    live,
  );
  const outcomes = await runWithConcurrency(targets, concurrency, async (target) => {
    const update = (state: InstanceProgress['state'], detail: string) =>
      display.update({ instance: target.label, state, detail });
    const outcome = await applyOne(ctx, target, connections.get(target.id)!, desired!, (detail) =>
      update('running', detail),
    );
    update(
      outcome.status === 'succeeded' || outcome.status === 'up_to_date'
        ? 'succeeded'
        : outcome.status === 'not_ready'
          ? 'not_ready'
          : 'failed',
      outcome.message,
    );
    return outcome;
  });
  display.finish();

  if (live) {
    ctx.out();
    for (const line of renderSummary(outcomes)) ctx.out(line);
  } else {
    ctx.out(JSON.stringify({ event: 'summary', instances: outcomes }));
  }
  const failed = outcomes.filter((o) => o.status !== 'succeeded' && o.status !== 'up_to_date');
  // Any instance not done (failed, blocked or not ready) fails the run: the summary says which and why.
  return failed.length ? EXIT.failed : EXIT.ok;
}

/** One instance, start to end, never throwing: every failure becomes its outcome. */
export async function applyOne(
  ctx: CommandContext,
  target: InstanceTarget,
  { client, userName }: Connection,
  desired: DesiredState,
  progress: (detail: string) => void,
): Promise<InstanceOutcome> {
  const base = {
    instance: target.label,
    url: target.url,
    created: 0,
    updated: 0,
    failedSteps: 0,
    applyId: null,
  };
  try {
    progress('discovering');
    const outcome = await ctx.services.discover(client, desired, userName);
    if (!outcome.ok) return { ...base, status: 'not_ready', message: outcome.message };
    const plan = ctx.services.buildPlan(outcome.snapshot, desired, new Date());
    if (isBlocked(plan)) {
      const reasons = plan.actions.filter((a) => a.op === 'blocked').map((a) => a.reason ?? a.name);
      return { ...base, status: 'blocked', message: `blocked: ${reasons.join('; ')}` };
    }
    if (!hasWrites(plan)) return { ...base, status: 'up_to_date', message: 'up to date' };
    const record = await ctx.services.applyPlan({
      client,
      plan,
      dir: target.dir,
      onProgress: (p) => progress(p.total ? `${p.phase} ${p.step}/${p.total}` : p.phase),
    });
    const counts = countOps(record);
    const ok = record.status === 'succeeded';
    const firstError = record.steps.find((s) => s.error)?.error?.message;
    return {
      ...base,
      status: ok ? 'succeeded' : 'failed',
      created: counts.created,
      updated: counts.updated,
      failedSteps: counts.failed,
      applyId: record.applyId,
      message: ok
        ? `${counts.created} created, ${counts.updated} updated, verified`
        : (firstError ?? 'the apply did not finish; see its report'),
    };
  } catch (error) {
    return { ...base, status: 'failed', message: failureOf(error)?.message ?? plainMessage(error) };
  }
}

function plainMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function renderSummary(outcomes: InstanceOutcome[]): string[] {
  const ok = outcomes.filter((o) => o.status === 'succeeded' || o.status === 'up_to_date').length;
  return [
    ...renderTable(
      ['instance', 'result', 'created', 'updated', 'details'],
      outcomes.map((o) => [
        o.instance,
        o.status.replace('_', ' '),
        String(o.created),
        String(o.updated),
        o.message,
      ]),
    ),
    '',
    `${ok} of ${outcomes.length} instance(s) done; ${outcomes.length - ok} failed.`,
  ];
}
