// Issue 9 finding 2: a workspace shared through git may hold symlinks. Spokesmith must not write through
// them: a linked instances.json, snapshot.json or instance folder pointing outside is refused with the
// file and the reason named, and the file outside keeps its content and mode.
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/workspace';
import { UnsafePathError } from '../../../src/main/storage/safe-path';
import type { Snapshot } from '../../../src/shared/domain/snapshot';
import { ACME, tempDir } from './helpers';

let dir: string;
let outside: string;
let cleanup: () => Promise<void>;
const ORIGINAL = 'ssh-ed25519 AAAA... teammate@laptop\n';

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  outside = await mkdtemp(join(tmpdir(), 'spokesmith-outside-'));
  await writeFile(join(outside, 'authorized_keys'), ORIGINAL);
  await chmod(join(outside, 'authorized_keys'), 0o644);
});
afterEach(async () => {
  await cleanup();
  await rm(outside, { recursive: true, force: true });
});

async function expectOutsideUntouched() {
  const file = join(outside, 'authorized_keys');
  expect(await readFile(file, 'utf8')).toBe(ORIGINAL);
  expect((await stat(file)).mode & 0o777).toBe(0o644);
  expect(await readdir(outside)).toEqual(['authorized_keys']);
}

const snapshot = (): Snapshot => ({ discoveredAt: '2026-03-01T10:00:00.000Z' }) as unknown as Snapshot; // Shape is not validated on save.

describe('workspace writes refuse symbolic links', () => {
  it('does not write through a linked instances.json', async () => {
    const ws = await openWorkspace(dir); // e.g. the app is open when a `git pull` brings the link in
    await symlink(join(outside, 'authorized_keys'), join(dir, 'instances.json'));
    const error = await ws.instances.save(ACME).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafePathError);
    expect((error as Error).message).toContain(`did not write ${join(dir, 'instances.json')}`);
    expect((error as Error).message).toContain('is a symbolic link');
    await expectOutsideUntouched();
  });

  it('reports a linked instances.json found when opening, and never writes through it', async () => {
    await symlink(join(outside, 'authorized_keys'), join(dir, 'instances.json'));
    const ws = await openWorkspace(dir);
    expect(ws.problems.map((p) => p.file)).toEqual([join(dir, 'instances.json')]);
    await expect(ws.instances.save(ACME)).rejects.toThrow(UnsafePathError);
    await expectOutsideUntouched();
  });

  it('does not write through a linked instances/<id>/snapshot.json', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    await mkdir(join(dir, 'instances', 'acme'), { recursive: true });
    await symlink(join(outside, 'authorized_keys'), join(dir, 'instances', 'acme', 'snapshot.json'));
    await expect(ws.snapshots.save('acme', snapshot())).rejects.toThrow(
      `${join(dir, 'instances', 'acme', 'snapshot.json')} is a symbolic link`,
    );
    await expectOutsideUntouched();
  });

  it('does not write into a linked instance folder or templates folder', async () => {
    const ws = await openWorkspace(dir);
    await mkdir(join(dir, 'instances'), { recursive: true });
    await symlink(outside, join(dir, 'instances', 'acme'));
    await expect(ws.drafts.save('acme', { main: { name: 'X' }, clientCred: {} })).rejects.toThrow(
      `${join(dir, 'instances', 'acme')} is a symbolic link`,
    );

    await symlink(outside, join(dir, 'templates'));
    await expect(
      ws.templates.save({ name: 'acme-style', variables: [], main: {}, clientCred: {} }),
    ).rejects.toThrow(`${join(dir, 'templates')} is a symbolic link`);
    await expectOutsideUntouched();
  });

  it('does not delete a template through a linked templates folder', async () => {
    const ws = await openWorkspace(dir);
    await writeFile(join(outside, 'acme-style.json'), ORIGINAL);
    await symlink(outside, join(dir, 'templates'));
    await expect(ws.templates.remove('acme-style')).rejects.toThrow(
      `${join(dir, 'templates')} is a symbolic link`,
    );
    expect(await readFile(join(outside, 'acme-style.json'), 'utf8')).toBe(ORIGINAL);
  });

  it('still writes normally when the workspace folder itself is reached through a link', async () => {
    const link = join(outside, 'workspace-link');
    await symlink(dir, link);
    const ws = await openWorkspace(link);
    await ws.instances.save(ACME);
    expect((await openWorkspace(dir)).instances.list().map((i) => i.id)).toEqual(['acme']);
  });
});
