// The rules of src/main/storage/json-file.ts, each on both sides: which files are read, which are refused
// (with which reason and words), what happens to a refused file, how versions migrate, and how a write
// lands. Every workspace file goes through these functions, so a rule broken here loses or hides data.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FileProblemError, StorageError } from '../../../src/main/storage/errors';
import {
  isCode,
  parseVersioned,
  readVersioned,
  writeJsonAtomic,
  writeVersioned,
  type FileSpec,
} from '../../../src/main/storage/json-file';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-json-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Version 3 data is `{ count: number, label: string }`; v1 had `{ n }`, v2 `{ count }`. */
const SPEC: FileSpec<{ count: number; label: string }> = {
  kind: 'spokesmith.test',
  version: 3,
  schema: z.object({ count: z.number().int(), label: z.string() }).strict(),
  migrations: {
    1: (data) => ({ count: (data as { n: number }).n }),
    2: (data) => {
      const d = data as { count: number };
      if (d.count < 0) throw new Error('a negative count has no label');
      return { ...d, label: `#${d.count}` };
    },
  },
};

const envelope = (version: unknown, data: unknown, kind = SPEC.kind) =>
  JSON.stringify({ kind, version, data });

async function parse(text: string, unusable: 'leave' | 'move-aside' = 'leave') {
  const file = join(dir, 'thing.json');
  await writeFile(file, text);
  return { file, result: await parseVersioned(file, text, SPEC, { unusable }) };
}

async function problemOf(text: string) {
  const { result } = await parse(text);
  if (result.ok || result.missing) throw new Error(`expected a problem, got ${JSON.stringify(result)}`);
  return result.problem;
}

describe('reading a versioned file', () => {
  it('reads the current version as it is, and says it was not migrated', async () => {
    const { result } = await parse(envelope(3, { count: 2, label: 'two' }));
    expect(result).toEqual({ ok: true, value: { count: 2, label: 'two' }, migratedFrom: null });
  });

  it('migrates an older version step by step, and says from which version', async () => {
    expect((await parse(envelope(1, { n: 7 }))).result).toEqual({
      ok: true,
      value: { count: 7, label: '#7' },
      migratedFrom: 1,
    });
    expect((await parse(envelope(2, { count: 4 }))).result).toEqual({
      ok: true,
      value: { count: 4, label: '#4' },
      migratedFrom: 2,
    });
  });

  it('refuses text that is not JSON, naming the file', async () => {
    const problem = await problemOf('{"kind": ');
    expect(problem.reason).toBe('corrupt');
    expect(problem.message).toMatch(/^thing\.json is not valid JSON \(.+\)\.$/);
  });

  it.each([
    ['an array', '[1, 2]'],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"instances"'],
    ['no kind', JSON.stringify({ version: 3, data: {} })],
    ['no version', JSON.stringify({ kind: SPEC.kind, data: {} })],
    ['no data', JSON.stringify({ kind: SPEC.kind, version: 3 })],
  ])('refuses JSON that is not an envelope (%s)', async (_what, text) => {
    const problem = await problemOf(text);
    expect(problem).toMatchObject({
      reason: 'corrupt',
      message: 'thing.json is not a Spokesmith file (it lacks "kind", "version" and "data").',
    });
  });

  it('refuses a file of another kind, naming both kinds', async () => {
    const problem = await problemOf(envelope(3, { count: 1, label: 'x' }, 'spokesmith.other'));
    expect(problem).toMatchObject({
      reason: 'wrong_kind',
      message: 'thing.json holds a "spokesmith.other", expected a "spokesmith.test".',
    });
  });

  it('refuses a newer version, saying a newer Spokesmith wrote it', async () => {
    const problem = await problemOf(envelope(4, { count: 1, label: 'x' }));
    expect(problem).toMatchObject({
      reason: 'unknown_version',
      message:
        'thing.json is version 4; this Spokesmith reads versions 1 to 3 (it was written by a newer Spokesmith).',
    });
  });

  it.each([
    [0, 'thing.json is version 0; this Spokesmith reads versions 1 to 3.'],
    [2.5, 'thing.json is version 2.5; this Spokesmith reads versions 1 to 3.'],
    ['3', 'thing.json is version 3; this Spokesmith reads versions 1 to 3.'],
    // A string is no version, even one that reads as a newer number: not "written by a newer Spokesmith".
    ['4', 'thing.json is version 4; this Spokesmith reads versions 1 to 3.'],
  ])('refuses version %j, which no Spokesmith writes', async (version, message) => {
    const problem = await problemOf(envelope(version, { count: 1, label: 'x' }));
    expect(problem).toMatchObject({ reason: 'unknown_version', message });
  });

  it('refuses an old version it has no migration for', async () => {
    const file = join(dir, 'thing.json');
    const text = envelope(1, { n: 1 });
    const result = await parseVersioned(file, text, { ...SPEC, migrations: { 2: SPEC.migrations![2]! } });
    expect(result).toMatchObject({
      ok: false,
      problem: { reason: 'unknown_version', message: 'thing.json: no migration from version 1.' },
    });
    const none = await parseVersioned(file, text, { ...SPEC, migrations: undefined }, { unusable: 'leave' });
    expect(none).toMatchObject({ problem: { message: 'thing.json: no migration from version 1.' } });
  });

  it('reports a migration that throws as an invalid file instead of crashing', async () => {
    const problem = await problemOf(envelope(2, { count: -1 }));
    expect(problem).toMatchObject({
      reason: 'invalid',
      message: 'thing.json could not be upgraded from version 2: a negative count has no label.',
    });
  });

  it('names each invalid value by its path, or (root), at most five', async () => {
    expect((await problemOf(envelope(3, { count: 1.5, label: 2 }))).message).toMatch(
      /^thing\.json has invalid values: count: .+; label: .+\.$/,
    );
    expect((await problemOf(envelope(3, 'text'))).message).toMatch(
      /^thing\.json has invalid values: \(root\): /,
    );
    const list: FileSpec<number[]> = { kind: SPEC.kind, version: 1, schema: z.array(z.number()) };
    const eight = envelope(1, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    const result = await parseVersioned(join(dir, 'list.json'), eight, list, { unusable: 'leave' });
    if (result.ok || result.missing) throw new Error('expected a problem');
    expect(result.problem.message).toMatch(
      /^list\.json has invalid values: 0: .+; 1: .+; 2: .+; 3: .+; 4: [^;]+\.$/,
    );
  });
});

describe('what happens to a file that cannot be used', () => {
  it("'leave' keeps it where it is, byte for byte, and says it was not moved", async () => {
    const text = envelope(9, {});
    const { file, result } = await parse(text, 'leave');
    expect(result).toMatchObject({ ok: false, problem: { movedTo: null } });
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(await readdir(dir)).toEqual(['thing.json']);
  });

  it("'move-aside' (the default) moves it next to itself, named by the reason, content kept", async () => {
    const text = envelope(3, {}, 'spokesmith.other');
    const file = join(dir, 'thing.json');
    await writeFile(file, text);
    const result = await parseVersioned(file, text, SPEC);
    if (result.ok || result.missing) throw new Error('expected a problem');
    expect(result.problem.movedTo).toMatch(/thing\.json\.wrong_kind-\d+\.bad$/);
    expect(await readdir(dir)).toEqual([join(result.problem.movedTo!).slice(dir.length + 1)]);
    expect(await readFile(result.problem.movedTo!, 'utf8')).toBe(text);
  });

  it('a file that cannot be moved is reported with movedTo null, not as a crash', async () => {
    const result = await parseVersioned(join(dir, 'never-written.json'), 'not json', SPEC);
    expect(result).toMatchObject({ ok: false, problem: { reason: 'corrupt', movedTo: null } });
  });
});

describe('readVersioned from disk', () => {
  it('says a missing file is missing (not a problem)', async () => {
    expect(await readVersioned(join(dir, 'none.json'), SPEC)).toEqual({ ok: false, missing: true });
  });

  it('refuses a folder at the file name, naming it, and leaves it', async () => {
    await mkdir(join(dir, 'thing.json'));
    const result = await readVersioned(join(dir, 'thing.json'), SPEC);
    expect(result).toMatchObject({
      ok: false,
      missing: false,
      problem: {
        reason: 'invalid',
        message: 'thing.json is not a regular file; it was not read.',
        movedTo: null,
      },
    });
    expect((await stat(join(dir, 'thing.json'))).isDirectory()).toBe(true);
  });

  it('refuses a FIFO planted at the file name without waiting for a writer', async () => {
    // A blocking open would wait for a writer that never comes: the read would hang, not report.
    execFileSync('mkfifo', [join(dir, 'thing.json')]);
    expect(await readVersioned(join(dir, 'thing.json'), SPEC)).toMatchObject({
      ok: false,
      missing: false,
      problem: { reason: 'invalid', message: 'thing.json is not a regular file; it was not read.' },
    });
  }, 10_000); // A hang fails here, not at the mutation run's two-minute test timeout.

  it('reads a file of exactly maxBytes, refuses one byte more without moving it', async () => {
    const text = envelope(3, { count: 1, label: 'x' });
    const file = join(dir, 'thing.json');
    await writeFile(file, text);
    const size = Buffer.byteLength(text);
    expect(await readVersioned(file, SPEC, { maxBytes: size })).toMatchObject({ ok: true });
    const refused = await readVersioned(file, SPEC, { maxBytes: size - 1 });
    expect(refused).toMatchObject({ ok: false, problem: { reason: 'invalid', movedTo: null } });
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('passes on errors other than a missing file', async () => {
    await expect(readVersioned(join(dir, 'thing.json', 'below-a-file.json'), SPEC)).resolves.toEqual({
      ok: false,
      missing: true,
    });
    await writeFile(join(dir, 'plain'), 'x');
    await expect(readVersioned(join(dir, 'plain', 'below.json'), SPEC)).rejects.toMatchObject({
      code: 'ENOTDIR',
    });
  });
});

describe('writing', () => {
  it('writes the envelope as indented JSON with a final newline, readable only by its owner', async () => {
    const file = join(dir, 'sub', 'thing.json');
    await writeVersioned(file, SPEC, { count: 1, label: 'one' }, { root: dir });
    expect(await readFile(file, 'utf8')).toBe(
      `${JSON.stringify({ kind: SPEC.kind, version: 3, data: { count: 1, label: 'one' } }, null, 2)}\n`,
    );
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'sub'))).toEqual(['thing.json']);
  });

  it('replaces a file it can read', async () => {
    const file = join(dir, 'thing.json');
    await writeFile(file, envelope(1, { n: 1 }));
    await writeVersioned(file, SPEC, { count: 2, label: 'two' });
    expect(await readVersioned(file, SPEC)).toMatchObject({ ok: true, value: { count: 2, label: 'two' } });
  });

  it('never writes over a file it cannot read, and names it', async () => {
    const file = join(dir, 'thing.json');
    const newer = envelope(4, { teammate: true });
    await writeFile(file, newer);
    const error = await writeVersioned(file, SPEC, { count: 2, label: 'two' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileProblemError);
    // Named as what it is in logs and in the CLI's "expected failure" output, never as a bare Error.
    expect((error as FileProblemError).name).toBe('FileProblemError');
    expect(Object.getPrototypeOf(FileProblemError.prototype)).toBe(StorageError.prototype);
    expect(new StorageError(file, 'x').name).toBe('StorageError');
    expect((error as FileProblemError).file).toBe(file);
    expect((error as FileProblemError).message).toContain('use the Spokesmith version that wrote it');
    expect(await readFile(file, 'utf8')).toBe(newer);
  });

  it('a corrupt file is refused with advice to fix or restore it', async () => {
    const file = join(dir, 'thing.json');
    await writeFile(file, '{');
    const error = await writeVersioned(file, SPEC, { count: 2, label: 'two' }).catch((e: unknown) => e);
    expect((error as FileProblemError).message).toMatch(
      /^thing\.json is not valid JSON .* Spokesmith left .*thing\.json as it is and will not write over it: fix it or restore it/,
    );
    expect(await readFile(file, 'utf8')).toBe('{');
  });

  it('writeJsonAtomic creates missing folders and leaves no temporary file', async () => {
    const file = join(dir, 'a', 'b', 'c.json');
    await writeJsonAtomic(file, [1]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual([1]);
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['c.json']);
  });
});

describe('isCode', () => {
  it('matches an error by its code only', () => {
    expect(isCode(Object.assign(new Error('x'), { code: 'ENOENT' }), 'ENOENT')).toBe(true);
    expect(isCode(Object.assign(new Error('x'), { code: 'EEXIST' }), 'ENOENT')).toBe(false);
    expect(isCode({ code: 'ENOENT' }, 'ENOENT')).toBe(true);
    expect(isCode(null, 'ENOENT')).toBe(false);
    expect(isCode('ENOENT', 'ENOENT')).toBe(false);
    expect(isCode(undefined, 'ENOENT')).toBe(false);
  });
});
