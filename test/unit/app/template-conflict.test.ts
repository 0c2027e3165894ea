// The app's template editor reads a template, and saves the whole of it later: when another process (a CLI
// import, a teammate's app) changed that template in between, the save is refused with `conflict` and the
// other change survives. Through the real IPC router; the "other process" is a second Workspace on the
// same folder, writing explicitly between the editor's read and its save.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/workspace';
import type { Template } from '../../../src/shared/workspace/schemas';
import { startHarness, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const workspaceDir = (harness: Harness) => join(harness.userDataDir, 'workspace');
const stored = async (harness: Harness, name: string) =>
  JSON.parse(await readFile(join(workspaceDir(harness), 'templates', `${name}.json`), 'utf8'))
    .data as Template;
const template = (customer: string): Template => ({
  name: 'acme-style',
  variables: [{ name: 'customer' }],
  main: { name: `{customer}_${customer}` },
  clientCred: {},
});

describe('saving a template another process changed since the editor opened', () => {
  it('is refused with conflict, naming the template; the other change stays on disk and is listed', async () => {
    h = await startHarness(0);
    await h.ok('app:templates:save', template('Mine'));
    // The editor opens: what it holds is the listed template and its revision.
    const [opened] = await h.ok('app:templates:list', {});

    const other = await openWorkspace(workspaceDir(h));
    await other.templates.save(template('Theirs'));

    const refused = await h.call('app:templates:save', {
      ...template('Mine'),
      description: 'Edited in the app',
      basedOn: opened!.revision,
    });
    expect(refused).toMatchObject({
      ok: false,
      code: 'conflict',
      message:
        'Template "acme-style" was changed by another process since the editor opened; nothing was ' +
        'saved. Load the stored version to see it.',
    });
    expect(await stored(h, 'acme-style')).toEqual(template('Theirs'));
    const [listed] = await h.ok('app:templates:list', {});
    expect(listed!.main).toEqual({ name: '{customer}_Theirs' });
    expect(listed!.revision).not.toBe(opened!.revision);

    // Based on the version now stored (the editor re-opened on it), the save goes through.
    const saved = await h.ok('app:templates:save', {
      ...template('Theirs'),
      description: 'Edited in the app',
      basedOn: listed!.revision,
    });
    expect(saved.description).toBe('Edited in the app');
    expect(await stored(h, 'acme-style')).toEqual({
      ...template('Theirs'),
      description: 'Edited in the app',
    });
    expect((await h.ok('app:templates:list', {}))[0]!.revision).toBe(saved.revision);
  });

  it('refuses a new template whose name another process took meanwhile', async () => {
    h = await startHarness(0);
    // The "New template" editor is open; an import saves a template with the name typed there.
    const other = await openWorkspace(workspaceDir(h));
    await other.templates.save(template('Imported'));

    const refused = await h.call('app:templates:save', template('Mine'));
    expect(refused).toMatchObject({ ok: false, code: 'conflict' });
    expect((refused as { message: string }).message).toContain(
      'A template named "acme-style" was saved by another process since the editor opened',
    );
    expect(await stored(h, 'acme-style')).toEqual(template('Imported'));
  });

  it('refuses a revision that is not a short hex hash as invalid input', async () => {
    h = await startHarness(0);
    const bad = await h.call('app:templates:save', { ...template('Mine'), basedOn: 'latest' });
    expect(bad).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await h.ok('app:templates:list', {})).toEqual([]);
  });
});
