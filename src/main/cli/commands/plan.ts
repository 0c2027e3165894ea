// `spokesmith plan <instance>`: the before/after of every record the apply would touch, the Application
// Registries included, and the Entra app check's result. Sends only reads (and the check's token request).
import type { CommandContext } from '../context';
import { provideEntraSecret, REFUSED_SECRET_NOTE } from '../entra-secret-source';
import { EXIT, type ExitCode } from '../exit-codes';
import { planToCliJson } from '../output/plan-json';
import { renderPlanText } from '../output/plan-text';
import { formatIssue } from '../../../shared/domain/desired-state';
import { pendingApply } from '../../operations';
import { discoverTarget } from './discovered';
import { prepare, type PrepareOptions } from './prepare';

export async function planCommand(
  ctx: CommandContext,
  instance: string,
  options: PrepareOptions,
): Promise<ExitCode> {
  const { target, desired, entraCheck } = await prepare(ctx, instance, options);
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
  // The registries' plan needs to know whether the secret would change, and the check needs the secret.
  const provided = desired.entra ? await provideEntraSecret(ctx, target, desired.entra) : undefined;
  const { plan, issues } = await discoverTarget(ctx, target, desired, options, {
    ...(provided ? { secrets: provided.store } : {}),
    entraCheck,
  });
  if (await provided?.settle(plan.entraCheck)) ctx.err(REFUSED_SECRET_NOTE);
  for (const issue of issues) ctx.err(`${issue.severity}: ${formatIssue(issue)}`);
  if (options.json) ctx.json(planToCliJson(plan, target.label));
  else for (const line of renderPlanText(plan, target.label, ctx.style)) ctx.out(line);
  // An apply of this plan would be refused: say so in the exit code, as apply would.
  return plan.entraCheck?.status === 'failed' ? EXIT.failed : EXIT.ok;
}
