// What the workspace watcher makes of the platform's file events: which names count, how a burst settles
// into one call, what an event without a name or a failing watcher does. fs.watch (not ours, and its
// events differ per platform) is replaced by watchers the test fires by hand; the debounce timer is faked.
// The watcher on a real folder, with another process writing: test/unit/workspace/concurrent.test.ts.
//
// The workspace modules are imported inside the tests, not at the top: their constants (which files
// count) are then covered by the first test in the mutation run, which otherwise sees them as covered only
// by the CLI tests that load them lazily (stryker.config.mjs, ignoreStatic).
import { EventEmitter } from 'node:events';
import type * as fs from 'node:fs';
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorkspaceLayout } from '../../../src/main/workspace/paths';
import type { WorkspaceChange } from '../../../src/main/workspace/watch';
import { ACME, tempDir } from './helpers';

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  return { ...actual, watch: vi.fn() };
});

interface FakeWatcher {
  dir: string;
  options: unknown;
  fire(name: string | null): void;
  emitter: EventEmitter;
  closed: boolean;
}

const layout = { dir: '/ws', templatesDir: join('/ws', 'templates') } as WorkspaceLayout;
const load = () => import('../../../src/main/workspace');
let watchers: FakeWatcher[] = [];
let missing = new Set<string>();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  watchers = [];
  missing = new Set();
  vi.mocked(watch).mockImplementation(((
    dir: string,
    options: unknown,
    listener: (e: string, n: string | null) => void,
  ) => {
    if (missing.has(dir)) throw Object.assign(new Error(`ENOENT: ${dir}`), { code: 'ENOENT' });
    const emitter = new EventEmitter();
    const fake: FakeWatcher = {
      dir,
      options,
      fire: (name) => listener('rename', name),
      emitter,
      closed: false,
    };
    watchers.push(fake);
    return Object.assign(emitter, {
      close: () => {
        fake.closed = true;
      },
    }) as unknown as FSWatcher;
  }) as unknown as typeof watch);
});
afterEach(() => {
  vi.useRealTimers();
});

const on = (dir: string) => {
  const found = watchers.filter((w) => w.dir === dir && !w.closed);
  expect(found, `one open watcher on ${dir}`).toHaveLength(1);
  return found[0]!;
};

async function start(debounceMs = 100) {
  const { watchWorkspace } = await import('../../../src/main/workspace/watch');
  const calls: string[][] = [];
  const stop = watchWorkspace(layout, {
    debounceMs,
    onChange: async (files) => {
      calls.push(files);
    },
  });
  return { calls, stop };
}

/** Runs the debounce timer and the onChange it starts. */
async function settle(ms: number) {
  await vi.advanceTimersByTimeAsync(ms);
}

describe('which file events count', () => {
  it('reports the shared top-level files and template files, and nothing else', async () => {
    const { calls } = await start();
    on(layout.templatesDir).fire('acme.json');
    for (const name of ['queue.json', 'notes.txt', 'local-state.json', '.gitignore', 'instances.json'])
      on(layout.dir).fire(name);
    on(layout.templatesDir).fire('README.md');
    await settle(100);
    expect(calls).toEqual([['instances.json', 'local-state.json', 'queue.json', 'templates/acme.json']]);
  });

  it('watches the workspace and its templates folder without keeping the process alive', async () => {
    await start();
    expect(watchers.map((w) => [w.dir, w.options])).toEqual([
      [layout.dir, { persistent: false }],
      [layout.templatesDir, { persistent: false }],
    ]);
  });

  it('ignores a burst of events about files it does not read', async () => {
    const { calls } = await start();
    on(layout.dir).fire('instances.json.123.tmp');
    on(layout.templatesDir).fire('acme.json.tmp');
    await settle(1000);
    expect(calls).toEqual([]);
  });

  it('reports an event the platform could not name as "something changed here"', async () => {
    const { calls } = await start();
    on(layout.dir).fire(null);
    await settle(100);
    on(layout.templatesDir).fire(null);
    await settle(100);
    expect(calls).toEqual([['.'], ['templates/']]);
  });
});

describe('settling', () => {
  it('calls once per burst, the debounce counted from the last event, each file once', async () => {
    const { calls } = await start(100);
    on(layout.dir).fire('instances.json');
    await settle(99);
    on(layout.dir).fire('queue.json');
    await settle(99);
    on(layout.dir).fire('instances.json');
    await settle(99);
    expect(calls).toEqual([]);
    await settle(1);
    expect(calls).toEqual([['instances.json', 'queue.json']]);
    on(layout.dir).fire('local-state.json');
    await settle(100);
    expect(calls).toEqual([['instances.json', 'queue.json'], ['local-state.json']]);
  });

  it('keeps going after a reload that fails, and tells the next change', async () => {
    const calls: string[][] = [];
    const { watchWorkspace } = await import('../../../src/main/workspace/watch');
    watchWorkspace(layout, {
      debounceMs: 10,
      onChange: async (files) => {
        calls.push(files);
        if (calls.length === 1) throw new Error('instances.json is mid-edit');
      },
    });
    on(layout.dir).fire('instances.json');
    await settle(10);
    on(layout.dir).fire('instances.json');
    await settle(10);
    expect(calls).toEqual([['instances.json'], ['instances.json']]);
  });

  it('after stop: no call for a pending burst, and every watcher closed', async () => {
    const { calls, stop } = await start();
    const [root, templates] = [on(layout.dir), on(layout.templatesDir)];
    root.fire('instances.json');
    stop();
    await settle(1000);
    expect(calls).toEqual([]);
    expect([root.closed, templates.closed]).toEqual([true, true]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('stopping while a reload runs', () => {
  it('does not start a reload queued behind the running one', async () => {
    const { watchWorkspace } = await import('../../../src/main/workspace/watch');
    const calls: string[][] = [];
    let finish: () => void = () => undefined;
    const stop = watchWorkspace(layout, {
      debounceMs: 10,
      onChange: (files) => {
        calls.push(files);
        return new Promise<void>((resolve) => (finish = resolve));
      },
    });
    on(layout.dir).fire('instances.json');
    await settle(10); // The first reload runs (and waits for finish()).
    on(layout.dir).fire('queue.json');
    await settle(10); // The second is queued behind it.
    stop();
    finish();
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([['instances.json']]);
  });
});

describe('a folder that cannot be watched', () => {
  it('starts watching templates/ once it is created, and reports it', async () => {
    missing.add(layout.templatesDir);
    const { calls } = await start();
    expect(watchers.map((w) => w.dir)).toEqual([layout.dir]);
    missing.clear();
    on(layout.dir).fire('templates');
    on(layout.templatesDir).fire('acme.json');
    await settle(100);
    expect(calls).toEqual([['templates/', 'templates/acme.json']]);
    // Another event for the folder does not start a second watcher on it.
    on(layout.dir).fire('templates');
    expect(watchers.filter((w) => w.dir === layout.templatesDir)).toHaveLength(1);
  });

  it('closes and forgets a watcher that fails, so the folder can be watched again', async () => {
    await start();
    const failing = on(layout.templatesDir);
    failing.emitter.emit('error', new Error('EPERM'));
    expect(failing.closed).toBe(true);
    on(layout.dir).fire('templates'); // e.g. the folder was replaced
    expect(on(layout.templatesDir)).not.toBe(failing);
  });
});

describe('the drafts of saved instances', () => {
  const withInstances = {
    ...layout,
    instancesDir: join('/ws', 'instances'),
    instanceDir: (id: string) => join('/ws', 'instances', id),
  } as WorkspaceLayout;
  const folder = (id: string) => withInstances.instanceDir(id);

  async function startWith(ids: () => string[]) {
    const { watchWorkspace } = await import('../../../src/main/workspace/watch');
    const calls: string[][] = [];
    const stop = watchWorkspace(withInstances, {
      debounceMs: 100,
      instanceIds: ids,
      onChange: async (files) => {
        calls.push(files);
      },
    });
    return { calls, stop };
  }

  it("reports a write of a saved instance's draft, and nothing else its folder holds", async () => {
    const { calls } = await startWith(() => ['acme']);
    for (const name of ['snapshot.json', 'plan.json', 'draft.json.4242.tmp', 'journal', 'draft.json'])
      on(folder('acme')).fire(name);
    await settle(100);
    expect(calls).toEqual([['instances/acme/draft.json']]);
  });

  it('watches a saved instance whose folder appears later, and reports the draft it may hold', async () => {
    missing.add(folder('beta'));
    const { calls } = await startWith(() => ['beta']);
    expect(watchers.map((w) => w.dir)).not.toContain(folder('beta'));
    missing.clear();
    on(withInstances.instancesDir).fire('not-saved'); // A URL-only instance's folder: not shown.
    on(withInstances.instancesDir).fire('beta');
    await settle(100);
    expect(calls).toEqual([['instances/beta/draft.json']]);
    on(folder('beta')).fire('draft.json');
    await settle(100);
    expect(calls).toHaveLength(2);
  });

  it('watches the folder afresh when it is replaced (a git checkout), not a second time beside it', async () => {
    const { calls } = await startWith(() => ['acme']);
    const first = on(folder('acme'));
    on(withInstances.instancesDir).fire('acme');
    await settle(100);
    expect(first.closed).toBe(true);
    expect(on(folder('acme'))).not.toBe(first);
    expect(calls).toEqual([['instances/acme/draft.json']]);
  });

  it('follows instances.json: an instance added is watched, one removed no longer', async () => {
    let ids = ['acme'];
    await startWith(() => ids);
    const acme = on(folder('acme'));
    ids = ['beta'];
    on(layout.dir).fire('instances.json');
    await settle(100);
    expect(acme.closed).toBe(true);
    expect(on(folder('beta')).closed).toBe(false);
  });

  it('watches instances/ once it is created, and reports the drafts of the saved instances under it', async () => {
    missing.add(withInstances.instancesDir);
    missing.add(folder('acme'));
    const { calls } = await startWith(() => ['acme']);
    expect(watchers.map((w) => w.dir)).toEqual([layout.dir, layout.templatesDir]);
    missing.clear(); // A first draft: instances/acme/draft.json written at once.
    on(layout.dir).fire('instances');
    await settle(100);
    expect(calls).toEqual([['instances/acme/draft.json']]);
    expect(on(folder('acme')).closed).toBe(false);
    expect(on(withInstances.instancesDir).closed).toBe(false);
  });

  it('watches no instance folder unless asked to', async () => {
    await start();
    expect(watchers.map((w) => w.dir)).toEqual([layout.dir, layout.templatesDir]);
  });
});

describe('a workspace told of changes', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => undefined;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  /** Lets real file I/O run until `done` holds: waits for an event, never for a time. */
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise((r) => setImmediate(r));
  };

  it("tells the listener of another process's change, not of its own write echoing back", async () => {
    const app = await (await load()).openWorkspace(dir, { watchDebounceMs: 10 });
    await app.instances.save(ACME);
    await app.templates.save({ name: 'naming', variables: [], main: {}, clientCred: {} });
    const cli = await (await load()).openWorkspace(dir);
    const told: WorkspaceChange[] = [];
    app.watch((change) => told.push(change));
    const root = on(dir);

    await app.instances.save({ ...ACME, id: 'acme', name: 'ACME renamed' }); // Our own write.
    const template = app.templates.get('naming');
    root.fire('instances.json');
    await settle(10);
    // The reload re-reads instances and this machine's state, then templates (new objects): once the
    // template is a new object, what it read of local-state.json can no longer change.
    await until(() => app.templates.get('naming') !== template);
    await cli.instances.setStatus('acme', 'failed', 'boom'); // Another process's change.
    root.fire('local-state.json');
    await settle(10);
    await until(() => told.length > 0); // Reloads run one after the other: the first has finished.
    expect(told).toEqual([{ files: ['local-state.json'] }]);
    expect(app.instances.get('acme')).toMatchObject({ name: 'ACME renamed', status: 'failed' });
  });

  it("tells the listener when a saved instance's draft was written, though no list changed", async () => {
    const app = await (await load()).openWorkspace(dir, { watchDebounceMs: 10 });
    await app.instances.save(ACME);
    await app.drafts.save('acme', { main: { name: 'Ours' }, clientCred: {} });
    const cli = await (await load()).openWorkspace(dir);
    const told: WorkspaceChange[] = [];
    app.watch((change) => told.push(change));
    await cli.drafts.save('acme', { main: { name: 'Theirs' }, clientCred: {} });
    on(join(dir, 'instances', 'acme')).fire('draft.json');
    await settle(10);
    await until(() => told.length > 0);
    expect(told).toEqual([{ files: ['instances/acme/draft.json'] }]);
  });

  it('settles events for 150 ms unless told otherwise', async () => {
    const app = await (await load()).openWorkspace(dir);
    app.watch(() => undefined);
    on(dir).fire('instances.json');
    expect(vi.getTimerCount()).toBe(1);
    await settle(149);
    expect(vi.getTimerCount()).toBe(1);
    await settle(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
