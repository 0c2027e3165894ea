// The instance list's rules, through the workspace API: how ids are chosen, how an instance is found,
// what a save keeps, what a removal takes with it, when a file is (not) rewritten, and which input and
// which unreadable file is refused with a message naming it.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace, WorkspaceInputError } from '../../../src/main/workspace';
import { FileProblemError } from '../../../src/main/storage/errors';
import { ACME, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const clock = (start = Date.parse('2026-03-01T10:00:00Z')) => {
  let t = start;
  return () => new Date((t += 1000));
};

const storedIds = async () => {
  const file = JSON.parse(await readFile(join(dir, 'instances.json'), 'utf8')) as {
    data: { instances: Array<{ id: string }> };
  };
  return file.data.instances.map((i) => i.id);
};

const localState = async () =>
  (
    JSON.parse(await readFile(join(dir, 'local-state.json'), 'utf8')) as {
      data: { instances: Record<string, unknown> };
    }
  ).data.instances;

describe('instance ids', () => {
  it('numbers every further instance whose URL gives the same slug: -2, then -3', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    const second = await ws.instances.save({ ...ACME, name: 'Bare host', url: 'https://acme/' });
    const third = await ws.instances.save({ ...ACME, name: 'Dotted host', url: 'https://acme./' });
    expect([second.id, third.id]).toEqual(['acme-2', 'acme-3']);
    // The same URL again is the same instance, not a fourth.
    expect((await ws.instances.save({ ...ACME, name: 'Renamed', url: 'https://acme./' })).id).toBe('acme-3');
  });

  it('a slug of the longest length still gets a valid numbered id', async () => {
    const long = 'a'.repeat(63);
    const ws = await openWorkspace(dir);
    const first = await ws.instances.save({
      ...ACME,
      name: 'Long one',
      url: `https://${long}.service-now.com`,
    });
    const second = await ws.instances.save({ ...ACME, name: 'Long two', url: `https://${long}/` });
    expect(first.id).toBe(long);
    expect(second.id).toBe(`${'a'.repeat(60)}-2`);
  });

  it('keeps an id the caller gives, and refuses one that is not a folder-safe id', async () => {
    const ws = await openWorkspace(dir);
    const saved = await ws.instances.save({ ...ACME, id: 'acme-prod-eu' });
    expect(saved.id).toBe('acme-prod-eu');
    expect(await storedIds()).toEqual(['acme-prod-eu']);
    await expect(ws.instances.save({ ...ACME, id: '../escape' })).rejects.toThrow(/lowercase letters/);
    expect(await storedIds()).toEqual(['acme-prod-eu']);
  });
});

describe('finding and listing instances', () => {
  it('lists by name, whatever the ids, and stores the file sorted by id', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save({ ...ACME, name: 'Alpha', url: 'https://zulu.service-now.com' });
    await ws.instances.save({ ...ACME, name: 'Zeta', url: 'https://alpha.service-now.com' });
    await ws.instances.save({ ...ACME, name: 'Mike', url: 'https://mike.service-now.com' });
    expect(ws.instances.list().map((i) => i.name)).toEqual(['Alpha', 'Mike', 'Zeta']);
    expect(await storedIds()).toEqual(['alpha', 'mike', 'zulu']);
    expect((await openWorkspace(dir)).instances.list().map((i) => i.id)).toEqual(['zulu', 'mike', 'alpha']);
  });

  it('prefers the exact name over one differing only in case', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save({ ...ACME, name: 'acme lab', url: 'https://a-lab.service-now.com' });
    await ws.instances.save({ ...ACME, name: 'ACME Lab', url: 'https://b-lab.service-now.com' });
    expect(ws.instances.get('ACME Lab')?.id).toBe('b-lab');
    expect(ws.instances.get('acme lab')?.id).toBe('a-lab');
    expect(ws.instances.get('Acme LAB')?.id).toBe('a-lab'); // No exact match: the first ignoring case.
    expect(ws.instances.get('b-lab')?.name).toBe('ACME Lab');
    expect(ws.instances.get('nobody')).toBeUndefined();
  });
});

describe('saving an instance', () => {
  it('keeps a demo instance a demo when an edit does not say otherwise', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save({ ...ACME, isDemo: true });
    const edited = await ws.instances.save({ ...ACME, id: 'acme', name: 'ACME demo' });
    expect(edited.isDemo).toBe(true);
    const undemoed = await ws.instances.save({ ...ACME, id: 'acme', isDemo: false });
    expect(undemoed.isDemo).toBe(false);
  });

  it('names the instance and the field when its values are refused', async () => {
    const ws = await openWorkspace(dir);
    const error = await ws.instances
      .save({ ...ACME, name: 'Globex', variables: { 'bad name!': 'x' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceInputError);
    expect((error as Error).name).toBe('WorkspaceInputError');
    expect((error as Error).message).toMatch(/^Instance "Globex" is not valid: variables\.bad name!: /);
    expect((error as WorkspaceInputError).issues).toHaveLength(1);
    expect((error as WorkspaceInputError).issues[0]).toMatch(/^variables\.bad name!: /);
  });

  it('lists every refused field, separated, each with its path', async () => {
    const ws = await openWorkspace(dir);
    const error = (await ws.instances
      .save({ ...ACME, username: ' ', tags: ['ok', ' '] })
      .catch((e: unknown) => e)) as WorkspaceInputError;
    expect(error.issues.map((i) => i.split(':')[0])).toEqual(['username', 'tags.1']);
    expect(error.message).toBe(`Instance "${ACME.name}" is not valid: ${error.issues.join('; ')}`);
  });

  it('a refused URL carries no field issues, only the message', async () => {
    const ws = await openWorkspace(dir);
    const error = (await ws.instances
      .save({ ...ACME, url: 'ftp://acme' })
      .catch((e: unknown) => e)) as WorkspaceInputError;
    expect(error).toBeInstanceOf(WorkspaceInputError);
    expect(error.name).toBe('WorkspaceInputError');
    expect(error.issues).toEqual([]);
  });
});

describe('status and discovery (local-state.json)', () => {
  it('refuses a status for an instance that is not in the list, and writes nothing', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    await expect(ws.instances.setStatus('globex', 'failed')).rejects.toThrow(
      'No instance "globex" in this workspace.',
    );
    await expect(readFile(join(dir, 'local-state.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a status while the list is unreadable, naming the file', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    await writeFile(join(dir, 'instances.json'), '{ broken');
    await ws.reload();
    await expect(ws.instances.setStatus('acme', 'failed')).rejects.toThrow(FileProblemError);
  });

  it('each status change is kept; setting the status it already has rewrites nothing', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    await ws.instances.setStatus('acme', 'failed', 'Timed out');
    await ws.instances.setStatus('acme', 'provisioned', 'All records match.');
    expect((await openWorkspace(dir)).instances.get('acme')).toMatchObject({
      status: 'provisioned',
      statusMessage: 'All records match.',
    });
    const before = await stat(join(dir, 'local-state.json'));
    await ws.instances.setStatus('acme', 'provisioned', 'All records match.');
    expect((await stat(join(dir, 'local-state.json'))).ino).toBe(before.ino);
  });

  it('a saved snapshot records when its instance was last discovered', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    const discoveredAt = '2026-03-01T10:00:00.000Z';
    await ws.snapshots.save('acme', { discoveredAt } as never); // Shape is not validated on save.
    expect(ws.instances.get('acme')?.lastDiscoveredAt).toBe(discoveredAt);
    expect((await openWorkspace(dir)).instances.get('acme')?.lastDiscoveredAt).toBe(discoveredAt);
  });

  it('a snapshot of a folder not in the list (removed meanwhile) is saved without a status', async () => {
    const ws = await openWorkspace(dir);
    // An instance NAMED like the folder must not receive the other folder's discovery time.
    await ws.instances.save({ ...ACME, name: 'globex', url: 'https://other.service-now.com' });
    await ws.snapshots.save('globex', { discoveredAt: '2026-03-01T10:00:00.000Z' } as never);
    expect((await stat(join(dir, 'instances', 'globex', 'snapshot.json'))).isFile()).toBe(true);
    expect(ws.instances.get('other')?.lastDiscoveredAt).toBeNull();
    await expect(readFile(join(dir, 'local-state.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a snapshot of an instance no longer in the list at all is saved all the same', async () => {
    const ws = await openWorkspace(dir);
    await ws.snapshots.save('nobody', { discoveredAt: '2026-03-01T10:00:00.000Z' } as never);
    expect((await stat(join(dir, 'instances', 'nobody', 'snapshot.json'))).isFile()).toBe(true);
  });

  it('an unreadable local-state.json is reported by name, and the list still loads', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    await ws.instances.setStatus('acme', 'failed');
    await writeFile(join(dir, 'local-state.json'), '{ torn');
    const reopened = await openWorkspace(dir);
    expect(reopened.problems.map((p) => p.file)).toEqual([join(dir, 'local-state.json')]);
    expect(reopened.instances.get('acme')?.status).toBe('not_checked');
  });
});

describe('removing an instance', () => {
  it('from a workspace without a list says there was nothing to remove', async () => {
    const ws = await openWorkspace(dir);
    expect(await ws.instances.remove('acme')).toBe(false);
    await expect(readFile(join(dir, 'instances.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes its machine-local status with it, and leaves the others', async () => {
    const ws = await openWorkspace(dir, { now: clock() });
    await ws.instances.save(ACME);
    await ws.instances.save({ ...ACME, name: 'Globex', url: 'https://globex.service-now.com' });
    await ws.instances.setStatus('acme', 'failed', 'Timed out');
    await ws.instances.setStatus('globex', 'provisioned');
    expect(await ws.instances.remove('acme')).toBe(true);
    expect(Object.keys(await localState())).toEqual(['globex']);
    const readded = await ws.instances.save(ACME);
    expect(readded).toMatchObject({ id: 'acme', status: 'not_checked', statusMessage: null });
  });

  it('of an instance that never had a status leaves local-state.json alone', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    await ws.instances.save({ ...ACME, name: 'Globex', url: 'https://globex.service-now.com' });
    await ws.instances.setStatus('globex', 'provisioned');
    const before = await stat(join(dir, 'local-state.json'));
    expect(await ws.instances.remove('acme')).toBe(true);
    expect((await stat(join(dir, 'local-state.json'))).ino).toBe(before.ino);
  });
});
