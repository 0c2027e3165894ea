// The `spokesmith` command line. `main` never calls process.exit and never throws: it returns the exit
// code, so resources/bin/spokesmith.js and the tests (with captured streams) can run it alike.
import { CommanderError } from 'commander';
import { failureOf, OperationError } from '../operations';
import { StorageError } from '../storage/errors';
import { createContext } from './context';
import { CliFailure, EXIT, exitCodeOf, type ExitCode } from './exit-codes';
import { processIo, type CliIo } from './io';
import { buildProgram, commanderExit } from './program';

export type { CliIo } from './io';
export { EXIT } from './exit-codes';

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const ctx = createContext(io);
  let exitCode: ExitCode = EXIT.ok;
  const program = buildProgram(ctx, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(ctx.err, error, io);
  } finally {
    ctx.closeAll();
  }
}

function reportError(err: (line: string) => void, error: unknown, io: CliIo): ExitCode {
  if (error instanceof CommanderError) return commanderExit(error);
  if (error instanceof CliFailure) {
    err(`spokesmith: ${error.message}`);
    for (const line of error.lines) err(line);
    return error.exitCode;
  }
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
