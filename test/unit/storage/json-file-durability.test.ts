// The durability half of src/main/storage/json-file.ts (docs/reliability.md §5.1): a write is fsynced before
// the rename and the folder is fsynced after it, so a power cut leaves the old file or the new one, never an
// empty one; a file moved aside is fsynced into its folder too. None of this is visible in the files
// afterwards, so the calls to the two libraries we do not own (write-file-atomic, node:fs) are recorded —
// the real functions still do the work.
import type * as FsPromises from 'node:fs/promises';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
// vi.mock calls are hoisted above the imports: this module gets the recording stand-ins.
import {
  moveAside,
  parseVersioned,
  readVersioned,
  writeJsonAtomic,
} from '../../../src/main/storage/json-file';

const calls = vi.hoisted(() => ({
  writes: [] as { file: string; options: unknown }[],
  syncs: [] as string[],
  /** Handles opened and not closed yet. */
  open: 0,
  /** The error the next folder fsync fails with, if any. */
  syncFails: null as NodeJS.ErrnoException | null,
}));

vi.mock('write-file-atomic', async (importOriginal) => {
  const real = (await importOriginal<{ default: (...args: unknown[]) => Promise<void> }>()).default;
  return {
    default: (file: string, data: unknown, options: unknown) => {
      calls.writes.push({ file, options });
      return real(file, data, options);
    },
  };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  return {
    ...real,
    open: async (...args: Parameters<typeof real.open>) => {
      const handle = await real.open(...args);
      calls.open += 1;
      const close = handle.close.bind(handle);
      handle.close = () => {
        calls.open -= 1;
        return close();
      };
      const sync = handle.sync.bind(handle);
      handle.sync = () => {
        calls.syncs.push(String(args[0]));
        const failure = calls.syncFails;
        calls.syncFails = null;
        return failure ? Promise.reject(failure) : sync();
      };
      return handle;
    },
  };
});

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-durable-'));
  calls.writes.length = 0;
  calls.syncs.length = 0;
  calls.syncFails = null;
  calls.open = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a durable write', () => {
  it('fsyncs the file before its rename, owner-only, then fsyncs the folder', async () => {
    const file = join(dir, 'instances.json');
    await writeJsonAtomic(file, { a: 1 });
    expect(calls.writes).toEqual([{ file, options: { fsync: true, mode: 0o600 } }]);
    expect(calls.syncs).toEqual([dir]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ a: 1 });
  });
});

describe('a folder the filesystem will not fsync', () => {
  const failure = (code: string) => Object.assign(new Error(`${code}: fsync refused`), { code });

  it.each(['EINVAL', 'EPERM', 'EISDIR'])(
    'is no error when it answers %s (the rename is still atomic there)',
    async (code) => {
      calls.syncFails = failure(code);
      const file = join(dir, 'instances.json');
      await writeJsonAtomic(file, { a: 2 });
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ a: 2 });
    },
  );

  it('fails the write on any other fsync error, which may mean the data is not on disk', async () => {
    calls.syncFails = failure('EIO');
    await expect(writeJsonAtomic(join(dir, 'instances.json'), { a: 3 })).rejects.toMatchObject({
      code: 'EIO',
    });
    // The folder's handle is closed all the same: a long-running app must not leak one per failed write.
    expect(calls.open).toBe(0);
  });
});

describe('reading', () => {
  it('closes the file it read, whether it was used, too large or not a regular file', async () => {
    const spec = { kind: 'spokesmith.test', version: 1, schema: z.object({ a: z.number() }) };
    const file = join(dir, 'state.json');
    await writeFile(file, JSON.stringify({ kind: spec.kind, version: 1, data: { a: 1 } }));
    expect(await readVersioned(file, spec)).toMatchObject({ ok: true });
    expect(await readVersioned(file, spec, { maxBytes: 1 })).toMatchObject({ ok: false });
    expect(await readVersioned(dir, spec)).toMatchObject({ ok: false });
    expect(calls.open).toBe(0);
  });
});

describe('moving an unusable file aside', () => {
  it('fsyncs the folder after the rename, and says where the file went', async () => {
    const file = join(dir, 'queue.json');
    await writeFile(file, 'not json');
    const target = await moveAside(file, 'corrupt');
    expect(target).toMatch(/queue\.json\.corrupt-\d+\.bad$/);
    expect(await readFile(target!, 'utf8')).toBe('not json');
    expect(calls.syncs).toEqual([dir]);
  });

  it('is what parseVersioned does by default with a file it cannot use', async () => {
    const file = join(dir, 'state.json');
    await writeFile(file, '[]');
    const spec = { kind: 'spokesmith.test', version: 1, schema: z.object({}) };
    const result = await parseVersioned(file, '[]', spec);
    expect(result).toMatchObject({ ok: false, problem: { reason: 'corrupt' } });
    expect(calls.syncs).toEqual([dir]);
  });
});
