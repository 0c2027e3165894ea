// Read–modify–write under the file's lock: writers that interleave (two workspaces open on one folder, as
// two processes have) all keep their changes; a held lock is waited for, a dead one taken over.
import { mkdir, mkdtemp, readFile, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { FileSpec } from '../../../src/main/storage/json-file';
import { createFileUpdater, FileBusyError, updateVersioned } from '../../../src/main/storage/update-file';

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
    expect((error as Error).message).toContain(`${file} is being changed by another Spokesmith process`);
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
