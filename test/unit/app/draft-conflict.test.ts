// The app's forms are loaded with the draft's revision and every autosave sends it back: when another
// process (another window applying a template, a teammate's script) changed the draft in between, the save
// is refused with `conflict`, naming the instance, and the other change survives. Through the real IPC
// router; the "other process" is a second Workspace on the same folder, writing between load and save.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/workspace';
import { startHarness, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const workspaceDir = (harness: Harness) => join(harness.userDataDir, 'workspace');
const storedMain = async (harness: Harness, id: string) =>
  (
    JSON.parse(await readFile(join(workspaceDir(harness), 'instances', id, 'draft.json'), 'utf8')).data as {
      main: Record<string, unknown>;
    }
  ).main;

describe('saving forms whose draft another process changed since they were loaded', () => {
  it('is refused with conflict, naming the instance; the other change stays; a save on the new revision goes', async () => {
    h = await startHarness(1);
    const id = h.ids[0]!;
    const loaded = await h.ok('app:drafts:get', { id });
    expect(loaded.revision).toBeNull();
    const first = await h.ok('app:drafts:save', {
      id,
      main: { name: 'Mine_1' },
      clientCred: {},
      basedOn: loaded.revision,
    });
    // The next autosave is based on what the previous one stored.
    const second = await h.ok('app:drafts:save', {
      id,
      main: { name: 'Mine_2' },
      clientCred: {},
      basedOn: first.revision,
    });
    expect(second.revision).not.toBe(first.revision);
    expect((await h.ok('app:drafts:get', { id })).revision).toBe(second.revision);

    const other = await openWorkspace(workspaceDir(h));
    await other.drafts.save(id, { main: { name: 'Theirs' }, clientCred: {} });

    const refused = await h.call('app:drafts:save', {
      id,
      main: { name: 'Mine_3' },
      clientCred: {},
      basedOn: second.revision,
    });
    expect(refused).toMatchObject({
      ok: false,
      code: 'conflict',
      message:
        'The forms of Customer 1 were changed by another process (another window, a template applied) ' +
        'since they were loaded; nothing was saved.',
    });
    expect(await storedMain(h, id)).toEqual({ name: 'Theirs' });

    // "Keep my edits": saved over the version now stored, on its revision.
    const now = await h.ok('app:drafts:get', { id });
    await h.ok('app:drafts:save', { id, main: { name: 'Mine_3' }, clientCred: {}, basedOn: now.revision });
    expect(await storedMain(h, id)).toEqual({ name: 'Mine_3' });
  });
});
