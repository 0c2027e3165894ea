// What the workspace watcher does with the events fs.watch gives on platforms that do not name the changed
// file (Linux inotify always does, so fs.watch — the OS boundary — is replaced by a fake that delivers
// the events such platforms send), and with a watcher that fails.
import { EventEmitter } from 'node:events';
import type * as fs from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openWorkspace, type WorkspaceChange } from '../../../src/main/workspace';
import { ACME, tempDir } from './helpers';

class FakeWatcher extends EventEmitter {
  closed = false;
  constructor(
    readonly options: unknown,
    readonly onName: (event: string, name: string | null) => void,
  ) {
    super();
  }
  close() {
    this.closed = true;
  }
}
const watchers = new Map<string, FakeWatcher[]>();

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  return {
    ...actual,
    watch: (dir: string, options: unknown, onName: (event: string, name: string | null) => void) => {
      // As the real one: a folder that does not exist cannot be watched.
      if (!actual.existsSync(dir)) throw Object.assign(new Error(`ENOENT: ${dir}`), { code: 'ENOENT' });
      const watcher = new FakeWatcher(options, onName);
      watchers.set(dir, [...(watchers.get(dir) ?? []), watcher]);
      return watcher;
    },
  };
});

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  watchers.clear();
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

/** The next change the listener is told about. */
function nextChange(watch: (listener: (change: WorkspaceChange) => void) => () => void) {
  let stop: () => void = () => undefined;
  const change = new Promise<WorkspaceChange>((resolve) => {
    stop = watch(resolve);
  });
  return { change, stop };
}

describe('workspace watching', () => {
  it('an event without a file name in the folder reloads everything and says so', async () => {
    const app = await openWorkspace(dir, { watchDebounceMs: 1 });
    const cli = await openWorkspace(dir);
    const { change, stop } = nextChange((l) => app.watch(l));
    try {
      await cli.instances.save(ACME);
      watchers.get(dir)![0]!.onName('rename', null);
      expect((await change).files).toEqual(['.']);
      expect(app.instances.list().map((i) => i.id)).toEqual(['acme']);
    } finally {
      stop();
    }
  });

  it('an event without a file name in templates/ reloads the templates and says so', async () => {
    await mkdir(join(dir, 'templates'));
    const app = await openWorkspace(dir, { watchDebounceMs: 1 });
    const cli = await openWorkspace(dir);
    const { change, stop } = nextChange((l) => app.watch(l));
    try {
      await cli.templates.save({ name: 'acme', variables: [], main: {}, clientCred: {} });
      watchers.get(join(dir, 'templates'))![0]!.onName('change', null);
      expect((await change).files).toEqual(['templates/']);
      expect(app.templates.list().map((t) => t.name)).toEqual(['acme']);
    } finally {
      stop();
    }
  });

  it('a watcher that fails is closed, and templates/ is watched again when it reappears', async () => {
    await mkdir(join(dir, 'templates'));
    const app = await openWorkspace(dir, { watchDebounceMs: 1 });
    const stop = app.watch(() => undefined);
    try {
      const [failed] = watchers.get(join(dir, 'templates'))!;
      failed!.emit('error', new Error('EPERM'));
      expect(failed!.closed).toBe(true);
      watchers.get(dir)![0]!.onName('rename', 'templates');
      expect(watchers.get(join(dir, 'templates'))).toHaveLength(2);
    } finally {
      stop();
    }
  });

  it('reports the workspace files that changed, sorted, and ignores the others', async () => {
    await mkdir(join(dir, 'templates'));
    const app = await openWorkspace(dir, { watchDebounceMs: 1 });
    const cli = await openWorkspace(dir);
    const { change, stop } = nextChange((l) => app.watch(l));
    try {
      await cli.instances.save(ACME);
      const [top] = watchers.get(dir)!;
      const [templates] = watchers.get(join(dir, 'templates'))!;
      // Watching never keeps a CLI run alive.
      expect(top!.options).toEqual({ persistent: false });
      expect(templates!.options).toEqual({ persistent: false });
      top!.onName('change', 'queue.json');
      top!.onName('rename', 'instances.json.lock');
      top!.onName('rename', '.gitignore');
      top!.onName('change', 'instances.json');
      templates!.onName('rename', 'acme.json.tmp');
      templates!.onName('rename', 'acme.json');
      expect((await change).files).toEqual(['instances.json', 'queue.json', 'templates/acme.json']);
    } finally {
      stop();
    }
  });

  it('starts watching templates/ when it is created, once, and stops watching everything when told', async () => {
    const app = await openWorkspace(dir, { watchDebounceMs: 1 });
    const cli = await openWorkspace(dir);
    const { change, stop } = nextChange((l) => app.watch(l));
    expect(watchers.get(join(dir, 'templates'))).toBeUndefined(); // No folder yet: the real watch throws.
    await cli.templates.save({ name: 'acme', variables: [], main: {}, clientCred: {} });
    const [top] = watchers.get(dir)!;
    top!.onName('rename', 'templates');
    top!.onName('rename', 'templates');
    expect((await change).files).toEqual(['templates/']);
    expect(app.templates.list().map((t) => t.name)).toEqual(['acme']);
    expect(watchers.get(join(dir, 'templates'))).toHaveLength(1);
    stop();
    expect([...watchers.values()].flat().every((w) => w.closed)).toBe(true);
    top!.onName('rename', 'templates');
    expect(watchers.get(join(dir, 'templates'))).toHaveLength(1);
  });

  it('does not call the listener when a reload changes nothing it shows', async () => {
    await mkdir(join(dir, 'templates'));
    const app = await openWorkspace(dir, { watchDebounceMs: 1 });
    const cli = await openWorkspace(dir);
    const calls: WorkspaceChange[] = [];
    let called: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (called = resolve));
    const stop = app.watch((change) => {
      calls.push(change);
      called();
    });
    try {
      // A torn template: the reload lists it as a problem, but no template, instance or queue entry changed.
      const torn = join(dir, 'templates', 'zzz.json');
      await writeFile(torn, '{ torn');
      watchers.get(join(dir, 'templates'))![0]!.onName('rename', 'zzz.json');
      await vi.waitFor(() => expect(app.problems.map((p) => p.file)).toContain(torn), { timeout: 10_000 });
      await cli.instances.save(ACME);
      watchers.get(dir)![0]!.onName('change', 'instances.json');
      await first;
      expect(calls[0]!.files).toEqual(['instances.json']);
    } finally {
      stop();
    }
  });
});
