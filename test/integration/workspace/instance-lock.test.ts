// The instance lock across REAL processes: a second process is refused with the holder named, a killed
// holder is taken over once its lock goes stale, a corrupt holder file or another host's lock gives a
// clear message, and a release lets a waiting process in.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, rmdir, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foldJournal, journalPath, openJournal, readJournal } from '../../../src/main/engine/journal';
import {
  acquireInstanceLock,
  InstanceBusyError,
  instanceLockHolderPath,
  instanceLockPath,
  readLockHolder,
  type LockHolder,
} from '../../../src/main/storage/instance-lock';

const CHILD = join(import.meta.dirname, 'fixtures', 'lock-child.ts');

interface ChildEvent {
  event: 'acquired' | 'busy' | 'released' | 'error';
  holder?: LockHolder | null;
  message?: string;
}

interface Child {
  proc: ChildProcess;
  next(): Promise<ChildEvent>;
  exited: Promise<number | null>;
}

let dir = '';
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'spokesmith-lock-')), 'instances', 'acme-dev');
  await mkdir(dir, { recursive: true });
});
afterEach(async () => {
  for (const proc of children.splice(0)) {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }
  await rm(join(dir, '..', '..'), { recursive: true, force: true });
});

function startChild(env: Record<string, string> = {}): Child {
  // node + tsx's loader directly (not `npx tsx`): SIGKILL must reach the process holding the lock.
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, LOCK_DIR: dir, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(proc);
  const events: ChildEvent[] = [];
  const waiters: ((e: ChildEvent) => void)[] = [];
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as ChildEvent;
    const waiter = waiters.shift();
    if (waiter) waiter(event);
    else events.push(event);
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    proc,
    exited,
    next: () => {
      const queued = events.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise<ChildEvent>((resolve, reject) => {
        waiters.push(resolve);
        void exited.then((code) => reject(new Error(`child exited (${code}) before its next event`)));
      });
    },
  };
}

async function holdInChild(env: Record<string, string> = {}): Promise<{ child: Child; holder: LockHolder }> {
  const child = startChild({ LOCK_WHAT: 'apply', ...env });
  const event = await child.next();
  expect(event.event).toBe('acquired');
  return { child, holder: event.holder! };
}

/** What a lock folder looks like once its holder has not refreshed it for a minute. */
async function ageLock(seconds = 60): Promise<void> {
  const past = new Date(Date.now() - seconds * 1000);
  await utimes(instanceLockPath(dir), past, past);
}

const NOON = () => new Date('2026-12-06T12:00:00Z');
const LATER = () => new Date('2030-01-01T12:00:00Z');

describe('instance lock across processes', () => {
  it('refuses a second process, naming the holder, what it does and since when', async () => {
    const { child, holder } = await holdInChild();
    expect(holder.pid).toBe(child.proc.pid);
    expect(holder.host).toBe(hostname());

    const second = startChild({ LOCK_WHAT: 'rollback' });
    const refused = await second.next();
    expect(refused.event).toBe('busy');
    expect(refused.holder).toEqual(holder);
    expect(refused.message).toContain(`Instance "acme-dev" is busy: apply by pid ${holder.pid} on host`);
    expect(refused.message).toContain(`since ${holder.startedAt.slice(11, 19)} UTC`);
    expect(await second.exited).toBe(3);

    // The same in this process, with the holder's start time on another day shown with its date.
    const error = await acquireInstanceLock(dir, 'drift', { waitMs: 0, now: LATER }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstanceBusyError);
    expect((error as InstanceBusyError).holder).toEqual(holder);
    expect((error as Error).message).toContain(`since ${holder.startedAt.slice(0, 10)} `);
  });

  it('lets a waiting process in when the holder releases', async () => {
    const { child } = await holdInChild();
    // Bounded wait far longer than the release takes: the waiter is refused only if release never comes.
    const waiter = acquireInstanceLock(dir, 'resume', { waitMs: 20_000 });
    child.proc.stdin!.write('release\n');
    expect((await child.next()).event).toBe('released');
    const lock = await waiter;
    expect((await readLockHolder(dir)).holder).toEqual(lock.holder);
    expect(lock.holder.pid).toBe(process.pid);
    await lock.release();
    await expect(readFile(instanceLockHolderPath(dir))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes over the lock of a SIGKILLed holder once it stops being refreshed', async () => {
    const { child, holder } = await holdInChild({ LOCK_STALE_MS: '2000' });
    child.proc.kill('SIGKILL');
    await child.exited;

    // Judged with a long staleness the dead holder's lock is still fresh: refused, the dead holder named.
    const refused = await acquireInstanceLock(dir, 'apply', { waitMs: 0, staleMs: 60_000 }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(InstanceBusyError);
    expect((refused as InstanceBusyError).holder).toEqual(holder);

    // With the shortest staleness proper-lockfile allows, the next process waits (bounded) and takes over
    // as soon as the killed holder has missed its refreshes for 2 s.
    const next = startChild({ LOCK_STALE_MS: '2000', LOCK_WAIT_MS: '20000', LOCK_WHAT: 'resume' });
    const taken = await next.next();
    expect(taken.event).toBe('acquired');
    expect(taken.holder!.pid).toBe(next.proc.pid);
    expect((await readLockHolder(dir)).holder).toEqual(taken.holder);
  });

  it('gives a clear message for a corrupt or missing holder file, and takes a stale lock over', async () => {
    const { child } = await holdInChild();
    await writeFile(instanceLockHolderPath(dir), '{"pid": "not json');
    const corrupt = await acquireInstanceLock(dir, 'apply', { waitMs: 0 }).catch((e: unknown) => e);
    expect(corrupt).toBeInstanceOf(InstanceBusyError);
    expect((corrupt as InstanceBusyError).holder).toBeNull();
    expect((corrupt as Error).message).toContain('another Spokesmith process holds its lock');
    expect((corrupt as Error).message).toContain(`${instanceLockHolderPath(dir)} is not valid JSON`);

    await rm(instanceLockHolderPath(dir));
    const missing = await acquireInstanceLock(dir, 'apply', { waitMs: 0 }).catch((e: unknown) => e);
    expect((missing as Error).message).toContain(`${instanceLockHolderPath(dir)} does not exist`);

    child.proc.kill('SIGKILL');
    await child.exited;
    await writeFile(instanceLockHolderPath(dir), '\u0000garbage');
    await ageLock();
    const lock = await acquireInstanceLock(dir, 'apply', { waitMs: 0 });
    expect((await readLockHolder(dir)).holder).toEqual(lock.holder);
    await lock.release();
  });

  it('names a lock left by another host, and takes it over once stale', async () => {
    await mkdir(instanceLockPath(dir));
    const foreign: LockHolder = {
      pid: 4242,
      host: 'build-server-7',
      startedAt: '2026-12-06T11:58:30.000Z',
      what: 'queue drain',
    };
    await writeFile(instanceLockHolderPath(dir), JSON.stringify(foreign));
    const refused = await acquireInstanceLock(dir, 'apply', { waitMs: 0, now: NOON }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(InstanceBusyError);
    expect((refused as Error).message).toBe(
      'Instance "acme-dev" is busy: queue drain by pid 4242 on host build-server-7 (another computer) ' +
        'since 11:58:30 UTC. Try again when it has finished; a process that stopped is taken over 10 s ' +
        'after its last sign of life.',
    );

    await ageLock();
    const lock = await acquireInstanceLock(dir, 'apply', { waitMs: 0 });
    expect(lock.holder.host).toBe(hostname());
    await lock.release();
  });

  it('reports a lost (compromised) lock to its holder instead of crashing', async () => {
    let told: (error: Error) => void = () => undefined;
    const lost = new Promise<Error>((resolve) => (told = resolve));
    const lock = await acquireInstanceLock(dir, 'apply', { staleMs: 2000, onCompromised: (e) => told(e) });
    expect(() => lock.assertHeld()).not.toThrow();
    await rmdir(instanceLockPath(dir)); // e.g. someone cleaned the folder while the apply ran.

    const error = await lost; // proper-lockfile notices at its next refresh (every second here).
    expect(error.message).toContain('Instance "acme-dev" was lost while this process held it');
    expect(lock.compromised).toBe(error);
    expect(() => lock.assertHeld()).toThrow(error);

    // Someone else holds it now; releasing the lost lock must not remove their lock or holder file.
    const other = await acquireInstanceLock(dir, 'resume', { waitMs: 0 });
    await lock.release();
    expect((await readLockHolder(dir)).holder).toEqual(other.holder);
    await expect(acquireInstanceLock(dir, 'apply', { waitMs: 0 })).rejects.toBeInstanceOf(InstanceBusyError);
    await other.release();
  });

  it('explains a lock path that is not a lock folder', async () => {
    await writeFile(instanceLockPath(dir), 'not a folder');
    await ageLock();
    await expect(acquireInstanceLock(dir, 'apply', { waitMs: 0 })).rejects.toThrow(
      `Could not lock Instance "acme-dev": ${instanceLockPath(dir)} could not be created or taken over`,
    );
  });
});

describe('journal start line', () => {
  it('records the writing process, the same pid and host the instance lock names', async () => {
    const lock = await acquireInstanceLock(dir, 'apply', { waitMs: 0 });
    const journal = await openJournal(dir, 'a1');
    await journal.append({
      t: 'start',
      applyId: 'a1',
      kind: 'apply',
      instanceUrl: 'https://acme-dev.service-now.com',
      startedAt: '2026-12-06T12:00:00.000Z',
      plan: {},
    });
    await journal.close();
    const start = foldJournal((await readJournal(journalPath(dir, 'a1'))).entries).start!;
    expect({ pid: start.pid, host: start.host }).toEqual({ pid: lock.holder.pid, host: lock.holder.host });
    expect(start.pid).toBe(process.pid);
    expect(start.host).toBe(hostname());
    await lock.release();
  });
});
