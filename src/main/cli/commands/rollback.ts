// `spokesmith rollback <instance>`: undoes the last apply (records it created are removed, fields it
// changed are restored), after showing the rollback plan and confirming like apply. The operations layer
// plans it from a fresh discovery and runs it under the instance lock.
import { rollbackInstance } from '../../operations';
import type { CommandContext, CommonOptions } from '../context';
import { CliFailure, EXIT, type ExitCode } from '../exit-codes';
import { connectInstance } from '../instance-target';
import { applyToCliJson, planToCliJson } from '../output/plan-json';
import { renderApplyText, renderPlanText } from '../output/plan-text';
import { confirmOrAnswer, ensureConfirmable } from './confirmation';
import { prepare } from './prepare';

export async function rollbackCommand(
  ctx: CommandContext,
  instance: string,
  options: CommonOptions & { yes?: boolean },
): Promise<ExitCode> {
  const { target, desired } = await prepare(ctx, instance, options);
  ensureConfirmable(ctx, options.yes, 'rollback');
  const { client } = await connectInstance(ctx, target);
  const show = options.json ? ctx.err : ctx.out;
  let shown = false;
  const result = await rollbackInstance({
    workspace: target.workspace,
    instanceId: target.id,
    client,
    desired,
    label: target.label,
    review: async (plan, undone) => {
      shown = true;
      if (!options.json || !options.yes) {
        show(ctx.style.bold(`Rollback of apply ${undone.applyId} (${undone.startedAt})`));
        for (const line of renderPlanText(plan, target.label, ctx.style)) show(line);
      }
      const changes = plan.actions.filter((a) => a.op !== 'noop').length;
      return confirmOrAnswer(ctx, options.yes, `Roll back ${changes} change(s) on ${target.label}?`);
    },
  });
  const { plan, undone } = result;
  if (!shown && (!options.json || !options.yes)) {
    show(ctx.style.bold(`Rollback of apply ${undone.applyId} (${undone.startedAt})`));
    for (const line of renderPlanText(plan, target.label, ctx.style)) show(line);
  }
  if (result.status === 'nothing_to_undo') {
    if (options.json) ctx.json({ ...planToCliJson(plan, target.label), status: 'up_to_date' });
    else ctx.out('Nothing to roll back: the instance no longer has what that apply changed.');
    return EXIT.ok;
  }
  if (result.status === 'blocked') {
    if (options.json) ctx.json({ ...planToCliJson(plan, target.label), status: 'blocked' });
    throw new CliFailure(
      EXIT.failed,
      'The rollback plan has blocked actions (see above); nothing was changed.',
    );
  }
  if (result.status === 'cancelled' || !result.record)
    throw new CliFailure(EXIT.failed, 'Cancelled: nothing was changed.');
  if (options.json) ctx.json(applyToCliJson(plan, result.record, target.label));
  else for (const line of renderApplyText(plan, result.record, target.label, ctx.style)) ctx.out(line);
  return result.record.status === 'succeeded' ? EXIT.ok : EXIT.failed;
}
