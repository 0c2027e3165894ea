// The `spokesmith` command line. `main` never calls process.exit and never throws: it returns the exit
// code, so resources/bin/spokesmith.js and the tests (with captured streams) can run it alike.
//
// Start only what the command needs (issue 11): this module and program.ts load commander and the
// command list alone. The context (workspace, keychain, ServiceNow client) and each command's module are
// imported when a command runs, and the error classes of the layers below only when something failed,
// so `--version`, `--help` and a usage error never load the engine, got, zod or the simulator
// (test/integration/cli/lazy-load.test.ts).
import { CommanderError } from 'commander';
import type { CommandContext } from './context';
import { CliFailure, EXIT, exitCodeOf, type ExitCode } from './exit-codes';
import { processIo, writeLine, type CliIo } from './io';
import { terminalSafeLine } from './output/terminal-text';
import { buildProgram, commanderExit } from './program';

export type { CliIo } from './io';
export { EXIT } from './exit-codes';

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let opened: Promise<CommandContext> | undefined;
  const context = () => (opened ??= import('./context').then(({ createContext }) => createContext(io)));
  let exitCode: ExitCode = EXIT.ok;
  const program = buildProgram(io, context, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return await reportError(error, io);
  } finally {
    // A context that failed to open has already failed its command; there is nothing to close.
    if (opened) (await opened.catch(() => null))?.closeAll();
  }
}

async function reportError(error: unknown, io: CliIo): Promise<ExitCode> {
  // Text may quote an instance or a shared file: no control character reaches the terminal raw.
  const err = (line: string) => writeLine(io.stderr, terminalSafeLine(line));
  if (error instanceof CommanderError) return commanderExit(error);
  if (error instanceof CliFailure) {
    err(`spokesmith: ${error.message}`);
    for (const line of error.lines) err(line);
    return error.exitCode;
  }
  const { failureOf, OperationError } = await import('../operations');
  const { StorageError } = await import('../storage/errors');
  if (error instanceof OperationError) {
    err(`spokesmith: ${error.message}`);
    return exitCodeOf(error);
  }
  if (error instanceof StorageError) {
    // A workspace file that is unreadable, linked out of the workspace or locked: the message names it.
    err(`spokesmith: ${error.message}`);
    return EXIT.failed;
  }
  const failure = failureOf(error);
  if (failure) {
    // The client's messages are plain words and secret-free by contract; no stack for expected failures.
    err(`spokesmith: ${failure.message}`);
    return EXIT.failed;
  }
  err(`spokesmith: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  if (io.env.SPOKESMITH_DEBUG && error instanceof Error && error.stack) error.stack.split('\n').forEach(err);
  return EXIT.failed;
}
