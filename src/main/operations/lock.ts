// One writer per instance. TEMPORARY in-process stand-in until src/main/storage/instance-lock.ts (the
// cross-process lock) is merged; the signature below is what every operation uses either way.
import { hostname } from 'node:os';
import { OperationError } from './errors';

export interface LockOptions {
  waitMs?: number;
  staleMs?: number;
  now?: () => Date;
}

export interface LockHolderView {
  pid: number;
  host: string;
  startedAt: string;
  what: string;
}

const held = new Map<string, LockHolderView>();

/** Runs `task` holding the instance's lock; a `busy` OperationError naming the holder when it is taken. */
export async function withInstanceLock<T>(
  dir: string,
  what: string,
  task: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const other = held.get(dir);
  if (other) throw busyError(other);
  held.set(dir, {
    pid: process.pid,
    host: hostname(),
    startedAt: (options.now ?? (() => new Date()))().toISOString(),
    what,
  });
  try {
    return await task();
  } finally {
    held.delete(dir);
  }
}

export function busyMessage(holder: LockHolderView | null): string {
  if (!holder)
    return 'Another Spokesmith operation is working on this instance; try again when it has finished.';
  return (
    `Another Spokesmith operation is working on this instance: ${holder.what}, process ${holder.pid} on ` +
    `${holder.host}, since ${holder.startedAt}. Try again when it has finished.`
  );
}

function busyError(holder: LockHolderView | null): OperationError {
  return new OperationError('busy', busyMessage(holder), holder);
}
