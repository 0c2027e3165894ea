// Import/export of the instance list and templates through the injected file dialogs, and the workspace:
// its problems (files moved aside) and pointing it at another folder, remembered across a restart.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let h: Harness | null = null;
let files: string;
let savePath: string | null = null;
let openPath: string | null = null;
let folder: string | null = null;

beforeEach(async () => {
  files = await mkdtemp(join(tmpdir(), 'spokesmith-files-'));
  savePath = openPath = folder = null;
});
afterEach(async () => {
  await h?.close();
  h = null;
  await rm(files, { recursive: true, force: true });
});

const dialogs = {
  chooseSavePath: async () => savePath,
  chooseOpenPath: async () => openPath,
  chooseFolder: async () => folder,
};

describe('import and export', () => {
  it('round-trips the instance list as CSV and JSON, without secrets', async () => {
    h = await startHarness(2, dialogs);
    await h.ok('app:instances:save', {
      ...(await instanceInput(h, 0)),
      variables: { customer: 'ACME' },
    });
    for (const format of ['csv', 'json'] as const) {
      savePath = join(files, `instances.${format}`);
      expect(await h.ok('app:transfer:export', { what: 'instances', format })).toEqual({
        path: savePath,
        count: 2,
      });
      const text = await readFile(savePath, 'utf8');
      expect(text).toContain('Customer 1');
      expect(text).toContain('ACME');
      for (const sim of h.sims) expect(text).not.toContain(sim.users.admin.password);
    }

    // Remove one, then import the CSV: it comes back, the other is unchanged.
    await h.ok('app:instances:remove', { id: h.ids[1]! });
    openPath = join(files, 'instances.csv');
    const imported = await h.ok('app:transfer:import', { what: 'instances' });
    expect(imported).toMatchObject({
      path: openPath,
      added: [h.ids[1]],
      unchanged: [h.ids[0]],
      problems: [],
    });
    const listed = await h.ok('app:instances:list', {});
    expect(listed.map((i) => i.id).sort()).toEqual([...h.ids].sort());
    // Imported without a secret: the window is told, nothing is invented.
    expect(listed.find((i) => i.id === h!.ids[1])!.secretConfigured).toBe(false);

    // JSON too, unchanged now.
    openPath = join(files, 'instances.json');
    const again = await h.ok('app:transfer:import', { what: 'instances' });
    expect(again.added).toEqual([]);
    expect(again.unchanged.sort()).toEqual([...h.ids].sort());
  });

  it('reports bad rows with row and field, and refuses a file with a password column', async () => {
    h = await startHarness(0, dialogs);
    openPath = join(files, 'bad.csv');
    await writeFile(
      openPath,
      'name,url,authMethod,username\nGood,https://good.service-now.com,basic,admin\nBad,https://bad.service-now.com,kerberos,admin\n',
    );
    const report = await h.ok('app:transfer:import', { what: 'instances' });
    expect(report.added).toEqual(['good']);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ row: 3, field: 'authMethod' });

    await writeFile(
      openPath,
      'name,url,authMethod,username,password\nX,https://x.service-now.com,basic,a,hunter2\n',
    );
    const refused = await h.ok('app:transfer:import', { what: 'instances' });
    expect(refused.refused).toMatch(/secret/);
    expect(refused.added).toEqual([]);
    expect(JSON.stringify(await h.ok('app:instances:list', {}))).not.toContain('hunter2');
  });

  it('exports and imports templates as JSON; cancelled dialogs change nothing', async () => {
    h = await startHarness(0, dialogs);
    const template = {
      name: 'acme-style',
      variables: [{ name: 'customer' }],
      main: { name: '{customer}_X' },
      clientCred: {},
    };
    await h.ok('app:templates:save', template);
    expect(await h.ok('app:transfer:export', { what: 'templates', format: 'json' })).toEqual({
      path: null,
      count: 0,
    });
    savePath = join(files, 'templates.json');
    expect((await h.ok('app:transfer:export', { what: 'templates', format: 'json' })).count).toBe(1);
    expect(await h.call('app:transfer:export', { what: 'templates', format: 'csv' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });

    await h.ok('app:templates:remove', { name: 'acme-style' });
    expect((await h.ok('app:transfer:import', { what: 'templates' })).path).toBeNull();
    openPath = savePath;
    const imported = await h.ok('app:transfer:import', { what: 'templates' });
    expect(imported).toMatchObject({ added: ['acme-style'], updated: [], problems: [], refused: null });
    expect((await h.ok('app:templates:list', {}))[0]!.main).toEqual({ name: '{customer}_X' });
    expect((await h.ok('app:transfer:import', { what: 'templates' })).updated).toEqual(['acme-style']);

    openPath = join(files, 'missing.json');
    expect(await h.call('app:transfer:import', { what: 'templates' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
  });
});

describe('workspace', () => {
  it('shows each unusable file, naming the file and the problem', async () => {
    h = await startHarness(1, dialogs);
    const info = await h.ok('app:workspace:info', {});
    expect(info).toEqual({ dir: join(h.userDataDir, 'workspace'), isDefault: true, problems: [] });

    await mkdir(join(info.dir, 'templates'), { recursive: true });
    await writeFile(join(info.dir, 'templates', 'broken.json'), '{ "kind": "spokesmith.template", ');
    await writeFile(
      join(info.dir, 'queue.json'),
      JSON.stringify({ kind: 'spokesmith.queue', version: 99, data: { entries: [] } }),
    );
    await h.restart();
    const after = await h.ok('app:workspace:info', {});
    const byFile = Object.fromEntries(after.problems.map((p) => [p.file.split(/[\\/]/).at(-1), p]));
    expect(byFile['broken.json']).toMatchObject({ reason: 'corrupt' });
    expect(byFile['broken.json']!.message).toContain('broken.json');
    // Left in place (issue 9 finding 7): it may be a newer Spokesmith's file.
    expect(byFile['broken.json']!.movedTo).toBeNull();
    expect(await readFile(join(info.dir, 'templates', 'broken.json'), 'utf8')).toBe(
      '{ "kind": "spokesmith.template", ',
    );
    expect(byFile['queue.json']).toMatchObject({ reason: 'unknown_version' });
    // The instance list was fine and is still there.
    expect((await h.ok('app:instances:list', {})).map((i) => i.id)).toEqual(h.ids);
  });

  it('points the workspace at another folder, remembers it in userData, and goes back to the default', async () => {
    h = await startHarness(1, dialogs);
    // Cancelled: nothing changes.
    expect(await h.ok('app:workspace:choose', {})).toMatchObject({ changed: false, isDefault: true });

    folder = join(files, 'team-repo', 'spokesmith');
    const chosen = await h.ok('app:workspace:choose', {});
    expect(chosen).toMatchObject({ dir: folder, isDefault: false, changed: true, problems: [] });
    expect(await h.ok('app:instances:list', {})).toEqual([]);
    await h.ok('app:templates:save', { name: 'team', variables: [], main: {}, clientCred: {} });
    expect(await readFile(join(folder, 'templates', 'team.json'), 'utf8')).toContain('team');
    // The choice lives in userData, never in the (shareable) workspace.
    const settings = await readFile(join(h.userDataDir, 'settings.json'), 'utf8');
    expect(settings).toContain(JSON.stringify(folder).slice(1, -1));
    await expect(readFile(join(folder, 'settings.json'), 'utf8')).rejects.toThrow();

    await h.restart();
    expect(await h.ok('app:workspace:info', {})).toMatchObject({ dir: folder, isDefault: false });
    expect((await h.ok('app:templates:list', {})).map((t) => t.name)).toEqual(['team']);

    const back = await h.ok('app:workspace:choose', { useDefault: true });
    expect(back).toMatchObject({ dir: join(h.userDataDir, 'workspace'), isDefault: true, changed: true });
    expect((await h.ok('app:instances:list', {})).map((i) => i.id)).toEqual(h.ids);
    expect(await h.ok('app:templates:list', {})).toEqual([]);
  });

  it('falls back to the default folder, and says so, when the remembered one cannot be opened', async () => {
    h = await startHarness(0, dialogs);
    const blocker = join(files, 'a-file');
    await writeFile(blocker, 'not a folder');
    await writeFile(
      join(h.userDataDir, 'settings.json'),
      JSON.stringify({
        kind: 'spokesmith.settings',
        version: 1,
        data: { workspaceDir: join(blocker, 'ws') },
      }),
    );
    await h.restart();
    const info = await h.ok('app:workspace:info', {});
    expect(info.isDefault).toBe(true);
    expect(info.problems).toHaveLength(1);
    expect(info.problems[0]!.message).toContain(join(blocker, 'ws'));
    // Choosing a folder that cannot hold a workspace answers in plain words and keeps the current one.
    folder = join(blocker, 'other');
    expect(await h.call('app:workspace:choose', {})).toMatchObject({ ok: false, code: 'invalid_input' });
    expect((await h.ok('app:workspace:info', {})).isDefault).toBe(true);
  });
});

async function instanceInput(h: Harness, index: number) {
  const view = (await h.ok('app:instances:list', {})).find((i) => i.id === h.ids[index])!;
  return {
    id: view.id,
    name: view.name,
    url: view.url,
    authMethod: view.authMethod,
    username: view.username,
  };
}
