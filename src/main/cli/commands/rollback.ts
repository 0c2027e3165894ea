// `spokesmith rollback <instance>`: undoes the last apply (records it created are removed, fields it
// changed are restored), after showing the rollback plan and confirming like apply.
import { planSummary } from '../../../shared/domain/plan';
import type { CommandContext, CommonOptions } from '../context';
import { CliFailure, EXIT, type ExitCode } from '../exit-codes';
import { applyToCliJson, planToCliJson } from '../output/plan-json';
import { renderApplyText, renderPlanText } from '../output/plan-text';
import { confirmOrStop, ensureConfirmable } from './confirmation';
import { prepare } from './prepare';
import { openSession } from './session';

export async function rollbackCommand(
  ctx: CommandContext,
  instance: string,
  options: CommonOptions & { yes?: boolean },
): Promise<ExitCode> {
  const { target, desired } = await prepare(ctx, instance, options);
  ensureConfirmable(ctx, options.yes, 'rollback');
  const record = await ctx.services.latestApply(target.dir);
  if (!record) {
    throw new CliFailure(
      EXIT.failed,
      `No apply is recorded for ${target.label} in this workspace: nothing to roll back.`,
    );
  }
  const session = await openSession(ctx, target, desired, options);
  const plan = ctx.services.planRollback(record, session.snapshot);
  const summary = planSummary(plan);
  const changes = plan.actions.filter((a) => a.op !== 'noop').length;
  if (!options.json || !options.yes) {
    const show = options.json ? ctx.err : ctx.out;
    show(ctx.style.bold(`Rollback of apply ${record.applyId} (${record.startedAt})`));
    for (const line of renderPlanText(plan, target.label, ctx.style)) show(line);
  }
  if (changes === 0) {
    if (options.json) ctx.json({ ...planToCliJson(plan, target.label), status: 'up_to_date' });
    else ctx.out('Nothing to roll back: the instance no longer has what that apply changed.');
    return EXIT.ok;
  }
  if (summary.blocked) {
    if (options.json) ctx.json({ ...planToCliJson(plan, target.label), status: 'blocked' });
    throw new CliFailure(
      EXIT.failed,
      'The rollback plan has blocked actions (see above); nothing was changed.',
    );
  }
  await confirmOrStop(ctx, options.yes, `Roll back ${changes} change(s) on ${target.label}?`);
  const result = await ctx.services.applyRollback({ client: session.client, dir: target.dir, record, plan });
  if (options.json) ctx.json(applyToCliJson(plan, result, target.label));
  else for (const line of renderApplyText(plan, result, target.label, ctx.style)) ctx.out(line);
  return result.status === 'succeeded' ? EXIT.ok : EXIT.failed;
}
