// Durable, validated JSON files: the one way Spokesmith writes and reads its workspace.
//
// Write: write-file-atomic (temporary file, fsync, rename) and then an fsync of the directory, which
// write-file-atomic does not do, so the rename itself survives a power cut (docs/reliability.md §5.1).
// Read: every file is a versioned envelope `{ kind, version, data }`; it is parsed, migrated forward and
// validated with zod. A file that cannot be used is reported with its name and the problem, and a write
// never replaces it.
import { constants } from 'node:fs';
import { open, rename, mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { $ZodType } from 'zod/v4/core';
import { safeParse } from 'zod/mini';
import '../../shared/zod-english';
import { FileProblemError, type FileProblem } from './errors';

export type { FileProblem } from './errors';
import { assertSafeToWrite } from './safe-path';

export interface FileSpec<T> {
  /** e.g. `spokesmith.instance`; a file of another kind is refused. */
  kind: string;
  /** The version this build writes. */
  version: number;
  /** Classic or zod/mini: both are zod core schemas. */
  schema: $ZodType<T>;
  /** migrations[n] turns version n data into version n + 1 data. */
  migrations?: Record<number, (data: unknown) => unknown>;
}

export type ReadResult<T> =
  | { ok: true; value: T; migratedFrom: number | null }
  | { ok: false; missing: true }
  | { ok: false; missing: false; problem: FileProblem };

/**
 * Largest file Spokesmith reads (issue 9 finding 8). A workspace of 130,000 instances is ~28 MB and
 * loads; a file far beyond any real workspace (or a link to /dev/zero) is refused with its size named
 * instead of exhausting memory.
 */
export const MAX_FILE_BYTES = 64 * 2 ** 20;

export interface ReadOptions {
  /**
   * What happens to a file this version cannot use. Workspace and settings files are left in place
   * ('leave'): such a file may be a teammate's newer data, and moving it aside let the next write replace
   * it in silence. Files the app can rebuild (the simulator's state, window bounds) are moved aside.
   */
  unusable?: 'move-aside' | 'leave';
  /** Default MAX_FILE_BYTES. */
  maxBytes?: number;
}

/** Reads that leave an unusable file where it is (workspace and settings files, see ReadOptions). */
export const LEAVE_IN_PLACE: ReadOptions = { unusable: 'leave' };

export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some filesystems (and Windows) refuse to fsync a directory; the rename is still atomic there.
    if (!isCode(error, 'EINVAL') && !isCode(error, 'EPERM') && !isCode(error, 'EISDIR')) throw error;
  } finally {
    await handle.close();
  }
}

export interface WriteOptions {
  /**
   * The folder the file must stay inside (the workspace): neither the file nor a folder below `root`
   * may be a symbolic link (src/main/storage/safe-path.ts). Default: the file's own folder.
   */
  root?: string;
}

export async function writeJsonAtomic(
  file: string,
  value: unknown,
  options: WriteOptions = {},
): Promise<void> {
  await assertSafeToWrite(file, options.root);
  await mkdir(dirname(file), { recursive: true });
  // Checked again right before the write: mkdir may have made folders, and the window for a link to be
  // put in place is then as short as it can be without our own temp-file-and-rename.
  await assertSafeToWrite(file, options.root);
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, { fsync: true, mode: 0o600 });
  await fsyncDirectory(dirname(file));
}

/**
 * Replaces the file, unless what is there now is a file this version cannot read: that is refused with
 * FileProblemError (never written over, issue 9 finding 7). Several writers: use updateVersioned.
 */
export async function writeVersioned<T>(
  file: string,
  spec: FileSpec<T>,
  data: T,
  options: WriteOptions = {},
): Promise<void> {
  await assertSafeToWrite(file, options.root); // Before reading it: a link's target is not ours to read.
  const existing = await readVersioned(file, spec, { unusable: 'leave' });
  if (!existing.ok && !existing.missing) throw new FileProblemError(existing.problem);
  await writeEnvelope(file, spec, data, options);
}

/** The write itself, for a caller that has just read the file and found it usable (updateVersioned). */
export async function writeEnvelope<T>(
  file: string,
  spec: FileSpec<T>,
  data: T,
  options: WriteOptions = {},
): Promise<void> {
  await writeJsonAtomic(file, { kind: spec.kind, version: spec.version, data }, options);
}

export async function readVersioned<T>(
  file: string,
  spec: FileSpec<T>,
  options: ReadOptions = {},
): Promise<ReadResult<T>> {
  let text: string;
  try {
    // Non-blocking: a FIFO planted at the name must not hang the read (it is refused below).
    const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const stats = await handle.stat();
      const size = stats.size;
      const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
      if (!stats.isFile()) {
        // A device such as /dev/zero reports size 0 and never ends.
        const message = `${basename(file)} is not a regular file; it was not read.`;
        return { ok: false, missing: false, problem: { file, reason: 'invalid', message, movedTo: null } };
      }
      if (size > maxBytes) {
        // Never moved aside, whatever `unusable` says: a large file is not a broken one.
        const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
        const message =
          `${basename(file)} is ${mb(size)}, more than the ${mb(maxBytes)} Spokesmith reads from one ` +
          `file; it was not read.`;
        return { ok: false, missing: false, problem: { file, reason: 'invalid', message, movedTo: null } };
      }
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (isCode(error, 'ENOENT')) return { ok: false, missing: true };
    throw error;
  }
  return parseVersioned(file, text, spec, options);
}

export async function parseVersioned<T>(
  file: string,
  text: string,
  spec: FileSpec<T>,
  options: ReadOptions = {},
): Promise<ReadResult<T>> {
  const problem = async (reason: FileProblem['reason'], message: string): Promise<ReadResult<T>> => ({
    ok: false,
    missing: false,
    problem: {
      file,
      reason,
      message,
      movedTo: (options.unusable ?? 'move-aside') === 'move-aside' ? await moveAside(file, reason) : null,
    },
  });

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return problem('corrupt', `${basename(file)} is not valid JSON (${(error as Error).message}).`);
  }
  if (!isEnvelope(parsed)) {
    return problem(
      'corrupt',
      `${basename(file)} is not a Spokesmith file (it lacks "kind", "version" and "data").`,
    );
  }
  if (parsed.kind !== spec.kind) {
    return problem('wrong_kind', `${basename(file)} holds a "${parsed.kind}", expected a "${spec.kind}".`);
  }
  if (!Number.isInteger(parsed.version) || parsed.version < 1 || parsed.version > spec.version) {
    return problem(
      'unknown_version',
      `${basename(file)} is version ${String(parsed.version)}; this Spokesmith reads versions 1 to ${spec.version}` +
        (typeof parsed.version === 'number' && parsed.version > spec.version
          ? ' (it was written by a newer Spokesmith).'
          : '.'),
    );
  }
  let data = parsed.data;
  for (let v = parsed.version; v < spec.version; v += 1) {
    const migrate = spec.migrations?.[v];
    if (!migrate) return problem('unknown_version', `${basename(file)}: no migration from version ${v}.`);
    try {
      data = migrate(data);
    } catch (error) {
      // A file the migration cannot read is as unusable as an invalid one: report it, don't crash.
      return problem(
        'invalid',
        `${basename(file)} could not be upgraded from version ${v}: ${(error as Error).message}.`,
      );
    }
  }
  const result = safeParse(spec.schema, data);
  if (!result.success) {
    const details = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    return problem('invalid', `${basename(file)} has invalid values: ${details}.`);
  }
  return {
    ok: true,
    value: result.data,
    migratedFrom: parsed.version === spec.version ? null : parsed.version,
  };
}

/** Moves an unusable file next to itself as `<name>.<reason>-<time>.bad` so nothing is lost. */
export async function moveAside(file: string, reason: string): Promise<string | null> {
  const target = join(dirname(file), `${basename(file)}.${reason}-${Date.now()}.bad`);
  try {
    await rename(file, target);
    await fsyncDirectory(dirname(file));
    return target;
  } catch {
    return null;
  }
}

function isEnvelope(value: unknown): value is { kind: string; version: number; data: unknown } {
  return (
    typeof value === 'object' && value !== null && 'kind' in value && 'version' in value && 'data' in value
  );
}

export function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === code;
}
