// Exit codes are part of the CLI's contract (scripts branch on them).
export const EXIT = {
  /** Done. */
  ok: 0,
  /** Something failed on the instance or on this machine. */
  failed: 1,
  /** Bad usage or invalid configuration: nothing was sent. */
  usage: 2,
  /** The instance is not ready: spoke, alias, OAuth profile or admin role missing. */
  notReady: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An expected failure: printed as its message alone (never a stack trace) and turned into its exit code.
 * `lines` are extra lines printed under the message (e.g. every config problem).
 */
export class CliFailure extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    readonly lines: string[] = [],
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

export const usageError = (message: string, lines: string[] = []) =>
  new CliFailure(EXIT.usage, message, lines);
