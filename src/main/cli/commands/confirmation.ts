// apply and rollback ask before writing (y/N on the terminal) unless --yes. Without a terminal and
// without --yes they stop with exit 2 before anything is sent.
import type { CommandContext } from '../context';
import { CliFailure, EXIT, usageError } from '../exit-codes';
import { canPrompt, confirm } from '../prompt';

export function ensureConfirmable(ctx: CommandContext, yes: boolean | undefined, verb: string): void {
  if (yes || canPrompt(ctx.io)) return;
  throw usageError(
    `${verb} changes the instance and needs a confirmation, but there is no terminal to ask on: ` +
      'pass --yes to confirm in advance. Nothing was sent.',
  );
}

export async function confirmOrStop(
  ctx: CommandContext,
  yes: boolean | undefined,
  question: string,
): Promise<void> {
  if (yes) return;
  if (!(await confirm(ctx.io, question).catch(() => false))) {
    throw new CliFailure(EXIT.failed, 'Cancelled: nothing was changed.');
  }
}

/** Asks (unless --yes) and answers whether to go on; a declined question is the caller's to report. */
export async function confirmOrAnswer(
  ctx: CommandContext,
  yes: boolean | undefined,
  question: string,
): Promise<boolean> {
  if (yes) return true;
  return confirm(ctx.io, question).catch(() => false);
}
