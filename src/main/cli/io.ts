// The CLI's connection to the outside world, injected so tests can run `main()` in-process with
// captured streams and a fake TTY, and so nothing below `index.ts` touches `process` directly.
import type { Readable, Writable } from 'node:stream';
import type { OpenedSecretStore } from '../secrets/open-secret-store';

export type OutStream = Writable & { isTTY?: boolean; columns?: number };
export type InStream = Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /**
   * Resolves when a long-running command (`sim`) should stop. Defaults to the first SIGINT/SIGTERM;
   * tests pass their own promise.
   */
  stopRequested?: () => Promise<void>;
  /** Today, for what depends on the date (secret expiry); tests pass a fixed clock. Default: the system's. */
  now?: () => Date;
  /**
   * The keychain this run uses instead of opening the OS one. Tests pass a memory store that outlives one
   * run, as a keychain does (the OS keychain is a boundary we do not own).
   */
  keychain?: OpenedSecretStore;
}

export function processIo(): CliIo {
  ignoreClosedReader(process.stdout);
  ignoreClosedReader(process.stderr);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Opened on first use: Node builds process.stdin when it is first read (about 2 ms, more on a
    // terminal), and only a prompt reads it (issue 11).
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * `spokesmith apply … | head -1`: once the reader has gone, each write fails with EPIPE, which Node raises
 * as an unhandled 'error' event and so kills the process, half-way through an apply if that is where it
 * is. The output is lost anyway; the run must go on to its end (journal, verification, exit code).
 */
function ignoreClosedReader(stream: NodeJS.WriteStream): void {
  if (stream.listenerCount('error') > 0) return;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

export function writeLine(stream: OutStream, text = ''): void {
  stream.write(`${text}\n`);
}

/** Colour only on a terminal and when NO_COLOR is unset (https://no-color.org). */
export function useColor(io: CliIo): boolean {
  return Boolean(io.stdout.isTTY) && (io.env.NO_COLOR === undefined || io.env.NO_COLOR === '');
}
