// What the workspace watcher does with the events fs.watch gives on platforms that do not name the changed
// file (Linux inotify always does, so fs.watch — the OS boundary — is replaced by a fake that delivers
// the events such platforms send), and with a watcher that fails.
import { EventEmitter } from 'node:events';
import type * as fs from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openWorkspace, type WorkspaceChange } from '../../../src/main/workspace';
import { ACME, tempDir } from './helpers';

class FakeWatcher extends EventEmitter {
  closed = false;
  constructor(readonly onName: (event: string, name: string | null) => void) {
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
    watch: (dir: string, _options: unknown, onName: (event: string, name: string | null) => void) => {
      const watcher = new FakeWatcher(onName);
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
});
