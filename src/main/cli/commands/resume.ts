// Resuming an apply that did not finish (the process was killed, the machine crashed): the engine's
// journal says what was sent; the resume settles writes that were in flight by re-reading, runs what is
// left and verifies, so nothing is ever sent twice. `spokesmith resume <instance>` does only that;
// `spokesmith apply` does it first, then plans and applies what remains.
import type { ApplyRecord } from '../../../shared/domain/apply';
import type { Plan } from '../../../shared/domain/plan';
import type { CommandContext } from '../context';
import { CliFailure, EXIT, type ExitCode } from '../exit-codes';
import { connectInstance, requireInstance, type InstanceTarget } from '../instance-target';
import { applyToCliJson } from '../output/plan-json';
import { countOps, renderApplyText } from '../output/plan-text';
import type { ApplyStepProgress, Client } from '../services';

/** Finishes the instance's unfinished apply, if any, saying so; a resume that fails stops the command. */
export async function resumeIfUnfinished(
  ctx: CommandContext,
  target: InstanceTarget,
  client: Client,
  options: { json?: boolean },
): Promise<ApplyRecord | null> {
  const pending = await ctx.services.unfinishedApply(target.dir);
  if (!pending) return null;
  const say = options.json ? ctx.err : ctx.out;
  say(
    ctx.style.yellow(
      `An earlier apply on ${target.label} (${pending}) did not finish: resuming it first, so nothing is sent twice.`,
    ),
  );
  const record = await ctx.services.resumeApply({
    client,
    dir: target.dir,
    onProgress: options.json ? undefined : (p) => reportProgress(ctx, p),
  });
  if (!record) return null;
  say(resumedLine(record));
  if (record.status !== 'succeeded') {
    const error = record.steps.find((s) => s.error)?.error?.message;
    throw new CliFailure(
      EXIT.failed,
      `The interrupted apply ${record.applyId} could not be finished${error ? `: ${error}` : '.'}`,
      ['  Nothing new was planned or sent. Fix the cause, then run: spokesmith resume <instance>'],
    );
  }
  return record;
}

export function resumedLine(record: ApplyRecord): string {
  const { created, updated } = countOps(record);
  const verified = record.verification?.ok ? ', verified' : '';
  return `Resumed apply ${record.applyId}: ${record.status} (${created} created, ${updated} updated${verified}).`;
}

export async function resumeCommand(
  ctx: CommandContext,
  instance: string,
  options: { workspace?: string; json?: boolean },
): Promise<ExitCode> {
  const target = await requireInstance(
    ctx.io,
    ctx.services,
    instance,
    options.workspace,
    'Nothing was sent:',
  );
  // Local files only: no credentials are asked and nothing is sent when there is nothing to resume.
  // An explicit resume also takes up the latest apply when it failed (e.g. a 403 fixed since).
  const pending = await ctx.services.unfinishedApply(target.dir, { includeFailed: true });
  if (!pending) {
    if (options.json) ctx.json({ instance: target.label, status: 'nothing_to_resume' });
    else
      ctx.out(
        `Nothing to resume on ${target.label}: every apply recorded in this workspace finished, and the last one succeeded.`,
      );
    return EXIT.ok;
  }
  const { client } = await connectInstance(ctx.services, ctx.io, target);
  if (!options.json) ctx.out(`Resuming apply ${pending} on ${target.label}…`);
  const record = await ctx.services.resumeApply({
    client,
    dir: target.dir,
    onProgress: options.json ? undefined : (p) => reportProgress(ctx, p),
    reopenFailed: true,
  });
  if (!record) {
    if (options.json) ctx.json({ instance: target.label, status: 'nothing_to_resume' });
    else ctx.out('Nothing was left to resume.');
    return EXIT.ok;
  }
  // The journal keeps the plan the apply started with; the record carries it.
  const plan = record.plan as Plan;
  if (options.json) ctx.json({ ...applyToCliJson(plan, record, target.label), resumed: true });
  else for (const line of renderApplyText(plan, record, target.label, ctx.style)) ctx.out(line);
  return record.status === 'succeeded' ? EXIT.ok : EXIT.failed;
}

export function reportProgress(ctx: CommandContext, progress: ApplyStepProgress): void {
  if (progress.phase === 'written' || progress.phase === 'done') return;
  const where = progress.total ? ` [${progress.step}/${progress.total}]` : '';
  ctx.err(ctx.style.dim(`  ${progress.phase}${where} ${progress.message}`));
}
