// Two processes sharing one workspace's queue (the app and a CLI run, say): each has its own Workspace
// object and its own queue on the same folder, so each holds its own copy of queue.json. Every change
// must be made to the file as it is on disk, under its lock, or one process writes the other's entries away.
import { afterEach, describe, expect, it } from 'vitest';
import { createOfflineQueue, type OfflineQueue } from '../../../src/main/fleet';
import { openWorkspace, type Workspace } from '../../../src/main/workspace';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import { clientFor, startFleet, type Fleet } from './helpers';

let fleet: Fleet | null = null;
afterEach(async () => {
  await fleet?.close();
  fleet = null;
});

/** Never fires: these tests drive the queues by hand. */
const NEVER = () => () => undefined;

async function twoProcesses(f: Fleet): Promise<{ a: OfflineQueue; b: OfflineQueue; other: Workspace }> {
  const other = await openWorkspace(f.workspace.dir);
  const make = (workspace: Workspace) =>
    createOfflineQueue({
      workspace,
      connect: async (id) => clientFor(f.sims[f.ids.indexOf(id)]!),
      schedule: NEVER,
    });
  return { a: make(f.workspace), b: make(other), other };
}

describe('offline queue shared by two processes', () => {
  it('keeps both entries when two processes enqueue at the same moment, 10 times over', async () => {
    fleet = await startFleet(2);
    const { a, b, other } = await twoProcesses(fleet);
    const [first, second] = fleet.ids as [string, string];
    for (let trial = 0; trial < 10; trial++) {
      const [fromA, fromB] = await Promise.all([
        a.enqueue(first, defaultDesiredState(), 'offline'),
        b.enqueue(second, defaultDesiredState(), 'offline'),
      ]);
      const onDisk = await openWorkspace(fleet.workspace.dir);
      expect(
        onDisk.queue
          .read()
          .filter((e) => e.status === 'waiting')
          .map((e) => e.id)
          .sort(),
      ).toEqual([fromA.id, fromB.id].sort());
      // Each process cancels the other's entry (it sees it only on disk), then clears: nothing is left.
      await Promise.all([a.cancel(fromB.id), b.cancel(fromA.id)]);
      await other.reload();
      expect(b.list().map((e) => e.status)).toEqual(['cancelled', 'cancelled']);
      await a.clearFinished();
      expect(a.list()).toEqual([]);
    }
    await Promise.all([a.stop(), b.stop()]);
  });

  it('keeps one waiting apply per instance across processes: the later request replaces the earlier', async () => {
    fleet = await startFleet(1);
    const { a, b, other } = await twoProcesses(fleet);
    const id = fleet.ids[0]!;
    const first = await a.enqueue(id, defaultDesiredState(), 'offline');
    const desired = defaultDesiredState();
    desired.main.name = 'Renamed_Connection';
    // B never reloaded: its copy of the queue is empty, but the change is decided on the file.
    const second = await b.enqueue(id, desired, 'hibernating');
    expect(second.id).toBe(first.id);
    await fleet.workspace.reload();
    expect(a.list()).toHaveLength(1);
    expect(a.list()[0]).toMatchObject({
      reason: 'hibernating',
      desired: { main: { name: 'Renamed_Connection' } },
    });
    expect(other.queue.read()).toEqual(a.list());
    await Promise.all([a.stop(), b.stop()]);
  });

  it('does not run an entry another process cancelled after this one last read the queue', async () => {
    fleet = await startFleet(1);
    const { a, b } = await twoProcesses(fleet);
    const entry = await a.enqueue(fleet.ids[0]!, defaultDesiredState(), 'offline');
    // B's copy still says waiting for the entry it queued; A (another process) cancels it on disk.
    const stale = await openWorkspace(fleet.workspace.dir);
    const c = createOfflineQueue({
      workspace: stale,
      connect: async () => clientFor(fleet!.sims[0]!),
      schedule: NEVER,
    });
    expect(await b.cancel(entry.id)).toBe(true);
    expect(c.list()[0]).toMatchObject({ status: 'waiting' });
    expect(await c.drainNow()).toEqual([]);
    expect(fleet.sims[0]!.log.filter((r) => r.method === 'POST')).toEqual([]);
    expect(stale.queue.read()[0]).toMatchObject({ status: 'cancelled' });
    await Promise.all([a.stop(), b.stop(), c.stop()]);
  });
});
