// An instance entry saved based on what an editor read (its revision, or none when adding) is refused
// when another process changed the entry in between: nothing is written, the other process's entry
// survives on disk, and this process's list shows it. Two workspaces opened on one folder stand for two
// processes; the "other process" writes explicitly between the read and the save.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  instanceRevision,
  openWorkspace,
  WorkspaceConflictError,
  type InstanceSaveInput,
} from '../../../src/main/workspace';
import { ACME, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const acme = (over: Partial<InstanceSaveInput> = {}): InstanceSaveInput => ({ id: 'acme', ...ACME, ...over });
const onDisk = async () =>
  (
    JSON.parse(await readFile(join(dir, 'instances.json'), 'utf8')) as {
      data: { instances: { id: string; username: string; variables?: Record<string, string> }[] };
    }
  ).data.instances.find((i) => i.id === 'acme');

describe('instanceRevision', () => {
  it('moves with the shareable entry, not with the machine-local status', async () => {
    const ws = await openWorkspace(dir);
    const saved = await ws.instances.save(acme());
    const before = instanceRevision(saved);
    expect(before).toMatch(/^[0-9a-f]{16}$/);
    const tested = await ws.instances.setStatus('acme', 'ready', 'Connected as admin.');
    expect(instanceRevision(tested)).toBe(before);
    const renamed = await ws.instances.save(acme({ name: 'ACME prod' }));
    expect(instanceRevision(renamed)).not.toBe(before);
    expect(instanceRevision(null)).toBeNull();
  });
});

describe('saving an instance based on what was read', () => {
  it('refuses a save whose base another process changed, keeps that change, and lists it', async () => {
    const app = await openWorkspace(dir);
    const opened = await app.instances.save(acme());
    const basedOn = instanceRevision(opened);

    const other = await openWorkspace(dir);
    await other.instances.save(acme({ variables: { customer: 'ACME' } }));

    let wrote = false;
    const refused = app.instances.save(acme({ username: 'someone.else' }), {
      basedOn,
      beforeWrite: async () => {
        wrote = true;
      },
    });
    await expect(refused).rejects.toThrow(WorkspaceConflictError);
    await expect(refused).rejects.toThrow(
      'Instance "ACME production" was changed by another process since it was read; nothing was saved.',
    );
    // The keychain step never ran: a refused save stores no secret.
    expect(wrote).toBe(false);
    expect(await onDisk()).toMatchObject({ username: 'admin', variables: { customer: 'ACME' } });
    // This process's list shows the other version at once (the watcher may not have noticed yet).
    expect(app.instances.get('acme')?.variables).toEqual({ customer: 'ACME' });

    // Based on the version now stored, the save goes through.
    const saved = await app.instances.save(
      acme({ username: 'someone.else', variables: { customer: 'ACME' } }),
      {
        basedOn: instanceRevision(app.instances.get('acme')),
      },
    );
    expect(saved.username).toBe('someone.else');
  });

  it('refuses adding an instance whose id another process added meanwhile', async () => {
    const app = await openWorkspace(dir);
    const other = await openWorkspace(dir);
    await other.instances.save(acme({ username: 'theirs' }));
    await expect(app.instances.save(acme({ username: 'mine' }), { basedOn: null })).rejects.toThrow(
      'Another process added an instance with the id "acme" (https://acme.service-now.com) since this one ' +
        'was read; nothing was saved.',
    );
    expect(await onDisk()).toMatchObject({ username: 'theirs' });
  });

  it('refuses editing an instance another process removed', async () => {
    const app = await openWorkspace(dir);
    const basedOn = instanceRevision(await app.instances.save(acme()));
    const other = await openWorkspace(dir);
    await other.instances.remove('acme');
    await expect(app.instances.save(acme({ username: 'mine' }), { basedOn })).rejects.toThrow(
      'Instance "ACME production" was removed by another process since it was read; nothing was saved.',
    );
    expect(await onDisk()).toBeUndefined();
  });

  it('with a keychain step, moves the revision even when no field changed, and writes nothing if it fails', async () => {
    // Injected time: the second save must get a later stamp however fast it runs.
    let tick = 0;
    const app = await openWorkspace(dir, { now: () => new Date(Date.UTC(2026, 11, 7, 8, 0, tick++)) });
    const first = await app.instances.save(acme(), { basedOn: null });
    // A new password only: the entry is the same, but an editor opened before must not overwrite it.
    const second = await app.instances.save(acme(), {
      basedOn: instanceRevision(first),
      beforeWrite: async () => {},
    });
    expect(instanceRevision(second)).not.toBe(instanceRevision(first));

    const failing = app.instances.save(acme({ username: 'never.stored' }), {
      basedOn: instanceRevision(second),
      beforeWrite: async () => {
        throw new Error('keychain locked');
      },
    });
    await expect(failing).rejects.toThrow('keychain locked');
    expect(await onDisk()).toMatchObject({ username: 'admin' });
  });
});
