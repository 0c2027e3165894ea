// `spokesmith apply a,b,c` and `apply --all`: the same apply on many instances through the fleet runner
// (a few at a time, one instance's failure never stops the others), with a live display (one line per
// instance on a terminal, JSON lines otherwise) and a final summary. Exit 1 when any instance is not done.
import type { DesiredState } from '../../../shared/domain/desired-state';
import { runMany, type FleetProgress, type FleetTarget, type InstanceOutcome } from '../../fleet';
import { DEFAULT_CONCURRENCY } from '../../operations';
import type { CommandContext, CommonOptions } from '../context';
import { resolveDesired, type DesiredOptions } from '../desired-source';
import { resolveEntraCheck, type EntraOptions } from '../entra-options';
import { EXIT, type ExitCode } from '../exit-codes';
import { connectInstance, locateInstance, workspaceOf, type InstanceTarget } from '../instance-target';
import { countOps } from '../output/plan-text';
import { createProgressDisplay, type InstanceState } from '../output/progress';
import { renderTable } from '../output/text-table';
import { confirmOrStop, ensureConfirmable } from './confirmation';
import { nothingSent } from './prepare';
import { queueApply } from './queue';

export interface ApplyManyOptions extends CommonOptions, DesiredOptions, EntraOptions {
  yes?: boolean;
  all?: boolean;
  concurrency?: string;
  queue?: boolean;
}

export interface InstanceSummary {
  instance: string;
  url: string;
  status: InstanceOutcome['status'];
  created: number;
  updated: number;
  applyId: string | null;
  message: string;
}

export async function applyManyCommand(
  ctx: CommandContext,
  names: string[],
  options: ApplyManyOptions,
): Promise<ExitCode> {
  const problems: string[] = [];
  const concurrency = options.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) {
    problems.push(`  - --concurrency: "${options.concurrency}" is not a whole number from 1 to 32.`);
  }
  if ([options.entraTenant, options.entraClientId, options.entraSecretExpires].some((v) => v !== undefined)) {
    // Each instance keeps its own client secret in the keychain: one set of flags cannot name them all.
    problems.push(
      '  - --entra-tenant/--entra-client-id/--entra-secret-expires: give them with one instance at a time ' +
        '(spokesmith apply NAME …); for several, put "entra" in each instance\'s template.',
    );
  }
  // Where each instance's Entra app is checked (the same authority for all), or that none is.
  const check = resolveEntraCheck(options);
  problems.push(...check.problems);
  const workspace = await workspaceOf(ctx, options.workspace);
  const wanted = options.all ? workspace.instances.list().map((i) => i.id) : names;
  if (!wanted.length) {
    problems.push(
      options.all ? '  - --all: the workspace has no saved instances.' : '  - no instance given.',
    );
  }
  const targets: InstanceTarget[] = [];
  const desiredOf = new Map<string, DesiredState>();
  for (const name of wanted) {
    const located = locateInstance(workspace, name);
    problems.push(...located.problems.map((p) => `  - ${p}`));
    const target = located.target;
    if (!target || targets.some((t) => t.id === target.id)) continue;
    if (options.queue && !target.saved) {
      problems.push(`  - --queue: ${target.label} is not a saved instance (spokesmith instances add).`);
    }
    // Each instance's own template and variables, when it has them; else the config or the defaults.
    const resolved = await resolveDesired(ctx.io.cwd, workspace, target.saved, options, ctx.now());
    for (const p of resolved.problems) {
      const line = p.startsWith('  - ') && target.saved?.template ? `  - ${target.label}: ${p.slice(4)}` : p;
      if (!problems.includes(line)) problems.push(line);
    }
    if (resolved.desired) desiredOf.set(target.id, resolved.desired);
    targets.push(target);
  }
  if (problems.length) throw nothingSent(problems);
  ensureConfirmable(ctx, options.yes, 'apply');
  await confirmOrStop(
    ctx,
    options.yes,
    `Apply the desired state to ${targets.length} instance(s): ${targets.map((t) => t.label).join(', ')}?`,
  );
  // Credentials are gathered one instance at a time, before the run, so a prompt never races another.
  const manyTargets: FleetTarget[] = [];
  for (const target of targets) {
    const { client } = await connectInstance(ctx, target);
    manyTargets.push({ instanceId: target.id, client, desired: desiredOf.get(target.id)! });
  }

  const live = Boolean(ctx.io.stdout.isTTY) && !options.json;
  const labelOf = new Map(targets.map((t) => [t.id, t.label]));
  const display = createProgressDisplay(
    ctx.io.stdout,
    targets.map((t) => t.label),
    ctx.style,
    live,
  );
  // An instance whose desired state has an Entra app reads its client secret from the keychain.
  const needsSecrets = [...desiredOf.values()].some((d) => d.entra);
  const { outcomes } = await runMany({
    targets: manyTargets,
    concurrency,
    workspace,
    ...(needsSecrets ? { secrets: (await ctx.secrets()).store } : {}),
    entraCheck: check.entraCheck,
    onProgress: (p) =>
      display.update({ instance: labelOf.get(p.instanceId) ?? p.instanceId, ...progressLine(p) }),
  });
  display.finish();

  const summary = outcomes.map((o) =>
    summarize(
      o,
      targets.find((t) => t.id === o.instanceId),
    ),
  );
  const queued: string[] = [];
  if (options.queue) {
    for (const o of outcomes.filter((x) => x.status === 'unreachable')) {
      const target = targets.find((t) => t.id === o.instanceId)!;
      await queueApply(ctx, {
        target,
        desired: desiredOf.get(target.id)!,
        code: o.code,
        entraCheck: check.entraCheck,
      });
      queued.push(target.label);
    }
  }
  if (live) {
    ctx.out();
    for (const line of renderSummary(summary)) ctx.out(line);
    if (queued.length) {
      ctx.out(`Queued for when they answer: ${queued.join(', ')} ("spokesmith queue run" applies them).`);
    }
  } else {
    ctx.out(JSON.stringify({ event: 'summary', instances: summary, ...(options.queue ? { queued } : {}) }));
  }
  // Queued instances count as handled: the user asked for them to wait.
  return outcomes.every((o) => o.ok || (options.queue && o.status === 'unreachable')) ? EXIT.ok : EXIT.failed;
}

function progressLine(p: FleetProgress): { state: InstanceState; detail: string } {
  const step = p.total ? ` ${p.step}/${p.total}` : '';
  switch (p.phase) {
    case 'waiting':
      return { state: 'queued', detail: 'waiting' };
    case 'done':
      return { state: 'succeeded', detail: p.message };
    case 'failed':
      return { state: 'failed', detail: p.message };
    default:
      return { state: 'running', detail: `${p.phase}${step}` };
  }
}

function summarize(outcome: InstanceOutcome, target: InstanceTarget | undefined): InstanceSummary {
  const counts = outcome.record ? countOps(outcome.record) : { created: 0, updated: 0 };
  return {
    instance: target?.label ?? outcome.instanceId,
    url: target?.url ?? '',
    status: outcome.status,
    created: counts.created,
    updated: counts.updated,
    applyId: outcome.record?.applyId ?? null,
    message: outcome.message,
  };
}

export function renderSummary(rows: InstanceSummary[]): string[] {
  const done = rows.filter((r) => r.status === 'provisioned' || r.status === 'unchanged').length;
  return [
    ...renderTable(
      ['instance', 'result', 'created', 'updated', 'details'],
      rows.map((r) => [
        r.instance,
        r.status.replace('_', ' '),
        String(r.created),
        String(r.updated),
        r.message,
      ]),
    ),
    '',
    `${done} of ${rows.length} instance(s) done; ${rows.length - done} not done.`,
  ];
}
