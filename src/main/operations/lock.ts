// One writer per instance, across processes (the app, CLI runs, scripts): every operation that writes to
// an instance — apply, resume, rollback, a queued apply — holds the instance's lock
// (src/main/storage/instance-lock.ts, proper-lockfile) from before its discovery to after its
// verification. A second one waits a short, bounded time, then refuses with `busy`, naming the holder.
// Because the lock covers an apply's whole journal, an unfinished journal found while holding it can
// only be a dead process's, so resuming it is safe.
import { hostname } from 'node:os';
import {
  acquireInstanceLock,
  DEFAULT_LOCK_STALE_MS,
  InstanceBusyError,
  type AcquireInstanceLockOptions,
  type InstanceLock,
  type LockHolder,
} from '../storage/instance-lock';
import { OperationError } from './errors';

export type LockOptions = Pick<AcquireInstanceLockOptions, 'waitMs' | 'staleMs' | 'now'>;

/** Runs `task` holding the instance's lock; a `busy` OperationError (details: the holder) when it is taken. */
export async function withInstanceLock<T>(
  dir: string,
  what: string,
  task: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  let lock: InstanceLock;
  try {
    lock = await acquireInstanceLock(dir, what, options);
  } catch (error) {
    if (!(error instanceof InstanceBusyError)) throw error;
    if (!holderIsGone(error.holder)) throw new OperationError('busy', error.message, error.holder);
    // The holder was a process on this computer that no longer exists (killed, crashed): its lock goes
    // stale when it stops being refreshed, so wait for that instead of refusing — never longer.
    const staleMs = options.staleMs ?? DEFAULT_LOCK_STALE_MS;
    try {
      lock = await acquireInstanceLock(dir, what, { ...options, waitMs: staleMs + 2_000 });
    } catch (again) {
      if (again instanceof InstanceBusyError) throw new OperationError('busy', again.message, again.holder);
      throw again;
    }
  }
  try {
    return await task();
  } finally {
    await lock.release();
  }
}

/** Whether the holder is a process of this computer that has exited (signal 0 only checks it exists). */
function holderIsGone(holder: LockHolder | null): boolean {
  if (!holder || holder.host !== hostname() || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'ESRCH';
  }
}
