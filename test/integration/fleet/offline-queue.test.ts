import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOfflineQueue, type QueueEvent, type QueueSchedule } from '../../../src/main/fleet';
import { openWorkspace } from '../../../src/main/workspace';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import { clientFor, connectionNames, startFleet, type Fleet } from './helpers';

let fleet: Fleet | null = null;
afterEach(async () => {
  await fleet?.close();
  fleet = null;
});

const FAST = { initialMs: 20, maxMs: 100 };

function nextEvent<T extends QueueEvent['type']>(
  queue: { on(l: (e: QueueEvent) => void): () => void },
  type: T,
): Promise<Extract<QueueEvent, { type: T }>> {
  return new Promise((resolve) => {
    const off = queue.on((event) => {
      if (event.type === type) {
        off();
        resolve(event as Extract<QueueEvent, { type: T }>);
      }
    });
  });
}

describe('offline queue', () => {
  it('queues an apply while the instance hibernates, survives a restart, and drains when it wakes', async () => {
    fleet = await startFleet(1);
    const sim = fleet.sims[0]!;
    const id = fleet.ids[0]!;
    const removeHibernation = sim.faults.add({ kind: 'hibernate' });
    const connect = async () => clientFor(sim);

    const queue = createOfflineQueue({ workspace: fleet.workspace, connect, backoff: FAST });
    const events: QueueEvent[] = [];
    queue.on((e) => events.push(e));
    const answer = await queue.requestApply(id, defaultDesiredState());
    expect(answer.queued).toBe(true);
    if (!answer.queued) return;
    expect(answer.entry).toMatchObject({ instanceId: id, status: 'waiting', reason: 'hibernating' });
    expect(queue.network()).toEqual([
      expect.objectContaining({ instanceId: id, reachable: false, code: 'hibernating' }),
    ]);
    expect(events.some((e) => e.type === 'changed')).toBe(true);

    // Still asleep: a drain probes, backs off, and writes nothing.
    expect(await queue.drainNow()).toEqual([]);
    const [waiting] = queue.list();
    expect(waiting).toMatchObject({ status: 'waiting', attempts: 1 });
    expect(Date.parse(waiting!.nextAttemptAt!)).toBeGreaterThan(Date.parse(waiting!.lastAttemptAt!));
    await queue.stop();

    // Restart: a new process opens the workspace and finds the queued apply.
    const reopened = await openWorkspace(fleet.workspace.dir);
    expect(reopened.problems).toEqual([]);
    const queue2 = createOfflineQueue({ workspace: reopened, connect, backoff: FAST });
    expect(queue2.list()).toEqual([
      expect.objectContaining({ id: waiting!.id, status: 'waiting', instanceId: id }),
    ]);
    expect(connectionNames(sim)).toEqual([]);

    removeHibernation();
    const finished = nextEvent(queue2, 'finished');
    queue2.start();
    const { outcome, entry } = await finished;
    await queue2.stop();
    expect(outcome.status).toBe('provisioned');
    expect(entry).toMatchObject({ status: 'done', lastError: null });
    expect(entry.applyId).toBe(outcome.record?.applyId);
    expect(connectionNames(sim)).toEqual([
      'Exchange_Online_Connection',
      'Exchange_Online_Connection_clientCred',
    ]);
    expect(queue2.network()[0]).toMatchObject({ reachable: true });
    const stored = JSON.parse(await readFile(join(reopened.dir, 'queue.json'), 'utf8')) as {
      data: { entries: Array<{ status: string }> };
    };
    expect(stored.data.entries.map((e) => e.status)).toEqual(['done']);
    expect(reopened.instances.get(id)?.status).toBe('provisioned');
  });

  it('waits on the schedule it is given: nothing runs until that timer fires', async () => {
    fleet = await startFleet(1);
    const sim = fleet.sims[0]!;
    sim.faults.add({ kind: 'hibernate' });
    const timers: Array<{ run: () => void; delayMs: number; cancelled: boolean }> = [];
    const schedule: QueueSchedule = (run, delayMs) => {
      const timer = { run, delayMs, cancelled: false };
      timers.push(timer);
      return () => (timer.cancelled = true);
    };
    // The test's clock: it moves only when the test fires a timer.
    let clock = Date.parse('2026-03-02T09:00:00Z');
    const queue = createOfflineQueue({
      workspace: fleet.workspace,
      connect: async () => clientFor(sim),
      backoff: { initialMs: 5_000, maxMs: 60_000 },
      random: () => 0.5,
      now: () => new Date(clock),
      schedule,
    });
    await queue.enqueue(fleet.ids[0]!, defaultDesiredState(), 'hibernating');
    queue.start();
    const pending = () => timers.filter((t) => !t.cancelled);
    // One timer, due after the first backoff step; the entry has not been tried.
    expect(pending().map((t) => t.delayMs)).toEqual([5_000]);
    expect(queue.list()[0]).toMatchObject({ status: 'waiting', attempts: 0 });

    // Each fired timer is one try; still asleep, the queue backs off (5 s after the first try, then 10 s).
    for (const [tries, nextDelay] of [
      [1, 5_000],
      [2, 10_000],
    ] as const) {
      const tried = nextEvent(queue, 'network');
      const [timer] = pending();
      clock += timer!.delayMs;
      timer!.run();
      await tried;
      // The try is over once the queue has set its next timer (and dropped the one that fired).
      await expect
        .poll(() =>
          pending()
            .filter((t) => t !== timer)
            .map((t) => t.delayMs),
        )
        .toEqual([nextDelay]);
      expect(timer!.cancelled).toBe(true);
      expect(queue.list()[0]).toMatchObject({ status: 'waiting', attempts: tries });
    }
    await queue.stop();
    expect(pending()).toEqual([]);
    expect(connectionNames(sim)).toEqual([]);
  });

  it('applies at once when the instance answers', async () => {
    fleet = await startFleet(1);
    const queue = createOfflineQueue({
      workspace: fleet.workspace,
      connect: async () => clientFor(fleet!.sims[0]!),
    });
    const answer = await queue.requestApply(fleet.ids[0]!, defaultDesiredState());
    expect(answer.queued).toBe(false);
    if (answer.queued) return;
    expect(answer.outcome.status).toBe('provisioned');
    expect(queue.list()[0]).toMatchObject({ status: 'done' });
    await queue.stop();
  });

  it('an apply left running by a crash waits again after a restart, then resumes', async () => {
    fleet = await startFleet(1);
    const queue = createOfflineQueue({
      workspace: fleet.workspace,
      connect: async () => clientFor(fleet!.sims[0]!),
    });
    const entry = await queue.enqueue(fleet.ids[0]!, defaultDesiredState(), 'offline');
    await queue.stop();
    // Simulate the crash: the stored entry says running.
    const file = join(fleet.workspace.dir, 'queue.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"status": "waiting"', '"status": "running"'));
    const reopened = await openWorkspace(fleet.workspace.dir);
    const queue2 = createOfflineQueue({
      workspace: reopened,
      connect: async () => clientFor(fleet!.sims[0]!),
    });
    expect(queue2.list()[0]).toMatchObject({
      id: entry.id,
      status: 'waiting',
      lastError: expect.stringMatching(/Interrupted/),
    });
    const outcomes = await queue2.drainNow();
    expect(outcomes.map((o) => o.status)).toEqual(['provisioned']);
    await queue2.stop();
  });

  it('keeps one waiting apply per instance (the latest wins) and can cancel it', async () => {
    fleet = await startFleet(1);
    const queue = createOfflineQueue({
      workspace: fleet.workspace,
      connect: async () => clientFor(fleet!.sims[0]!),
    });
    const first = await queue.enqueue(fleet.ids[0]!, defaultDesiredState(), 'offline');
    const desired = defaultDesiredState();
    desired.main.name = 'Renamed_Connection';
    const second = await queue.enqueue(fleet.ids[0]!, desired, 'offline');
    expect(second.id).toBe(first.id);
    expect(queue.list()).toHaveLength(1);
    expect(queue.list()[0]!.desired.main.name).toBe('Renamed_Connection');
    expect(await queue.cancel(first.id)).toBe(true);
    expect(await queue.drainNow()).toEqual([]);
    expect(connectionNames(fleet.sims[0]!)).toEqual([]);
    await queue.clearFinished();
    expect(queue.list()).toEqual([]);
    await queue.stop();
  });
});
