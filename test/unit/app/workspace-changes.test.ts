// The app and other processes on one workspace (issue 8): what a second process (another Workspace object
// on the same folder, or a CLI run) changes reaches the window as `app:workspace:changed`, and the app's
// lists show it; an unreadable workspace file answers in plain words naming the file, never `internal`.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/workspace';
import { startSimulator, type Simulator } from '../../../src/main/simulator';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import { runCli } from '../../integration/cli/harness';
import { eventually, startHarness, type Harness } from './harness';

let h: Harness | null = null;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await h?.close();
  h = null;
  for (const step of cleanup.splice(0)) await step();
});

const workspaceDir = (harness: Harness) => join(harness.userDataDir, 'workspace');
const changedFiles = (harness: Harness, from = 0) =>
  harness
    .eventsOf('app:workspace:changed')
    .slice(from)
    .flatMap((e) => e.files);
/** How many change events the window has heard so far: the app's own start-up writes are announced too. */
const heard = (harness: Harness) => harness.eventsOf('app:workspace:changed').length;
const names = async (harness: Harness) =>
  (await harness.ok('app:instances:list', {})).map((i) => i.name).sort();

async function simulator(): Promise<Simulator> {
  const sim = await startSimulator({ scenario: 'fresh', port: 0, host: '127.0.0.1' });
  cleanup.push(() => sim.close());
  return sim;
}

describe('changes another process makes to the workspace', () => {
  it('an instance another Workspace on the same folder adds is announced and listed', async () => {
    h = await startHarness(1);
    expect(await names(h)).toEqual(['Customer 1']);
    const other = await openWorkspace(workspaceDir(h));
    const before = heard(h);
    await other.instances.save({
      name: 'Added Elsewhere',
      url: 'https://added-elsewhere.service-now.com',
      authMethod: 'basic',
      username: 'admin',
    });

    // The app's own start-up writes are announced too, and a reload may have begun before the other write
    // landed: wait for the window to be told of a change after it, and for the list to show it.
    await eventually(async () => (await names(h!)).includes('Added Elsewhere'));
    await eventually(() => changedFiles(h!, before).includes('instances.json'));
    expect(await names(h)).toEqual(['Added Elsewhere', 'Customer 1']);
  });

  it('an instance a CLI run adds is announced and listed, with both instances kept', async () => {
    h = await startHarness(1);
    const sim = await simulator();
    const before = heard(h);
    const cli = await runCli(
      ['instances', 'add', 'From The CLI', '--url', sim.url, '--user', sim.users.admin.userName],
      {
        env: {
          SN_PASSWORD: sim.users.admin.password,
          SPOKESMITH_WORKSPACE: workspaceDir(h),
          SPOKESMITH_SECRET_STORE: 'memory',
        },
      },
    );
    expect(cli.code, cli.stderr).toBe(0);

    await eventually(async () => (await names(h!)).includes('From The CLI'));
    await eventually(() => changedFiles(h!, before).includes('instances.json'));
    expect(await names(h)).toEqual(['Customer 1', 'From The CLI']);
  });

  it('an apply another process queues shows in the queue list and the window hears of it', async () => {
    h = await startHarness(1);
    const other = await openWorkspace(workspaceDir(h));
    const id = h.ids[0]!;
    const entry = {
      id: 'queued-elsewhere',
      instanceId: id,
      action: 'apply' as const,
      desired: defaultDesiredState(),
      reason: 'offline',
      status: 'waiting' as const,
      requestedAt: new Date().toISOString(),
      attempts: 0,
      lastAttemptAt: null,
      nextAttemptAt: new Date(Date.now() + 600_000).toISOString(),
      lastError: null,
      applyId: null,
      finishedAt: null,
    };
    await other.queue.update((entries) => [...entries, entry]);

    await eventually(() => changedFiles(h!).includes('queue.json'));
    const view = await h.ok('app:queue:list', {});
    expect(view.items.map((i) => [i.id, i.status])).toEqual([['queued-elsewhere', 'waiting']]);
    expect(
      h
        .eventsOf('app:queue:changed')
        .at(-1)!
        .items.map((i) => i.id),
    ).toEqual(['queued-elsewhere']);
  });

  it('follows the folder the user switches to, not the one they left', async () => {
    const chosen = await mkdtemp(join(tmpdir(), 'spokesmith-chosen-'));
    cleanup.push(() => rm(chosen, { recursive: true, force: true }));
    h = await startHarness(0, { chooseFolder: async () => chosen });
    await h.ok('app:workspace:choose', {});
    const left = await openWorkspace(workspaceDir(h));
    const current = await openWorkspace(chosen);
    const add = (ws: typeof left, name: string) =>
      ws.instances.save({
        name,
        url: `https://${name}.service-now.com`,
        authMethod: 'basic',
        username: 'admin',
      });
    await add(left, 'left-behind');
    await add(current, 'in-the-new-folder');

    await eventually(() => changedFiles(h!).includes('instances.json'));
    expect(await names(h)).toEqual(['in-the-new-folder']);
  });
});

describe('an unreadable workspace file', () => {
  it('answers invalid_input naming the file, not internal, and leaves the file as it is', async () => {
    h = await startHarness(0);
    const file = join(workspaceDir(h), 'instances.json');
    await writeFile(file, '{ not json');
    await h.restart();

    const listed = await h.call('app:instances:list', {});
    expect(listed).toMatchObject({ ok: false, code: 'invalid_input', details: { file } });
    if (listed.ok) throw new Error('expected a refusal');
    expect(listed.message).toContain(file);

    const sim = await simulator();
    const saved = await h.call('app:instances:save', {
      name: 'Acme',
      url: sim.url,
      authMethod: 'basic',
      username: sim.users.admin.userName,
      password: sim.users.admin.password,
    });
    expect(saved).toMatchObject({ ok: false, code: 'invalid_input' });
    if (saved.ok) throw new Error('expected a refusal');
    expect(saved.message).toContain(file);
    expect(saved.message).not.toContain(sim.users.admin.password);
    expect(await readFile(file, 'utf8')).toBe('{ not json');
  });
});
