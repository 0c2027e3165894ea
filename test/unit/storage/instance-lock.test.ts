// The instance lock's rules within one process, where each can be driven step by step: how long a second
// caller waits and how often it tries (proper-lockfile's retry and refresh timers are faked, so no test
// races a clock), what a release removes and what it leaves to the next holder, what the holder file says
// and how a bad one is reported, and the words of the busy message. The same lock across real processes:
// test/integration/workspace/instance-lock.test.ts.
import { mkdir, mkdtemp, readFile, rm, rmdir, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  acquireInstanceLock,
  DEFAULT_LOCK_WAIT_MS,
  InstanceBusyError,
  instanceLockHolderPath,
  instanceLockPath,
  readLockHolder,
  type InstanceLock,
  type LockHolder,
} from '../../../src/main/storage/instance-lock';
import { UnsafePathError } from '../../../src/main/storage/safe-path';

let root = '';
let dir = '';
const held: InstanceLock[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'spokesmith-instance-lock-'));
  dir = join(root, 'instances', 'acme-dev');
  await mkdir(dir, { recursive: true });
});
afterEach(async () => {
  vi.useRealTimers();
  for (const lock of held.splice(0)) await lock.release().catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

async function hold(what = 'apply', options: Parameters<typeof acquireInstanceLock>[2] = {}) {
  const lock = await acquireInstanceLock(dir, what, { waitMs: 0, ...options });
  held.push(lock);
  return lock;
}

async function refusal(options: Parameters<typeof acquireInstanceLock>[2] = {}): Promise<InstanceBusyError> {
  const error = await acquireInstanceLock(dir, 'rollback', { waitMs: 0, ...options }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InstanceBusyError);
  return error as InstanceBusyError;
}

/** A holder file as another process would have written it. */
async function foreignHolder(holder: Partial<LockHolder> | string): Promise<void> {
  await mkdir(instanceLockPath(dir));
  const text = typeof holder === 'string' ? holder : JSON.stringify(holder);
  await writeFile(instanceLockHolderPath(dir), text);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NOON = () => new Date('2026-12-06T12:00:00Z');

interface Tracked<T> {
  done: boolean;
  value?: T;
  error?: unknown;
}
function track<T>(promise: Promise<T>): Tracked<T> {
  const state: Tracked<T> = { done: false };
  promise.then(
    (value) => Object.assign(state, { done: true, value }),
    (error: unknown) => Object.assign(state, { done: true, error }),
  );
  return state;
}

/**
 * Lets real file I/O run until the attempt has either settled or scheduled its next try (a faked timer
 * beyond the `others` already pending). Waits for an event, never for a time.
 */
async function untilSettledOrWaiting(attempt: Tracked<unknown>, others: number): Promise<void> {
  while (!attempt.done && vi.getTimerCount() <= others) await new Promise((r) => setImmediate(r));
}

/**
 * Drives a caller that is refused while the lock stays held: checks each try comes exactly `interval` ms
 * after the last (not a millisecond earlier) and returns how many tries followed the first.
 */
async function retriesUntilRefused(attempt: Tracked<unknown>, interval: number, others: number) {
  let retries = 0;
  await untilSettledOrWaiting(attempt, others);
  while (!attempt.done && retries <= 200) {
    vi.advanceTimersByTime(interval - 1);
    expect(vi.getTimerCount(), `try ${retries + 1} came before ${interval} ms`).toBe(others + 1);
    vi.advanceTimersByTime(1);
    expect(vi.getTimerCount(), `try ${retries + 1} did not come at ${interval} ms`).toBe(others);
    retries += 1;
    await untilSettledOrWaiting(attempt, others);
  }
  expect(attempt.error).toBeInstanceOf(InstanceBusyError);
  return retries;
}

describe('waiting for the holder', () => {
  it('refuses at once when asked not to wait (or to wait less than nothing)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await hold('apply', { staleMs: 600_000 }); // Refreshed every 300 s: after every try here.
    for (const waitMs of [0, -1]) {
      const attempt = track(acquireInstanceLock(dir, 'rollback', { waitMs }));
      await untilSettledOrWaiting(attempt, 1);
      expect(attempt.done, `waitMs ${waitMs} scheduled a retry`).toBe(true);
      expect(attempt.error).toBeInstanceOf(InstanceBusyError);
    }
  });

  it('spreads a 1 s wait over ten tries 100 ms apart, then refuses', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await hold('apply', { staleMs: 600_000 }); // Refreshed every 300 s: after every try here.
    const attempt = track(acquireInstanceLock(dir, 'rollback', { waitMs: 1000 }));
    expect(await retriesUntilRefused(attempt, 100, 1)).toBe(10);
  });

  it('waits 5 s by default: ten tries 500 ms apart (never closer than 50 ms, never further than 500 ms)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    expect(DEFAULT_LOCK_WAIT_MS).toBe(5000);
    await hold('apply', { staleMs: 600_000 }); // Refreshed every 300 s: after every try here.
    expect(await retriesUntilRefused(track(acquireInstanceLock(dir, 'rollback')), 500, 1)).toBe(10);
    // 60 s would be 100 ms tries at waitMs / 10: capped at 500 ms, so the wait still ends on time.
    const long = track(acquireInstanceLock(dir, 'rollback', { waitMs: 60_000 }));
    expect(await retriesUntilRefused(long, 500, 1)).toBe(120);
  }, 60_000);

  it('tries short waits every 50 ms, at least once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await hold('apply', { staleMs: 600_000 }); // Refreshed every 300 s: after every try here.
    expect(
      await retriesUntilRefused(track(acquireInstanceLock(dir, 'rollback', { waitMs: 120 })), 50, 1),
    ).toBe(3);
    expect(
      await retriesUntilRefused(track(acquireInstanceLock(dir, 'rollback', { waitMs: 10 })), 50, 1),
    ).toBe(1);
  });

  it('gives a waiting caller the lock once the holder releases it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const first = await hold('apply', { staleMs: 600_000 });
    const waiting = acquireInstanceLock(dir, 'resume', { waitMs: 1000, now: NOON });
    const attempt = track(waiting);
    await untilSettledOrWaiting(attempt, 1);
    expect(attempt.done).toBe(false); // Waiting, not refused.
    await first.release(); // Its refresh timer goes: only the waiter's retry is left.
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(100);
    const second = await waiting;
    held.push(second);
    expect(second.holder).toEqual({
      pid: process.pid,
      host: hostname(),
      startedAt: NOON().toISOString(),
      what: 'resume',
    });
  });
});

describe('what the holder leaves', () => {
  it('writes who holds the lock beside it, readable only by its owner', async () => {
    const lock = await hold('drift check', { now: NOON });
    expect(lock.holder).toEqual({
      pid: process.pid,
      host: hostname(),
      startedAt: '2026-12-06T12:00:00.000Z',
      what: 'drift check',
    });
    expect(await readLockHolder(dir)).toEqual({ holder: lock.holder, problem: null });
    expect((await stat(instanceLockHolderPath(dir))).mode & 0o777).toBe(0o600);
    expect((await stat(instanceLockPath(dir))).isDirectory()).toBe(true);
  });

  it('does not keep a lock whose holder file cannot be written, and says why', async () => {
    await symlink(join(root, 'elsewhere.json'), instanceLockHolderPath(dir));
    await expect(acquireInstanceLock(dir, 'apply', { waitMs: 0 })).rejects.toBeInstanceOf(UnsafePathError);
    await expect(readFile(join(root, 'elsewhere.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    // The lock taken before the write failed was given back: the next caller is not refused.
    await rm(instanceLockHolderPath(dir));
    expect((await hold()).holder.what).toBe('apply');
  });

  it('release removes the holder file and the lock, so the next caller gets it at once', async () => {
    const lock = await acquireInstanceLock(dir, 'apply', { waitMs: 0 });
    await lock.release();
    await expect(stat(instanceLockHolderPath(dir))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(instanceLockPath(dir))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await hold('resume')).holder.what).toBe('resume');
  });

  it("a second release does nothing, even to the next holder's lock", async () => {
    const first = await acquireInstanceLock(dir, 'apply', { waitMs: 0 });
    await first.release();
    const next = await hold('resume');
    await first.release();
    expect((await readLockHolder(dir)).holder).toEqual(next.holder);
    expect((await refusal()).holder).toEqual(next.holder);
  });

  it('releases a lock whose holder file someone already removed', async () => {
    const lock = await acquireInstanceLock(dir, 'apply', { waitMs: 0 });
    await rm(instanceLockHolderPath(dir));
    await lock.release();
    expect((await hold('resume')).holder.what).toBe('resume');
  });

  it('releasing a lock another caller took over (stale) and already gave back is not an error', async () => {
    // Faked timers: the first holder's refresh never runs, so it has not noticed the takeover yet.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const first = await acquireInstanceLock(dir, 'apply', { waitMs: 0, staleMs: 2000 });
    const past = new Date(Date.now() - 60_000);
    await utimes(instanceLockPath(dir), past, past);
    const taker = await acquireInstanceLock(dir, 'resume', { waitMs: 0, staleMs: 2000 });
    await taker.release();
    await expect(first.release()).resolves.toBeUndefined();
    expect(first.compromised).toBeNull();
  });

  it('reports a lock folder it could not remove instead of pretending it is free', async () => {
    const lock = await acquireInstanceLock(dir, 'apply', { waitMs: 0 });
    await writeFile(join(instanceLockPath(dir), 'left-by-hand'), 'x');
    await expect(lock.release()).rejects.toMatchObject({ code: 'ENOTEMPTY' });
    await rm(join(instanceLockPath(dir), 'left-by-hand'));
    await rmdir(instanceLockPath(dir));
  });
});

describe('a lock lost while held', () => {
  it('is recorded with the instance and the cause, without crashing a holder that asked not to be told', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const lock = await hold('apply', { staleMs: 2000 });
    await rmdir(instanceLockPath(dir));
    vi.advanceTimersByTime(1000); // The refresh (every staleMs / 2, at least every second) finds it gone.
    while (!lock.compromised) await new Promise((r) => setImmediate(r));
    expect(lock.compromised.message).toMatch(
      /^The lock on Instance "acme-dev" was lost while this process held it \(.*ENOENT.*\); another process may now be writing to the instance\.$/,
    );
    expect(() => lock.assertHeld()).toThrow(lock.compromised);
  });
});

describe('the holder file, as read by a caller that is refused', () => {
  it('reports a holder file it cannot read with the error code, not as missing', async () => {
    await mkdir(instanceLockHolderPath(dir));
    expect(await readLockHolder(dir)).toEqual({
      holder: null,
      problem: `${instanceLockHolderPath(dir)} could not be read (EISDIR)`,
    });
  });

  it('refuses JSON that does not name a pid, host, time and task', async () => {
    for (const text of ['{}', '{"pid": -1, "host": "h", "startedAt": "t", "what": "apply"}', 'null']) {
      await writeFile(instanceLockHolderPath(dir), text);
      expect(await readLockHolder(dir), text).toEqual({
        holder: null,
        problem: `${instanceLockHolderPath(dir)} does not name a pid, host, time and task`,
      });
    }
  });

  it('says in full why the holder is unknown and when a stopped holder is taken over', async () => {
    await foreignHolder('not json');
    const error = await refusal({ staleMs: 60_000 });
    expect(error.holder).toBeNull();
    expect(error.instanceDir).toBe(dir);
    expect(String(error)).toBe(
      `InstanceBusyError: Instance "acme-dev" is busy: another Spokesmith process holds its lock (who is ` +
        `unknown: ${instanceLockHolderPath(dir)} is not valid JSON). Try again when it has finished; a ` +
        `process that stopped is taken over 60 s after its last sign of life.`,
    );
  });

  it('names a holder on this computer without calling it another computer', async () => {
    const holder = { pid: 4242, host: hostname(), startedAt: '2026-12-05T23:59:59.000Z', what: 'apply' };
    await foreignHolder(holder);
    expect((await refusal({ now: NOON })).message).toBe(
      `Instance "acme-dev" is busy: apply by pid 4242 on host ${hostname()} since 2026-12-05 23:59:59 UTC. ` +
        `Try again when it has finished; a process that stopped is taken over 10 s after its last sign of life.`,
    );
  });

  it('keeps control characters from another process out of the message, and shows a bad time as written', async () => {
    await foreignHolder({
      pid: 7,
      host: 'build\u001b[2J',
      startedAt: 'yesterday\u0007',
      what: 'apply\u009b31m',
    });
    expect((await refusal({ now: NOON })).message).toContain(
      'apply?31m by pid 7 on host build?[2J (another computer) since yesterday?. Try again',
    );
  });
});

describe('a lock that cannot be taken', () => {
  it('says which lock path to remove if no Spokesmith process is running', async () => {
    await writeFile(instanceLockPath(dir), 'not a folder'); // Stale, but rmdir cannot remove a file.
    const past = new Date(Date.now() - 60_000);
    await utimes(instanceLockPath(dir), past, past);
    const error = await acquireInstanceLock(dir, 'apply', { waitMs: 0 }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(InstanceBusyError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Could not lock Instance "acme-dev": ${escape(instanceLockPath(dir))} could not be created or ` +
          `taken over \\(.+\\)\\. If no Spokesmith process is running, remove ${escape(instanceLockPath(dir))}\\.$`,
      ),
    );
  });
});
