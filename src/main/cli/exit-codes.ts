// Exit codes are part of the CLI's contract (scripts branch on them).
import type { OperationError } from '../operations';

export const EXIT = {
  /** Done. */
  ok: 0,
  /** Something failed on the instance or on this machine. */
  failed: 1,
  /** Bad usage or invalid configuration: nothing was sent. */
  usage: 2,
  /** The instance is not ready: spoke, alias, OAuth profile or admin role missing. */
  notReady: 3,
  /**
   * Another Spokesmith operation (the app, another CLI run) is writing to the instance; this one waited
   * a short while and sent nothing. The message names the holder (process, host, what, since when).
   */
  busy: 4,
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

/** The exit code of an operations-layer error (the app answers the same codes as AppErrors). */
export function exitCodeOf(error: OperationError): ExitCode {
  switch (error.code) {
    case 'invalid_input':
      return EXIT.usage;
    case 'not_found':
      return EXIT.failed;
    case 'not_ready':
      return EXIT.notReady;
    case 'busy':
      return EXIT.busy;
    case 'queued':
      return EXIT.ok;
    case 'keychain':
      return EXIT.failed;
    // Another process saved the instance while this run was verifying: nothing stored; run it again.
    case 'conflict':
      return EXIT.failed;
  }
}
