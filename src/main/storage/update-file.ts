// Read–modify–write of a file several processes change (the instance list, templates, the queue, the
// app's settings): the change is made to what is on disk NOW, under a short lock on the file, so two
// processes adding an instance at once both keep theirs. Holding a copy in memory and writing it back
// (what Spokesmith did before) lost every change another process made in between (issue 8).
//
// The lock is proper-lockfile's `<file>.lock` folder (see src/main/storage/instance-lock.ts for how it
// works); it is held only for one read and one atomic write, so a waiter rarely waits long.
import lockfile from 'proper-lockfile';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FileProblemError, StorageError } from './errors';
import { isCode, readVersioned, writeEnvelope, type FileSpec } from './json-file';
import { assertSafeToWrite } from './safe-path';

export interface UpdateOptions {
  /** How long to wait for another process's change to the same file; generous, since each is short. */
  waitMs?: number;
  /** A lock not refreshed for this long belongs to a process that died mid-change. */
  staleMs?: number;
  /** The workspace the file must stay inside (see WriteOptions.root in json-file.ts). */
  root?: string;
}

export const DEFAULT_FILE_LOCK_WAIT_MS = 15_000;

export class FileBusyError extends StorageError {
  constructor(file: string) {
    super(
      file,
      `${file} is being changed by another Spokesmith process and stayed locked; nothing was changed. ` +
        `Try again; if no Spokesmith is running, remove ${file}.lock.`,
    );
    this.name = 'FileBusyError';
  }
}

/** Runs `fn` while holding the file's short lock (for a change that is not a write, e.g. removing it). */
export async function withFileLock<R>(
  file: string,
  fn: () => Promise<R>,
  options: UpdateOptions = {},
): Promise<R> {
  // Before anything is created next to it: a linked folder would put the lock (and the file) elsewhere.
  await assertSafeToWrite(file, options.root);
  await mkdir(dirname(file), { recursive: true });
  let unlock: () => Promise<void>;
  try {
    unlock = await lockfile.lock(file, {
      // The file itself may not exist yet; the lock folder sits beside it.
      realpath: false,
      lockfilePath: `${file}.lock`,
      stale: options.staleMs ?? 10_000,
      retries: retriesFor(options.waitMs ?? DEFAULT_FILE_LOCK_WAIT_MS),
      // Held for one read and one write: if it is lost meanwhile (the machine slept past staleMs) the
      // write still lands atomically; don't let proper-lockfile's default crash the process.
      onCompromised: () => undefined,
    });
  } catch (error) {
    if (isCode(error, 'ELOCKED')) throw new FileBusyError(file);
    throw error;
  }
  try {
    return await fn();
  } finally {
    await unlock().catch(() => undefined);
  }
}

/**
 * What an update does with the file's current content (null: the file does not exist): the new content,
 * or undefined to leave the file as it is. It may be async for a step that must happen under the same
 * lock as the write, between the check and the write (an instance's keychain entry:
 * src/main/workspace/instances-store.ts); it should stay short, since every other writer waits.
 */
export type Mutate<T> = (current: T | null) => T | undefined | Promise<T | undefined>;

/**
 * Applies `mutate` to the file's current content under its lock. A file this version cannot read is
 * never replaced: the update throws FileProblemError naming it. Resolves to the content after the update
 * (null: still absent).
 */
export async function updateVersioned<T>(
  file: string,
  spec: FileSpec<T>,
  mutate: Mutate<T>,
  options: UpdateOptions = {},
): Promise<T | null> {
  return withFileLock(
    file,
    async () => {
      const read = await readVersioned(file, spec, { unusable: 'leave' });
      if (!read.ok && !read.missing) throw new FileProblemError(read.problem);
      const current = read.ok ? read.value : null;
      const next = await mutate(current);
      if (next === undefined) return current;
      await writeEnvelope(file, spec, next, options.root ? { root: options.root } : {});
      return next;
    },
    options,
  );
}

/**
 * Folds the updates one process makes to one file into as few locked read–modify–writes as possible: a
 * fleet run setting 100 statuses at once must not take the lock 100 times, nor race itself for it.
 * Each update's `mutate` runs on the content its predecessors left; one that throws fails alone.
 */
export function createFileUpdater<T>(
  file: string,
  spec: FileSpec<T>,
  options: UpdateOptions & { onWritten?: (content: T | null) => void } = {},
) {
  interface Pending {
    mutate: Mutate<T>;
    resolve: (content: T | null) => void;
    reject: (error: unknown) => void;
  }
  let queue: Pending[] = [];
  let running: Promise<void> | null = null;

  const runBatch = async (batch: Pending[]) => {
    const failed = new Map<Pending, unknown>();
    try {
      const content = await updateVersioned(
        file,
        spec,
        async (current) => {
          let value = current;
          let changed = false;
          for (const pending of batch) {
            try {
              const next = await pending.mutate(value);
              if (next !== undefined) {
                value = next;
                changed = true;
              }
            } catch (error) {
              failed.set(pending, error);
            }
          }
          return changed ? (value ?? undefined) : undefined;
        },
        options,
      );
      options.onWritten?.(content);
      for (const pending of batch) {
        if (failed.has(pending)) pending.reject(failed.get(pending));
        else pending.resolve(content);
      }
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  };

  const drain = (): Promise<void> => {
    const batch = queue;
    queue = [];
    return runBatch(batch).then(() => {
      running = queue.length ? drain() : null;
      return running ?? undefined;
    });
  };

  return {
    file,
    update(mutate: Mutate<T>): Promise<T | null> {
      return new Promise<T | null>((resolve, reject) => {
        queue.push({ mutate, resolve, reject });
        // Started on the next microtask, so updates asked for in one go share one locked write.
        running ??= Promise.resolve().then(drain);
      });
    },
  };
}
export type FileUpdater<T> = ReturnType<typeof createFileUpdater<T>>;

/** Evenly spaced attempts with a little jitter, so 20 waiting processes don't retry in lockstep. */
function retriesFor(waitMs: number) {
  if (waitMs <= 0) return 0;
  const interval = Math.min(100, Math.max(10, Math.round(waitMs / 20)));
  return {
    retries: Math.max(1, Math.ceil(waitMs / interval)),
    factor: 1,
    minTimeout: interval,
    maxTimeout: interval * 2,
    randomize: true,
  };
}
