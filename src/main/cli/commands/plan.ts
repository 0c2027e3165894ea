// `spokesmith plan <instance>`: the before/after of every record the apply would touch. Sends only reads.
import type { CommandContext, CommonOptions } from '../context';
import { EXIT, type ExitCode } from '../exit-codes';
import { planToCliJson } from '../output/plan-json';
import { renderPlanText } from '../output/plan-text';
import { prepare } from './prepare';
import { makePlan, openSession } from './session';

export async function planCommand(
  ctx: CommandContext,
  instance: string,
  options: CommonOptions,
): Promise<ExitCode> {
  const { target, desired } = await prepare(ctx, instance, options);
  const session = await openSession(ctx, target, desired, options);
  const plan = makePlan(ctx, session, desired);
  if (options.json) ctx.json(planToCliJson(plan, target.label));
  else for (const line of renderPlanText(plan, target.label, ctx.style)) ctx.out(line);
  return EXIT.ok;
}
