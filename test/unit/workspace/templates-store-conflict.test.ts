// A template save based on what an editor read (its revision, or none for a new template) is refused when
// another process changed the stored template in between: nothing is written, the other process's
// template survives on disk, and this process's list shows it. Two workspaces opened on one folder stand
// for two processes; the "other process" writes explicitly between the read and the save.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openWorkspace,
  templateRevision,
  WorkspaceConflictError,
  WorkspaceInputError,
} from '../../../src/main/workspace';
import type { Template } from '../../../src/shared/workspace/schemas';
import { tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const template = (customer: string, name = 'acme'): Template => ({
  name,
  variables: [],
  main: { name: `${customer}_Exchange_Online_Connection` },
  clientCred: {},
});
const onDisk = async (name = 'acme') =>
  JSON.parse(await readFile(join(dir, 'templates', `${name}.json`), 'utf8')).data as Template;

describe('templateRevision', () => {
  it('is the same for the same content in any key order, and differs when a field does', () => {
    const a = template('ACME');
    const reordered: Template = { clientCred: {}, main: { ...a.main }, variables: [], name: 'acme' };
    expect(templateRevision(reordered)).toBe(templateRevision(a));
    expect(templateRevision(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(templateRevision(template('GLOBEX'))).not.toBe(templateRevision(a));
  });
});

describe('saving a template based on what was read', () => {
  it('refuses a save whose base another process changed, and keeps that change on disk', async () => {
    const app = await openWorkspace(dir);
    await app.templates.save(template('ACME'));
    const opened = app.templates.get('acme')!;
    const basedOn = templateRevision(opened);

    // Another process (say `spokesmith templates import`) changes it after the editor opened.
    const other = await openWorkspace(dir);
    await other.templates.save(template('OTHER'));

    const refused = app.templates.save({ ...opened, description: 'Edited in the app' }, { basedOn });
    await expect(refused).rejects.toThrow(WorkspaceConflictError);
    await expect(refused).rejects.toThrow(
      'Template "acme" was changed by another process since the editor opened; nothing was saved.',
    );
    // Still an input error for callers that only know that type (the CLI).
    await expect(refused).rejects.toBeInstanceOf(WorkspaceInputError);
    expect(await onDisk()).toEqual(template('OTHER'));
    // The list shows the other process's version at once (the watcher may not have noticed yet).
    expect(app.templates.get('acme')).toEqual(template('OTHER'));
  });

  it('saves when the base is the stored template, and then refuses the stale base', async () => {
    const app = await openWorkspace(dir);
    await app.templates.save(template('ACME'));
    const first = templateRevision(app.templates.get('acme')!);
    const edited = { ...template('ACME'), description: 'Edited' };
    expect(await app.templates.save(edited, { basedOn: first })).toEqual(edited);
    expect(await onDisk()).toEqual(edited);
    // A second save from the same (now old) base: the stored template is the edit, not that base.
    await expect(app.templates.save({ ...edited, description: 'Again' }, { basedOn: first })).rejects.toThrow(
      WorkspaceConflictError,
    );
    expect(
      await app.templates.save({ ...edited, description: 'Again' }, { basedOn: templateRevision(edited) }),
    ).toMatchObject({ description: 'Again' });
  });

  it('refuses a new template when another process saved one with that name meanwhile', async () => {
    const app = await openWorkspace(dir);
    const other = await openWorkspace(dir);
    await other.templates.save(template('IMPORTED'));

    await expect(app.templates.save(template('MINE'), { basedOn: null })).rejects.toThrow(
      'A template named "acme" was saved by another process since the editor opened; nothing was saved.',
    );
    expect(await onDisk()).toEqual(template('IMPORTED'));
    expect(app.templates.get('acme')).toEqual(template('IMPORTED'));
    // A name nobody took is saved.
    expect(await app.templates.save(template('MINE', 'mine'), { basedOn: null })).toEqual(
      template('MINE', 'mine'),
    );
    expect(await onDisk('mine')).toEqual(template('MINE', 'mine'));
  });

  it('refuses a save whose template another process removed, and does not bring it back', async () => {
    const app = await openWorkspace(dir);
    await app.templates.save(template('ACME'));
    const basedOn = templateRevision(app.templates.get('acme')!);
    const other = await openWorkspace(dir);
    expect(await other.templates.remove('acme')).toBe(true);

    await expect(app.templates.save(template('EDITED'), { basedOn })).rejects.toThrow(
      'Template "acme" was removed by another process since the editor opened; nothing was saved.',
    );
    await expect(onDisk()).rejects.toMatchObject({ code: 'ENOENT' });
    expect(app.templates.get('acme')).toBeUndefined();
  });

  it('without a base (an import) replaces what is stored, as before', async () => {
    const app = await openWorkspace(dir);
    await app.templates.save(template('ACME'));
    const other = await openWorkspace(dir);
    await other.templates.save(template('OTHER'));
    expect(await app.templates.save(template('IMPORTED'))).toEqual(template('IMPORTED'));
    expect(await onDisk()).toEqual(template('IMPORTED'));
  });
});
