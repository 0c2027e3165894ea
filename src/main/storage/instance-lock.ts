// One writer per instance, across processes: the app, several CLI runs and scripts may share a workspace,
// and two applies on one instance at once create duplicate records (docs/reliability.md §5).
//
// The lock is proper-lockfile's: a folder created with mkdir (atomic on every filesystem we support) whose
// mtime the holder refreshes every staleMs / 2. A holder that died (SIGKILL, power loss) stops refreshing,
// and after staleMs the next caller takes the lock over. proper-lockfile removes the folder on release,
// so who holds it (pid, host, since when, doing what) is kept in a file beside it, written right after
// the folder is made; between the two a caller may find no holder file and says so.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import * as z from 'zod/mini';
import '../../shared/zod-english';
import { assertSafeToWrite } from './safe-path';

export const INSTANCE_LOCK_NAME = 'instance.lock';
export const INSTANCE_LOCK_HOLDER_NAME = 'instance.lock.holder.json';

/** How long a second caller waits for the holder to finish before refusing. */
export const DEFAULT_LOCK_WAIT_MS = 5_000;
/** A lock not refreshed for this long belongs to a process that is gone. */
export const DEFAULT_LOCK_STALE_MS = 10_000;
/** proper-lockfile refuses anything shorter (it refreshes every staleMs / 2, at least every second). */
export const MIN_LOCK_STALE_MS = 2_000;

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  what: string;
}

const LockHolderSchema = z.object({
  pid: z.int().check(z.positive()),
  host: z.string().check(z.maxLength(255)),
  startedAt: z.string().check(z.maxLength(64)),
  what: z.string().check(z.maxLength(200)),
});

export class InstanceBusyError extends Error {
  constructor(
    message: string,
    /** Who holds the lock; null when its holder file is missing or unreadable. */
    readonly holder: LockHolder | null,
    readonly instanceDir: string,
  ) {
    super(message);
    this.name = 'InstanceBusyError';
  }
}

export interface InstanceLock {
  readonly holder: LockHolder;
  /**
   * Set when the lock was lost while held (its folder removed or taken over, e.g. after the machine slept
   * longer than staleMs). Another process may now write to the instance: stop before the next write.
   */
  readonly compromised: Error | null;
  /** Throws `compromised` if the lock was lost; call before each write to the instance. */
  assertHeld(): void;
  /** Idempotent; never throws for a lock that was already lost. */
  release(): Promise<void>;
}

export interface AcquireInstanceLockOptions {
  waitMs?: number;
  staleMs?: number;
  now?: () => Date;
  /** Told once when the lock is lost while held (see InstanceLock.compromised). */
  onCompromised?: (error: Error) => void;
}

export const instanceLockPath = (instanceDir: string) => join(instanceDir, INSTANCE_LOCK_NAME);
export const instanceLockHolderPath = (instanceDir: string) => join(instanceDir, INSTANCE_LOCK_HOLDER_NAME);

export async function acquireInstanceLock(
  instanceDir: string,
  what: string,
  options: AcquireInstanceLockOptions = {},
): Promise<InstanceLock> {
  const waitMs = Math.max(0, options.waitMs ?? DEFAULT_LOCK_WAIT_MS);
  const staleMs = Math.max(options.staleMs ?? DEFAULT_LOCK_STALE_MS, MIN_LOCK_STALE_MS);
  const now = options.now ?? (() => new Date());
  const lockPath = instanceLockPath(instanceDir);
  const holderPath = instanceLockHolderPath(instanceDir);
  await mkdir(instanceDir, { recursive: true });

  let compromised: Error | null = null;
  let unlock: () => Promise<void>;
  try {
    unlock = await lockfile.lock(instanceDir, {
      lockfilePath: lockPath,
      // The folder exists (made above); resolving symlinks would lock a path outside the workspace.
      realpath: false,
      stale: staleMs,
      retries: retriesFor(waitMs),
      // proper-lockfile's default throws from a timer, which would crash the app: record it instead.
      onCompromised: (error) => {
        compromised = new Error(
          `The lock on ${describeInstance(instanceDir)} was lost while this process held it ` +
            `(${error.message}); another process may now be writing to the instance.`,
        );
        options.onCompromised?.(compromised);
      },
    });
  } catch (error) {
    if (codeOf(error) === 'ELOCKED') {
      const read = await readLockHolder(instanceDir);
      throw new InstanceBusyError(busyMessage(instanceDir, read, staleMs, now()), read.holder, instanceDir);
    }
    throw new Error(
      `Could not lock ${describeInstance(instanceDir)}: ${lockPath} could not be created or taken over ` +
        `(${(error as Error).message}). If no Spokesmith process is running, remove ${lockPath}.`,
    );
  }

  const holder: LockHolder = { pid: process.pid, host: hostname(), startedAt: now().toISOString(), what };
  try {
    await assertSafeToWrite(holderPath, instanceDir);
    await writeFileAtomic(holderPath, `${JSON.stringify(holder)}\n`, { mode: 0o600, fsync: false });
  } catch (error) {
    await unlock().catch(() => undefined);
    throw error;
  }

  let released = false;
  return {
    holder,
    get compromised() {
      return compromised;
    },
    assertHeld() {
      if (compromised) throw compromised;
    },
    async release() {
      if (released) return;
      released = true;
      if (compromised) return; // The folder and holder file may be another process's now.
      // The holder file goes first, while the lock is still ours, so it never names a process that left.
      await rm(holderPath, { force: true });
      try {
        await unlock();
      } catch (error) {
        if (codeOf(error) !== 'ERELEASED' && codeOf(error) !== 'ENOTACQUIRED') throw error;
      }
    },
  };
}

export interface HolderRead {
  holder: LockHolder | null;
  /** Why the holder is unknown, in plain words; null when it was read. */
  problem: string | null;
}

/** Who holds (or last held) the instance's lock, from the file beside it. Never throws for a bad file. */
export async function readLockHolder(instanceDir: string): Promise<HolderRead> {
  const file = instanceLockHolderPath(instanceDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return { holder: null, problem: `${file} does not exist` };
    return { holder: null, problem: `${file} could not be read (${codeOf(error) ?? 'error'})` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { holder: null, problem: `${file} is not valid JSON` };
  }
  const result = LockHolderSchema.safeParse(parsed);
  if (!result.success) return { holder: null, problem: `${file} does not name a pid, host, time and task` };
  return { holder: result.data, problem: null };
}

function busyMessage(instanceDir: string, read: HolderRead, staleMs: number, now: Date): string {
  const name = describeInstance(instanceDir);
  const takeover = `a process that stopped is taken over ${Math.round(staleMs / 1000)} s after its last sign of life`;
  if (!read.holder) {
    return (
      `${name} is busy: another Spokesmith process holds its lock (who is unknown: ${read.problem}). ` +
      `Try again when it has finished; ${takeover}.`
    );
  }
  const { pid, host, startedAt, what } = read.holder;
  const elsewhere = host === hostname() ? '' : ' (another computer)';
  return (
    `${name} is busy: ${clean(what)} by pid ${pid} on host ${clean(host)}${elsewhere} since ` +
    `${formatSince(startedAt, now)}. Try again when it has finished; ${takeover}.`
  );
}

function describeInstance(instanceDir: string): string {
  return `Instance "${basename(instanceDir)}"`;
}

/** "15:40:02 UTC" today, with the date otherwise; the raw text if it is not a time. */
function formatSince(startedAt: string, now: Date): string {
  const at = new Date(startedAt);
  if (Number.isNaN(at.getTime())) return clean(startedAt);
  const iso = at.toISOString();
  const time = `${iso.slice(11, 19)} UTC`;
  return iso.slice(0, 10) === now.toISOString().slice(0, 10) ? time : `${iso.slice(0, 10)} ${time}`;
}

/** The holder file is written by another process: keep control characters out of terminal messages. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Spread the bounded wait over evenly spaced attempts (retry's factor 1: no growing backoff). */
function retriesFor(waitMs: number) {
  if (waitMs === 0) return 0;
  const interval = Math.min(500, Math.max(50, Math.round(waitMs / 10)));
  return {
    retries: Math.max(1, Math.ceil(waitMs / interval)),
    factor: 1,
    minTimeout: interval,
    maxTimeout: interval,
  };
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { code?: string }).code : undefined;
}
