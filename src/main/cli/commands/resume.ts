// Resuming an apply that did not finish (the process was killed, the machine crashed): the engine's
// journal says what was sent; the resume settles writes that were in flight by re-reading, runs what is
// left and verifies, so nothing is ever sent twice. `spokesmith resume <instance>` does only that;
// `spokesmith apply` does it first, then plans and applies what remains.
import type { ApplyProgress, ApplyRecord } from '../../../shared/domain/apply';
import type { Plan } from '../../../shared/domain/plan';
import { pendingApply, resumeInstance } from '../../operations';
import type { CommandContext } from '../context';
import { EXIT, type ExitCode } from '../exit-codes';
import { connectInstance, requireInstance } from '../instance-target';
import { applyToCliJson } from '../output/plan-json';
import { countOps, renderApplyText } from '../output/plan-text';

/** Apply progress as the engine reports it (the instance is known to the caller). */
export type ApplyStepProgress = Omit<ApplyProgress, 'instanceId'>;

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
  const target = await requireInstance(ctx, instance, options.workspace, 'Nothing was sent:');
  // Local files only: no credentials are asked and nothing is sent when there is nothing to resume.
  // An explicit resume also takes up the latest apply when it failed (e.g. a 403 fixed since).
  const pending = await pendingApply(target.dir, { includeFailed: true });
  if (!pending) {
    if (options.json) ctx.json({ instance: target.label, status: 'nothing_to_resume' });
    else
      ctx.out(
        `Nothing to resume on ${target.label}: every apply recorded in this workspace finished, and the last one succeeded.`,
      );
    return EXIT.ok;
  }
  const { client } = await connectInstance(ctx, target);
  if (!options.json) ctx.out(`Resuming apply ${pending} on ${target.label}…`);
  // Under the instance lock: a journal another live process is writing is never "resumed" (exit 4).
  const record = await resumeInstance({
    workspace: target.workspace,
    instanceId: target.id,
    client,
    // An unsettled registry write is sent again with the Entra client secret read afresh from here.
    secrets: (await ctx.secrets()).store,
    ...(options.json ? {} : { onApplyProgress: (p: ApplyStepProgress) => reportProgress(ctx, p) }),
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
