// `spokesmith apply <instance>`: finish an interrupted apply first (if a kill or crash left one), plan,
// show the before/after, confirm, write, verify, and print the result with every record's sys_id and the
// next steps (OAuth tokens). An instance that does not answer is queued with --queue, else exit 1.
import type { ApplyRecord } from '../../../shared/domain/apply';
import { hasWrites, isBlocked, planSummary } from '../../../shared/domain/plan';
import type { CommandContext, CommonOptions } from '../context';
import type { DesiredOptions } from '../desired-source';
import { CliFailure, EXIT, usageError, type ExitCode } from '../exit-codes';
import { applyToCliJson, planToCliJson } from '../output/plan-json';
import { renderApplyText, renderPlanText } from '../output/plan-text';
import { UNREACHABLE_CODES, unreachableFailure, type ServiceNowFailure } from '../services';
import { confirmOrStop, ensureConfirmable } from './confirmation';
import { prepare, type Prepared } from './prepare';
import { queueApply } from './queue';
import { reportProgress, resumeIfUnfinished, resumedLine } from './resume';
import { makePlan, openSession, type Session } from './session';

export interface ApplyOptions extends CommonOptions, DesiredOptions {
  yes?: boolean;
  queue?: boolean;
}

export async function applyCommand(
  ctx: CommandContext,
  instance: string,
  options: ApplyOptions,
): Promise<ExitCode> {
  const prepared = await prepare(ctx, instance, options);
  const { target, desired } = prepared;
  if (options.queue && !target.saved) {
    throw usageError(
      `--queue needs a saved instance (the queue must know how to reach it later): ` +
        `spokesmith instances add NAME --url ${target.url} --user USER. Nothing was sent.`,
    );
  }
  ensureConfirmable(ctx, options.yes, 'apply');
  let resumed: ApplyRecord | null = null;
  let session: Session;
  try {
    session = await openSession(ctx, target, desired, {
      ...options,
      beforeDiscover: async (client) => {
        resumed = await resumeIfUnfinished(ctx, target, client, options);
      },
    });
  } catch (error) {
    const down = unreachableFailure(error);
    if (down) return unreachable(ctx, prepared, options, down);
    throw error;
  }
  const resumedJson = resumed ? { resumed: resumedSummary(resumed) } : {};
  const plan = makePlan(ctx, session, desired);
  const summary = planSummary(plan);

  if (!options.json || !options.yes) {
    // With --json the review goes to stderr so stdout stays one JSON document.
    const show = options.json ? ctx.err : ctx.out;
    for (const line of renderPlanText(plan, target.label, ctx.style)) show(line);
  }
  if (isBlocked(plan)) {
    if (options.json) ctx.json({ ...planToCliJson(plan, target.label), status: 'blocked', ...resumedJson });
    throw new CliFailure(
      EXIT.failed,
      `The plan for ${target.label} has blocked actions (see above); nothing was changed.`,
    );
  }
  if (!hasWrites(plan)) {
    if (options.json)
      ctx.json({ ...planToCliJson(plan, target.label), status: 'up_to_date', ...resumedJson });
    else
      ctx.out(
        ctx.style.green(
          resumed
            ? `${target.label} is up to date now that the interrupted apply is finished; nothing more to change.`
            : `${target.label} is already up to date; nothing to change.`,
        ),
      );
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
  if (options.json) ctx.json({ ...applyToCliJson(plan, record, target.label), ...resumedJson });
  else for (const line of renderApplyText(plan, record, target.label, ctx.style)) ctx.out(line);
  if (record.status === 'succeeded') return EXIT.ok;
  // Lost the instance mid-way: with --queue the rest runs (resumed first) when it answers again.
  const lost = record.steps.find((s) => s.error && UNREACHABLE_CODES.includes(s.error.code))?.error;
  if (lost && options.queue) {
    await queueApply(ctx, { ...prepared, failure: lost });
    ctx.err(`The rest of the apply is queued: run "spokesmith queue run" once ${target.label} answers.`);
  }
  return EXIT.failed;
}

async function unreachable(
  ctx: CommandContext,
  prepared: Prepared,
  options: ApplyOptions,
  failure: ServiceNowFailure,
): Promise<ExitCode> {
  const { target } = prepared;
  if (!options.queue) {
    throw new CliFailure(
      EXIT.failed,
      `${target.label} cannot be reached: ${failure.message} Nothing was changed.`,
      target.saved ? ['  To apply once it answers again: add --queue, then run "spokesmith queue run".'] : [],
    );
  }
  const entry = await queueApply(ctx, { ...prepared, failure });
  if (options.json) {
    ctx.json({
      instance: target.label,
      instance_url: target.url,
      status: 'queued',
      reason: failure.code,
      message: failure.message,
      queue_id: entry.id,
    });
  } else {
    ctx.out(`${target.label} cannot be reached: ${failure.message}`);
    ctx.out(
      ctx.style.yellow(
        'The apply is queued in the workspace. "spokesmith queue list" shows it; ' +
          '"spokesmith queue run" applies it once the instance answers.',
      ),
    );
  }
  return EXIT.ok;
}

function resumedSummary(record: ApplyRecord) {
  return { apply_id: record.applyId, status: record.status, message: resumedLine(record) };
}
