// assertSafeToWrite (src/main/storage/safe-path.ts), each refusal and each allowance: a workspace from a
// shared repository must not make a write land outside it, through a link or a planted non-file.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/main/storage/errors';
import { UnsafePathError, assertSafeToWrite } from '../../../src/main/storage/safe-path';

let dir = '';
let outside = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-safe-'));
  outside = await mkdtemp(join(tmpdir(), 'spokesmith-outside-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

async function refusal(file: string, root?: string): Promise<UnsafePathError> {
  const error = await assertSafeToWrite(file, root).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `${file} was allowed`).toBeInstanceOf(UnsafePathError);
  return error as UnsafePathError;
}

describe('what may be written', () => {
  it('a file and folders that do not exist yet, inside the root', async () => {
    await expect(assertSafeToWrite(join(dir, 'a', 'b', 'c.json'), dir)).resolves.toBeUndefined();
  });

  it('an existing regular file below real folders', async () => {
    await mkdir(join(dir, 'a'));
    await writeFile(join(dir, 'a', 'c.json'), '{}');
    await expect(assertSafeToWrite(join(dir, 'a', 'c.json'), dir)).resolves.toBeUndefined();
  });

  it('a root that is itself a link (where the workspace lives is the user’s choice)', async () => {
    await symlink(outside, join(dir, 'workspace'));
    await expect(
      assertSafeToWrite(join(dir, 'workspace', 'x.json'), join(dir, 'workspace')),
    ).resolves.toBeUndefined();
  });

  it('without a root, only the file itself is checked', async () => {
    await symlink(outside, join(dir, 'linked'));
    await expect(assertSafeToWrite(join(dir, 'linked', 'x.json'))).resolves.toBeUndefined();
    await symlink(join(outside, 'x'), join(dir, 'file-link'));
    expect((await refusal(join(dir, 'file-link'))).message).toContain('is a symbolic link');
  });
});

describe('what is refused, named', () => {
  it.each([
    ['the root itself', (d: string) => d],
    ['a sibling of the root', (d: string) => join(d, '..', 'elsewhere.json')],
    ['the root’s parent', (d: string) => join(d, '..')],
    ['another absolute path', () => '/etc/passwd'],
  ])('%s, as outside the folder', async (_what, path) => {
    const error = await refusal(path(dir), dir);
    expect(error.reason).toMatch(/^it is outside the folder /);
    expect(error.message).toBe(`Spokesmith did not write ${error.file}: ${error.reason}`);
    expect(error).toBeInstanceOf(StorageError);
    expect(error.name).toBe('UnsafePathError');
  });

  it('a name that merely starts with ".." is inside', async () => {
    await expect(assertSafeToWrite(join(dir, '..data', 'x.json'), dir)).resolves.toBeUndefined();
  });

  it('a linked file, naming the link, its target, and asking for a real file', async () => {
    await symlink(join(outside, 'authorized_keys'), join(dir, 'instances.json'));
    const error = await refusal(join(dir, 'instances.json'), dir);
    expect(error.reason).toBe(
      `${join(dir, 'instances.json')} is a symbolic link (to ${join(outside, 'authorized_keys')}). ` +
        'Spokesmith never writes through links in a workspace, since one can point outside it; replace ' +
        'the link with a real file.',
    );
  });

  it('a linked folder on the way, asking for a real folder', async () => {
    await mkdir(join(dir, 'instances'));
    await symlink(outside, join(dir, 'instances', 'acme'));
    const error = await refusal(join(dir, 'instances', 'acme', 'snapshot.json'), dir);
    expect(error.file).toBe(join(dir, 'instances', 'acme', 'snapshot.json'));
    expect(error.reason).toMatch(/is a symbolic link \(to .*\)\..*replace the link with a real folder\.$/);
    expect(error.reason.startsWith(join(dir, 'instances', 'acme'))).toBe(true);
  });

  it('a path the filesystem cannot look at (not only a missing one) is an error, not a pass', async () => {
    await expect(assertSafeToWrite(join(dir, 'x'.repeat(300), 'file.json'), dir)).rejects.toMatchObject({
      code: 'ENAMETOOLONG',
    });
  });

  it('a file where a folder is needed', async () => {
    await writeFile(join(dir, 'instances'), 'not a folder');
    const error = await refusal(join(dir, 'instances', 'acme.json'), dir);
    expect(error.reason).toBe(`${join(dir, 'instances')} is not a folder.`);
  });

  it('a folder or a FIFO where the file is to be written', async () => {
    await mkdir(join(dir, 'instances.json'));
    expect((await refusal(join(dir, 'instances.json'), dir)).reason).toBe(
      `${join(dir, 'instances.json')} is not a regular file.`,
    );
    execFileSync('mkfifo', [join(dir, 'queue.json')]);
    expect((await refusal(join(dir, 'queue.json'), dir)).reason).toBe(
      `${join(dir, 'queue.json')} is not a regular file.`,
    );
  });
});
