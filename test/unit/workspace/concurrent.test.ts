// Two Workspace objects open on one folder behave as two processes do (each has its own copy of the
// files): every change either makes is kept, reload() shows the other's changes, and watch() reports them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace, type WorkspaceChange } from '../../../src/main/workspace';
import type { QueueEntry } from '../../../src/shared/workspace/schemas';
import { ACME, tempDir, waitingQueueEntry } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const instance = (n: number) => ({ ...ACME, name: `Customer ${n}`, url: `https://c${n}.service-now.com` });

describe('several processes on one workspace', () => {
  it('keeps the instances each one adds, and the statuses each one sets', async () => {
    const [a, b] = await Promise.all([openWorkspace(dir), openWorkspace(dir)]);
    await Promise.all([
      ...[1, 2, 3].map((n) => a.instances.save(instance(n))),
      ...[4, 5, 6].map((n) => b.instances.save(instance(n))),
    ]);
    // Each copy sees at least its own and everything written before its last change …
    expect(b.instances.list().length).toBeGreaterThanOrEqual(3);
    // … and the file on disk has all six.
    const fresh = await openWorkspace(dir);
    expect(fresh.instances.list().map((i) => i.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);

    await a.reload();
    await b.reload();
    await Promise.all([a.instances.setStatus('c1', 'ready'), b.instances.setStatus('c4', 'failed', 'x')]);
    const statuses = (await openWorkspace(dir)).instances.list().map((i) => [i.id, i.status]);
    expect(statuses).toEqual([
      ['c1', 'ready'],
      ['c2', 'not_checked'],
      ['c3', 'not_checked'],
      ['c4', 'failed'],
      ['c5', 'not_checked'],
      ['c6', 'not_checked'],
    ]);
  });

  it('removes in one process without undoing another process’s additions', async () => {
    const a = await openWorkspace(dir);
    await a.instances.save(instance(1));
    const b = await openWorkspace(dir);
    await a.instances.save(instance(2)); // b has not seen it
    expect(await b.instances.remove('c1')).toBe(true);
    expect((await openWorkspace(dir)).instances.list().map((i) => i.id)).toEqual(['c2']);
    expect(b.instances.list().map((i) => i.id)).toEqual(['c2']); // b's copy refreshed by its change
  });

  it('keeps templates saved by both, and queue entries added by both', async () => {
    const [a, b] = await Promise.all([openWorkspace(dir), openWorkspace(dir)]);
    const template = (name: string) => ({ name, description: '', variables: [], main: {}, clientCred: {} });
    await Promise.all([a.templates.save(template('one')), b.templates.save(template('two'))]);
    await a.reload();
    expect(a.templates.list().map((t) => t.name)).toEqual(['one', 'two']);

    await Promise.all([
      a.queue.update((entries) => [...entries, waitingQueueEntry('q1', 'c1')]),
      b.queue.update((entries) => [...entries, waitingQueueEntry('q2', 'c1')]),
    ]);
    await b.reload();
    // Both kept; which process took the file lock first decides the order, so it is not asserted.
    expect(
      b.queue
        .read()
        .map((e) => e.id)
        .sort(),
    ).toEqual(['q1', 'q2']);
    const stored = JSON.parse(await readFile(join(dir, 'queue.json'), 'utf8')) as {
      data: { entries: QueueEntry[] };
    };
    expect(stored.data.entries.map((e) => e.id).sort()).toEqual(['q1', 'q2']);
  });

  it('tells a watcher when another process changed the instances, with the change loaded', async () => {
    const app = await openWorkspace(dir, { watchDebounceMs: 20 });
    const cli = await openWorkspace(dir);
    const changes: WorkspaceChange[] = [];
    let notified: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => (notified = resolve));
    const stop = app.watch((change) => {
      changes.push(change);
      notified();
    });
    try {
      await cli.instances.save(instance(7));
      await seen; // fs.watch delivers the event; the test's timeout bounds the wait.
      expect(changes[0]!.files).toContain('instances.json');
      expect(app.instances.list().map((i) => i.id)).toEqual(['c7']);
    } finally {
      stop();
    }
  });
});
