// `spokesmith plan <instance>`: the before/after of every record the apply would touch. Sends only reads.
import type { CommandContext, CommonOptions } from '../context';
import type { DesiredOptions } from '../desired-source';
import { EXIT, type ExitCode } from '../exit-codes';
import { planToCliJson } from '../output/plan-json';
import { renderPlanText } from '../output/plan-text';
import { formatIssue } from '../../../shared/domain/desired-state';
import { pendingApply } from '../../operations';
import { discoverTarget } from './discovered';
import { prepare } from './prepare';

export async function planCommand(
  ctx: CommandContext,
  instance: string,
  options: CommonOptions & DesiredOptions,
): Promise<ExitCode> {
  const { target, desired } = await prepare(ctx, instance, options);
  const pending = await pendingApply(target.dir);
  if (pending) {
    // The plan below ignores what that apply may have written; apply (or resume) settles it first.
    ctx.err(
      ctx.style.yellow(
        `note: apply ${pending} on ${target.label} did not finish; "spokesmith apply" resumes it before ` +
          'applying this plan (or run "spokesmith resume").',
      ),
    );
  }
  const { plan, issues } = await discoverTarget(ctx, target, desired, options);
  for (const issue of issues) ctx.err(`${issue.severity}: ${formatIssue(issue)}`);
  if (options.json) ctx.json(planToCliJson(plan, target.label));
  else for (const line of renderPlanText(plan, target.label, ctx.style)) ctx.out(line);
  return EXIT.ok;
}
