// `spokesmith apply <instance>`: the operations layer's apply (finish an interrupted apply first, discover,
// plan, write, verify, keep snapshot and status), with the plan shown and confirmed in its review step.
// Prints the result with every record's sys_id and the next steps (OAuth tokens). An instance that does
// not answer is queued with --queue, else exit 1; another process writing to it: exit 4 (EXIT.busy).
import type { ApplyRecord } from '../../../shared/domain/apply';
import { formatIssue, type FieldIssue } from '../../../shared/domain/desired-state';
import { planSummary, type Plan } from '../../../shared/domain/plan';
import { reportData } from '../../../shared/domain/report';
import { applyInstance, pendingApply, type ApplyOutcome, type ApplyRequest } from '../../operations';
import type { CommandContext, CommonOptions } from '../context';
import type { DesiredOptions } from '../desired-source';
import { CliFailure, EXIT, usageError, type ExitCode } from '../exit-codes';
import type { EntraOptions } from '../entra-options';
import { ENTRA_SECRET_ENV, provideEntraSecret, REFUSED_SECRET_NOTE } from '../entra-secret-source';
import { connectInstance } from '../instance-target';
import { renderLeftToDo, renderWalkupFlows } from '../output/entra-text';
import { applyToCliJson, planToCliJson } from '../output/plan-json';
import { renderApplyText, renderPlanText } from '../output/plan-text';
import { confirmOrAnswer, ensureConfirmable } from './confirmation';
import { prepare, type Prepared } from './prepare';
import { reportProgress, resumedLine, type ApplyStepProgress } from './resume';

export interface ApplyOptions extends CommonOptions, DesiredOptions, EntraOptions {
  yes?: boolean;
  queue?: boolean;
}

export async function applyCommand(
  ctx: CommandContext,
  instance: string,
  options: ApplyOptions,
): Promise<ExitCode> {
  const prepared = await prepare(ctx, instance, options);
  const { target, desired, entraCheck } = prepared;
  if (options.queue && !target.saved) {
    throw usageError(
      `--queue needs a saved instance (the queue must know how to reach it later): ` +
        `spokesmith instances add NAME --url ${target.url} --user USER. Nothing was sent.`,
    );
  }
  ensureConfirmable(ctx, options.yes, 'apply');
  const { client, userName } = await connectInstance(ctx, target);
  // The operations read the client secret from this keychain when they check the app and write it, and
  // when they finish an interrupted apply whose registry write was unsettled (whatever is desired now).
  const provided = desired.entra ? await provideEntraSecret(ctx, target, desired.entra) : undefined;
  const secrets = provided
    ? provided.store
    : (await pendingApply(target.dir))
      ? (await ctx.secrets()).store
      : undefined;
  const say = options.json ? ctx.err : ctx.out;
  // The review (issues, then the plan) is shown once: before writing, or with the outcome.
  let shown = false;
  const show = (plan: Plan, issues: FieldIssue[]) => {
    shown = true;
    for (const issue of issues) ctx.err(`${issue.severity}: ${formatIssue(issue)}`);
    // With --json the review goes to stderr so stdout stays one JSON document.
    if (!options.json || !options.yes)
      for (const line of renderPlanText(plan, target.label, ctx.style)) say(line);
  };
  const request: ApplyRequest = {
    ...(secrets ? { secrets } : {}),
    entraCheck,
    now: () => ctx.now(),
    workspace: target.workspace,
    instanceId: target.id,
    client,
    desired,
    userName,
    onResuming: (applyId) =>
      say(
        ctx.style.yellow(
          `An earlier apply on ${target.label} (${applyId}) did not finish: resuming it first, so nothing is sent twice.`,
        ),
      ),
    onResumed: (record) => say(resumedLine(record)),
    ...(options.json ? {} : { onApplyProgress: (p: ApplyStepProgress) => reportProgress(ctx, p) }),
    review: async (plan, issues) => {
      show(plan, issues);
      const summary = planSummary(plan);
      return confirmOrAnswer(
        ctx,
        options.yes,
        `Apply ${summary.create} creation(s) and ${summary.update} update(s) to ${target.label}?`,
      );
    },
  };
  const outcome = await applyInstance(request);
  if (outcome.plan && !shown) show(outcome.plan, outcome.issues);
  if (await provided?.settle(outcome.plan?.entraCheck)) ctx.err(REFUSED_SECRET_NOTE);
  return render(ctx, prepared, options, outcome);
}

/** The outcome in words (or JSON) and its exit code. */
async function render(
  ctx: CommandContext,
  prepared: Prepared,
  options: ApplyOptions,
  outcome: ApplyOutcome,
): Promise<ExitCode> {
  const { target } = prepared;
  const resumedJson = outcome.resumed ? { resumed: resumedSummary(outcome.resumed) } : {};
  const plan = outcome.plan;
  switch (outcome.status) {
    case 'busy':
      throw new CliFailure(EXIT.busy, `${target.label}: ${outcome.message} Nothing was sent.`);
    case 'cancelled':
      throw new CliFailure(EXIT.failed, 'Cancelled: nothing was changed.');
    case 'not_ready':
      if (options.json) {
        ctx.json({
          instance: target.label,
          instance_url: target.url,
          ready: false,
          reason: outcome.code,
          message: outcome.message,
        });
      }
      throw new CliFailure(EXIT.notReady, `${target.label} is not ready: ${outcome.message}`);
    case 'blocked':
      if (options.json && plan)
        ctx.json({ ...planToCliJson(plan, target.label), status: 'blocked', ...resumedJson });
      throw new CliFailure(EXIT.failed, blockedMessage(outcome, target.label), secretHint(plan));
    case 'unchanged':
      if (options.json && plan)
        ctx.json({ ...planToCliJson(plan, target.label), status: 'up_to_date', ...resumedJson });
      else
        ctx.out(
          ctx.style.green(
            outcome.resumed
              ? `${target.label} is up to date now that the interrupted apply is finished; nothing more to change.`
              : `${target.label} is already up to date; nothing to change.`,
          ),
        );
      return EXIT.ok;
    default:
      break;
  }
  if (outcome.code === 'resume_failed') {
    throw new CliFailure(EXIT.failed, outcome.message, [
      '  Fix the cause, then run: spokesmith resume <instance>',
    ]);
  }
  const record = outcome.record;
  if (!record || !plan) {
    if (outcome.status === 'unreachable') return unreachable(ctx, prepared, options, outcome);
    throw new CliFailure(EXIT.failed, outcome.message);
  }
  const flows = outcome.walkup?.flows ?? [];
  // The same list the report ends with (one home: next-steps.ts whatIsLeft, through reportData).
  const todo = reportData(record, {
    instanceName: target.label,
    walkupFlows: outcome.walkup ? flows : null,
    secretExpires: prepared.desired.entra?.secretExpires ?? null,
    now: ctx.now(),
  }).leftToDo;
  if (options.json) {
    ctx.json({
      ...applyToCliJson(plan, record, target.label),
      ...(outcome.walkup ? { walkup_flows: flows } : {}),
      left_to_do: todo,
      ...resumedJson,
    });
  } else {
    for (const line of renderApplyText(plan, record, target.label, ctx.style)) ctx.out(line);
    const flowLines = renderWalkupFlows(flows, ctx.style);
    const tail = [...(flowLines.length ? ['', ...flowLines] : []), '', ...renderLeftToDo(todo, ctx.style)];
    for (const line of tail) ctx.out(line);
  }
  if (outcome.ok) return EXIT.ok;
  // Lost the instance mid-way: with --queue the rest runs (resumed first) when it answers again.
  if (outcome.status === 'unreachable' && options.queue) {
    await (await import('./queue')).queueApply(ctx, { ...prepared, code: outcome.code });
    ctx.err(`The rest of the apply is queued: run "spokesmith queue run" once ${target.label} answers.`);
  }
  return EXIT.failed;
}

async function unreachable(
  ctx: CommandContext,
  prepared: Prepared,
  options: ApplyOptions,
  outcome: ApplyOutcome,
): Promise<ExitCode> {
  const { target } = prepared;
  if (!options.queue) {
    throw new CliFailure(
      EXIT.failed,
      `${target.label} cannot be reached: ${outcome.message} Nothing was changed.`,
      target.saved ? ['  To apply once it answers again: add --queue, then run "spokesmith queue run".'] : [],
    );
  }
  // The offline queue (and the fleet code it runs on) loads only for an apply that queues: not for the
  // apply that reaches its instance (issue 11).
  const entry = await (await import('./queue')).queueApply(ctx, { ...prepared, code: outcome.code });
  if (options.json) {
    ctx.json({
      instance: target.label,
      instance_url: target.url,
      status: 'queued',
      reason: outcome.code,
      message: outcome.message,
      queue_id: entry.id,
    });
  } else {
    ctx.out(`${target.label} cannot be reached: ${outcome.message}`);
    ctx.out(
      ctx.style.yellow(
        'The apply is queued in the workspace. "spokesmith queue list" shows it; ' +
          '"spokesmith queue run" applies it once the instance answers.',
      ),
    );
  }
  return EXIT.ok;
}

/** Why nothing was written, in words: the Entra check, forms that do not fit, or blocked records. */
function blockedMessage(outcome: ApplyOutcome, label: string): string {
  // The operations' message says what failed and that nothing was written.
  if (outcome.code === 'entra_check_failed') return `${label}: ${outcome.message}`;
  return outcome.code === 'invalid_input'
    ? `The desired state does not fit ${label}: ${outcome.message} Nothing was changed.`
    : `The plan for ${label} has blocked actions (see above); nothing was changed.`;
}

/** A refused secret may be the one kept in the keychain (which is used without asking): how to replace it. */
function secretHint(plan: Plan | null): string[] {
  if (plan?.entraCheck?.status !== 'failed' || plan.entraCheck.field !== 'clientSecret') return [];
  return [
    `  To give another client secret (it replaces the one kept in the keychain): ${ENTRA_SECRET_ENV}=… spokesmith apply …`,
  ];
}

function resumedSummary(record: ApplyRecord) {
  return { apply_id: record.applyId, status: record.status, message: resumedLine(record) };
}
