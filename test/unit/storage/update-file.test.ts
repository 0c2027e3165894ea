// Read–modify–write under the file's lock: writers that interleave (two workspaces open on one folder, as
// two processes have) all keep their changes; a held lock is waited for, a dead one taken over.
import { renameSync, symlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { FileProblemError } from '../../../src/main/storage/errors';
import type { FileSpec } from '../../../src/main/storage/json-file';
import { UnsafePathError } from '../../../src/main/storage/safe-path';
import {
  createFileUpdater,
  FileBusyError,
  updateVersioned,
  withFileLock,
} from '../../../src/main/storage/update-file';

const spec: FileSpec<{ items: string[] }> = {
  kind: 'test.items',
  version: 1,
  schema: z.object({ items: z.array(z.string()) }),
};
const add = (item: string) => (current: { items: string[] } | null) => ({
  items: [...(current?.items ?? []), item],
});

let dir = '';
let file = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-rmw-'));
  file = join(dir, 'items.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const onDisk = async () =>
  (JSON.parse(await readFile(file, 'utf8')) as { data: { items: string[] } }).data.items;

describe('updateVersioned', () => {
  it('keeps every change of 20 writers started at once', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => updateVersioned(file, spec, add(`w${i}`))));
    expect((await onDisk()).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `w${i}`).sort());
  });

  it('keeps the changes of two updaters that interleave (two processes, each with its own copy)', async () => {
    const a = createFileUpdater(file, spec);
    const b = createFileUpdater(file, spec);
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i += 1) writes.push(a.update(add(`a${i}`)), b.update(add(`b${i}`)));
    await Promise.all(writes);
    const items = await onDisk();
    expect(items).toHaveLength(20);
    // Each updater's own changes stay in the order it made them.
    expect(items.filter((i) => i.startsWith('a'))).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`));
    expect(items.filter((i) => i.startsWith('b'))).toEqual(Array.from({ length: 10 }, (_, i) => `b${i}`));
  });

  it('fails only the change that throws, and skips the write when nothing changed', async () => {
    const updater = createFileUpdater(file, spec);
    const results = await Promise.allSettled([
      updater.update(add('one')),
      updater.update(() => {
        throw new Error('No instance "x" in this workspace.');
      }),
      updater.update(add('two')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await onDisk()).toEqual(['one', 'two']);
    const before = await readFile(file, 'utf8');
    expect(await updater.update(() => undefined)).toEqual({ items: ['one', 'two'] });
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('refuses when another process holds the lock past the wait, naming the file', async () => {
    await mkdir(`${file}.lock`); // A live holder: its lock folder is fresh.
    const error = await updateVersioned(file, spec, add('x'), { waitMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileBusyError);
    // It says what to do, and how to clear a lock left by a process that is gone.
    expect((error as Error).message).toBe(
      `${file} is being changed by another Spokesmith process and stayed locked; nothing was changed. ` +
        `Try again; if no Spokesmith is running, remove ${file}.lock.`,
    );
    expect((error as Error).name).toBe('FileBusyError');
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes over the lock of a process that died while changing the file', async () => {
    await mkdir(`${file}.lock`);
    const past = new Date(Date.now() - 60_000); // Not refreshed for a minute: its holder is gone.
    await utimes(`${file}.lock`, past, past);
    await updateVersioned(file, spec, add('after'), { waitMs: 0 });
    expect(await onDisk()).toEqual(['after']);
  });
});

describe('a lock left by a process that died', () => {
  it('is taken over once older than the staleMs asked for, not only the default', async () => {
    await mkdir(`${file}.lock`);
    // Older than the 2 s asked for, younger than the default 10 s (a slow machine only makes it older).
    const past = new Date(Date.now() - 5_000);
    await utimes(`${file}.lock`, past, past);
    await updateVersioned(file, spec, add('after'), { waitMs: 0, staleMs: 2_000 });
    expect(await onDisk()).toEqual(['after']);
  });
});

describe('what an update starts from and leaves', () => {
  it('starts from null when the file is missing, and a no-change leaves it missing', async () => {
    const seen: unknown[] = [];
    expect(await updateVersioned(file, spec, (current) => (seen.push(current), undefined))).toBeNull();
    expect(seen).toEqual([null]);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await updateVersioned(file, spec, add('first'))).toEqual({ items: ['first'] });
    expect(await updateVersioned(file, spec, add('second'))).toEqual({ items: ['first', 'second'] });
  });

  it('never replaces a file it cannot read, and does not even ask for the change', async () => {
    await writeFile(file, JSON.stringify({ kind: 'test.items', version: 2, data: { items: ['newer'] } }));
    let asked = false;
    const error = await updateVersioned(file, spec, (c) => ((asked = true), add('x')(c))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FileProblemError);
    expect(asked).toBe(false);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      version: 2,
      data: { items: ['newer'] },
    });
    await expect(stat(`${file}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a linked file before taking a lock or writing anything', async () => {
    const target = join(dir, 'elsewhere.json');
    await symlink(target, file);
    await expect(updateVersioned(file, spec, add('x'), { root: dir })).rejects.toThrow(UnsafePathError);
    await expect(stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(`${file}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('waits for a holder that finishes within the wait', async () => {
    await mkdir(`${file}.lock`);
    // The holder finishes well within the wait (the outcome does not depend on when exactly).
    const waiting = updateVersioned(file, spec, add('after the holder'), { waitMs: 10_000 });
    setTimeout(() => void rm(`${file}.lock`, { recursive: true }), 50);
    expect(await waiting).toEqual({ items: ['after the holder'] });
  });
});

describe('withFileLock', () => {
  it('holds the lock while the change runs, and releases it when the change throws', async () => {
    const during = await withFileLock(file, async () => (await stat(`${file}.lock`)).isDirectory());
    expect(during).toBe(true);
    await expect(stat(`${file}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(withFileLock(file, () => Promise.reject(new Error('the change failed')))).rejects.toThrow(
      'the change failed',
    );
    await expect(stat(`${file}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('creates the folder the file and its lock go in', async () => {
    const nested = join(dir, 'a', 'b', 'items.json');
    expect(await withFileLock(nested, () => Promise.resolve('ran'))).toBe('ran');
    expect((await stat(join(dir, 'a', 'b'))).isDirectory()).toBe(true);
  });
});

describe('createFileUpdater', () => {
  it('folds the updates asked for in one go into one write, and tells onWritten once', async () => {
    const written: unknown[] = [];
    const updater = createFileUpdater(file, spec, { onWritten: (c) => written.push(c) });
    const results = await Promise.all([
      updater.update(add('a')),
      updater.update(add('b')),
      updater.update(add('c')),
    ]);
    expect(written).toEqual([{ items: ['a', 'b', 'c'] }]);
    expect(results).toEqual([
      { items: ['a', 'b', 'c'] },
      { items: ['a', 'b', 'c'] },
      { items: ['a', 'b', 'c'] },
    ]);
    // A later update is a batch of its own.
    await updater.update(add('d'));
    expect(written).toEqual([{ items: ['a', 'b', 'c'] }, { items: ['a', 'b', 'c', 'd'] }]);
    expect(await onDisk()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('runs updates asked for while a write is under way in the next write', async () => {
    const updater = createFileUpdater(file, spec);
    const first = updater.update(add('one'));
    await Promise.resolve();
    await Promise.resolve();
    const second = updater.update(add('two'));
    expect(await first).toEqual({ items: ['one'] });
    expect(await second).toEqual({ items: ['one', 'two'] });
    expect(await onDisk()).toEqual(['one', 'two']);
  });

  it('fails every update of a batch whose write is refused, and writes nothing', async () => {
    await mkdir(`${file}.lock`);
    const updater = createFileUpdater(file, spec, { waitMs: 0 });
    const results = await Promise.allSettled([updater.update(add('a')), updater.update(add('b'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(results.map((r) => (r as PromiseRejectedResult).reason)).toEqual([
      expect.any(FileBusyError),
      expect.any(FileBusyError),
    ]);
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
    // The updater keeps working once the lock is free.
    await rm(`${file}.lock`, { recursive: true });
    expect(await updater.update(add('c'))).toEqual({ items: ['c'] });
  });

  it('an update that changes nothing hands the content on unchanged to the next in its batch', async () => {
    await updateVersioned(file, spec, add('kept'));
    const updater = createFileUpdater(file, spec);
    const [, after] = await Promise.all([updater.update(() => undefined), updater.update(add('new'))]);
    expect(after).toEqual({ items: ['kept', 'new'] });
    expect(await onDisk()).toEqual(['kept', 'new']);
  });

  it('a batch where every update throws writes nothing', async () => {
    await updateVersioned(file, spec, add('kept'));
    const before = await readFile(file, 'utf8');
    const updater = createFileUpdater(file, spec);
    const results = await Promise.allSettled([
      updater.update(() => {
        throw new Error('first');
      }),
      updater.update(() => {
        throw new Error('second');
      }),
    ]);
    expect(results.map((r) => (r as PromiseRejectedResult).reason.message)).toEqual(['first', 'second']);
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});

describe('how long and how often a change waits for the lock', () => {
  // proper-lockfile's retry timers are faked and its jitter (Math.random) pinned, so each try's time is
  // known; the lock is "held" by a fresh lock folder, as a live process leaves it.
  interface Tracked {
    done: boolean;
    error?: unknown;
  }
  const track = (promise: Promise<unknown>): Tracked => {
    const state: Tracked = { done: false };
    promise.then(
      () => (state.done = true),
      (error: unknown) => Object.assign(state, { done: true, error }),
    );
    return state;
  };
  /** Real file I/O runs until the attempt has settled or scheduled its next try: waits for an event. */
  const untilSettledOrWaiting = async (attempt: Tracked) => {
    while (!attempt.done && vi.getTimerCount() === 0) await new Promise((r) => setImmediate(r));
  };
  /** How many tries followed the first, each checked to come exactly `delay` ms after the last. */
  const retriesUntilBusy = async (attempt: Tracked, delay: number) => {
    let retries = 0;
    await untilSettledOrWaiting(attempt);
    while (!attempt.done && retries <= 200) {
      vi.advanceTimersByTime(delay - 1);
      expect(vi.getTimerCount(), `try ${retries + 1} came before ${delay} ms`).toBe(1);
      vi.advanceTimersByTime(1);
      expect(vi.getTimerCount(), `try ${retries + 1} did not come at ${delay} ms`).toBe(0);
      retries += 1;
      await untilSettledOrWaiting(attempt);
    }
    expect(attempt.error).toBeInstanceOf(FileBusyError);
    return retries;
  };

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await mkdir(`${file}.lock`);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('refuses at once when asked not to wait', async () => {
    const attempt = track(updateVersioned(file, spec, add('x'), { waitMs: 0 }));
    await untilSettledOrWaiting(attempt);
    expect(attempt.done).toBe(true);
    expect(attempt.error).toBeInstanceOf(FileBusyError);
  });

  it('spreads the wait over tries waitMs / 20 apart, between 10 and 100 ms', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(await retriesUntilBusy(track(updateVersioned(file, spec, add('x'), { waitMs: 1000 })), 50)).toBe(
      20,
    );
    expect(await retriesUntilBusy(track(updateVersioned(file, spec, add('x'), { waitMs: 40 })), 10)).toBe(4);
    expect(await retriesUntilBusy(track(updateVersioned(file, spec, add('x'), { waitMs: 5000 })), 100)).toBe(
      50,
    );
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('jitters each try by up to the interval again, so waiting processes do not retry in lockstep', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(await retriesUntilBusy(track(updateVersioned(file, spec, add('x'), { waitMs: 1000 })), 75)).toBe(
      20,
    );
  });
});

describe('a lock that cannot be taken for another reason', () => {
  it('passes the error on instead of calling the file busy (which would say "try again")', async () => {
    await writeFile(`${file}.lock`, 'a file, not a lock folder');
    const past = new Date(Date.now() - 60_000); // Stale: taking it over needs rmdir, which fails.
    await utimes(`${file}.lock`, past, past);
    const error = await updateVersioned(file, spec, add('x'), { waitMs: 0 }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(FileBusyError);
    expect(error).toMatchObject({ code: 'ENOTDIR' });
  });
});

describe('a folder swapped for a link while the change runs', () => {
  it('is refused at the write, which checks every folder from the workspace again', async () => {
    const sub = join(dir, 'sub');
    const inside = join(sub, 'items.json');
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(elsewhere);
    await updateVersioned(inside, spec, add('first'), { root: dir });
    const error = await updateVersioned(
      inside,
      spec,
      (current) => {
        // Someone replaces the folder with a link to another folder while the change is being made.
        renameSync(sub, join(elsewhere, 'sub'));
        symlinkSync(join(elsewhere, 'sub'), sub);
        return add('second')(current);
      },
      { root: dir },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafePathError);
    expect(
      JSON.parse(await readFile(join(elsewhere, 'sub', 'items.json'), 'utf8')) as {
        data: { items: string[] };
      },
    ).toMatchObject({ data: { items: ['first'] } });
  });
});
