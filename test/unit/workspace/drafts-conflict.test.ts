// A draft save based on what an editor read (the draft's revision, or none) is refused when another
// process changed the stored draft in between: nothing is written and the other process's draft survives
// on disk. Two workspaces opened on one folder stand for two processes; the "other process" writes
// explicitly between the read and the save.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  draftRevision,
  openWorkspace,
  WorkspaceConflictError,
  WorkspaceInputError,
} from '../../../src/main/workspace';
import { tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const ENTRA = { tenant: 'contoso.onmicrosoft.com', clientId: 'c0ffee', secretExpires: '' };
const onDisk = async () =>
  JSON.parse(await readFile(join(dir, 'instances', 'acme', 'draft.json'), 'utf8')).data as Record<
    string,
    unknown
  >;

describe('saving a draft based on what was loaded', () => {
  it('refuses a save whose base another process changed, and keeps that change on disk', async () => {
    const app = await openWorkspace(dir);
    await app.drafts.save('acme', { main: { name: 'Loaded' }, clientCred: {} });
    const basedOn = draftRevision(await app.drafts.get('acme'));

    // Another process (a template applied from another window) changes it after the forms loaded.
    const other = await openWorkspace(dir);
    await other.drafts.save('acme', { main: { name: 'Theirs' }, clientCred: {}, entra: ENTRA });

    const refused = app.drafts.save('acme', { main: { name: 'Mine' }, clientCred: {} }, { basedOn });
    await expect(refused).rejects.toThrow(WorkspaceConflictError);
    await expect(refused).rejects.toThrow(
      'The draft of instance "acme" was changed by another process since it was loaded; nothing was saved.',
    );
    // Still an input error for callers that only know that type.
    await expect(refused).rejects.toBeInstanceOf(WorkspaceInputError);
    expect(await onDisk()).toMatchObject({ main: { name: 'Theirs' }, entra: ENTRA });
  });

  it('refuses forms loaded when there was no draft once another process has saved one', async () => {
    const app = await openWorkspace(dir);
    expect(draftRevision(await app.drafts.get('acme'))).toBeNull();
    const other = await openWorkspace(dir);
    await other.drafts.save('acme', { main: { name: 'Theirs' }, clientCred: {} });

    await expect(
      app.drafts.save('acme', { main: { name: 'Mine' }, clientCred: {} }, { basedOn: null }),
    ).rejects.toThrow(WorkspaceConflictError);
    expect(await onDisk()).toMatchObject({ main: { name: 'Theirs' } });
  });

  it('saves one after another on the revision each save returns, and refuses a repeat of an old base', async () => {
    const app = await openWorkspace(dir);
    const first = await app.drafts.save('acme', { main: { name: 'One' }, clientCred: {} }, { basedOn: null });
    const second = await app.drafts.save(
      'acme',
      { main: { name: 'Two' }, clientCred: {} },
      { basedOn: draftRevision(first) },
    );
    expect(draftRevision(second)).not.toBe(draftRevision(first));
    expect(draftRevision(second)).toBe(draftRevision(await app.drafts.get('acme')));
    // An unchanged save keeps the stored draft, so its revision too.
    const same = await app.drafts.save(
      'acme',
      { main: { name: 'Two' }, clientCred: {} },
      { basedOn: draftRevision(second) },
    );
    expect(draftRevision(same)).toBe(draftRevision(second));
    // A second window still on the first revision is refused: its copy is older than the stored one.
    await expect(
      app.drafts.save('acme', { main: { name: 'Stale' }, clientCred: {} }, { basedOn: draftRevision(first) }),
    ).rejects.toThrow(WorkspaceConflictError);
    expect(await onDisk()).toMatchObject({ main: { name: 'Two' } });
  });

  it('without a base (a template applied) replaces the forms and keeps the Entra part stored now', async () => {
    const app = await openWorkspace(dir);
    await app.drafts.save('acme', { main: { name: 'Old' }, clientCred: {} });
    const other = await openWorkspace(dir);
    await other.drafts.save('acme', { main: { name: 'Old' }, clientCred: {}, entra: ENTRA });

    const saved = await app.drafts.save('acme', { main: { name: 'From template' }, clientCred: {} });
    expect(saved).toMatchObject({ main: { name: 'From template' }, entra: ENTRA });
    expect(await onDisk()).toMatchObject({ main: { name: 'From template' }, entra: ENTRA });
  });
});
