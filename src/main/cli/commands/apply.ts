// `spokesmith apply <instance>`: plan, show the before/after, confirm, write, verify, and print the
// result with every record's sys_id and the next steps (OAuth tokens).
import { hasWrites, isBlocked, planSummary } from '../../../shared/domain/plan';
import type { CommandContext, CommonOptions } from '../context';
import { CliFailure, EXIT, type ExitCode } from '../exit-codes';
import { applyToCliJson, planToCliJson } from '../output/plan-json';
import { renderApplyText, renderPlanText } from '../output/plan-text';
import type { ApplyStepProgress } from '../services';
import { confirmOrStop, ensureConfirmable } from './confirmation';
import { prepare } from './prepare';
import { makePlan, openSession } from './session';

export interface ApplyOptions extends CommonOptions {
  yes?: boolean;
}

export async function applyCommand(
  ctx: CommandContext,
  instance: string,
  options: ApplyOptions,
): Promise<ExitCode> {
  const { target, desired } = await prepare(ctx, instance, options);
  ensureConfirmable(ctx, options.yes, 'apply');
  const session = await openSession(ctx, target, desired, options);
  const plan = makePlan(ctx, session, desired);
  const summary = planSummary(plan);

  if (!options.json || !options.yes) {
    // With --json the review goes to stderr so stdout stays one JSON document.
    const show = options.json ? ctx.err : ctx.out;
    for (const line of renderPlanText(plan, target.label, ctx.style)) show(line);
  }
  if (isBlocked(plan)) {
    if (options.json) ctx.json({ ...planToCliJson(plan, target.label), status: 'blocked' });
    throw new CliFailure(
      EXIT.failed,
      `The plan for ${target.label} has blocked actions (see above); nothing was changed.`,
    );
  }
  if (!hasWrites(plan)) {
    if (options.json) ctx.json({ ...planToCliJson(plan, target.label), status: 'up_to_date' });
    else ctx.out(ctx.style.green(`${target.label} is already up to date; nothing to change.`));
    return EXIT.ok;
  }

  await confirmOrStop(
    ctx,
    options.yes,
    `Apply ${summary.create} creation(s) and ${summary.update} update(s) to ${target.label}?`,
  );
  const record = await ctx.services.applyPlan({
    client: session.client,
    plan,
    dir: target.dir,
    onProgress: options.json ? undefined : (p) => reportProgress(ctx, p),
  });
  if (options.json) ctx.json(applyToCliJson(plan, record, target.label));
  else for (const line of renderApplyText(plan, record, target.label, ctx.style)) ctx.out(line);
  return record.status === 'succeeded' ? EXIT.ok : EXIT.failed;
}

function reportProgress(ctx: CommandContext, progress: ApplyStepProgress): void {
  if (progress.phase === 'written' || progress.phase === 'done') return;
  const where = progress.total ? ` [${progress.step}/${progress.total}]` : '';
  ctx.err(ctx.style.dim(`  ${progress.phase}${where} ${progress.message}`));
}
