// The single apply channel while the instance does not answer: a distinct `queued` answer, the request kept
// in the persisted queue, run by the queue's own timer once the `hibernate` fault is gone; cancelling.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import type { QueuedDetails } from '../../../src/shared/ipc/contract';
import { EXPECTED_CONNECTIONS, connectionNames, eventually, startHarness, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const forms = () => {
  const d = defaultDesiredState();
  return { main: d.main, clientCred: d.clientCred };
};

describe('offline queue through the app', () => {
  it('answers queued for a hibernating instance and applies it by itself when it wakes', async () => {
    h = await startHarness(1, { queueBackoff: { initialMs: 50, maxMs: 200 } });
    const id = h.ids[0]!;
    const wake = h.sims[0]!.faults.add({ kind: 'hibernate' });

    const answer = await h.call('app:apply:run', { id, ...forms() });
    expect(answer).toMatchObject({ ok: false, code: 'queued' });
    if (answer.ok) throw new Error('expected queued');
    expect(answer.message).toBe('Customer 1 is hibernating: the apply is queued and runs when it answers.');
    const details = answer.details as QueuedDetails;
    expect(details.reason).toBe('hibernating');

    // Persisted in the workspace's queue file, not only in memory.
    const file = await readFile(join(h.userDataDir, 'workspace', 'queue.json'), 'utf8');
    expect(file).toContain(details.queueEntryId);
    expect(file).not.toContain(h.sims[0]!.users.admin.password);

    const waiting = await h.ok('app:queue:list', {});
    expect(waiting.items.map((i) => [i.id, i.status])).toEqual([[details.queueEntryId, 'waiting']]);

    wake();
    await eventually(async () => (await h!.ok('app:queue:list', {})).items[0]?.status === 'done');
    expect(connectionNames(h.sims[0]!)).toEqual(EXPECTED_CONNECTIONS);
    expect((await h.ok('app:instances:list', {}))[0]!.status).toBe('provisioned');
    // The queued run reported progress like a fleet run.
    expect(h.eventsOf('app:fleet:progress').some((p) => p.instanceId === id && p.phase === 'applying')).toBe(
      true,
    );
  });

  it('cancels a waiting apply, which then never runs', async () => {
    h = await startHarness(1);
    const id = h.ids[0]!;
    const wake = h.sims[0]!.faults.add({ kind: 'hibernate' });
    const answer = await h.call('app:apply:run', { id, ...forms() });
    if (answer.ok || answer.code !== 'queued') throw new Error('expected queued');
    const entryId = (answer.details as QueuedDetails).queueEntryId;

    expect(await h.ok('app:queue:cancel', { id: entryId })).toEqual({ cancelled: true });
    expect(await h.ok('app:queue:cancel', { id: entryId })).toEqual({ cancelled: false });
    expect(await h.ok('app:queue:cancel', { id: 'no-such-entry' })).toEqual({ cancelled: false });
    wake();
    const after = await h.ok('app:queue:drain', {});
    expect(after.items[0]!.status).toBe('cancelled');
    expect(connectionNames(h.sims[0]!)).toEqual([]);
  });

  it('an apply asked for directly supersedes the one waiting for the same instance', async () => {
    h = await startHarness(1);
    const id = h.ids[0]!;
    const wake = h.sims[0]!.faults.add({ kind: 'hibernate' });
    const older = forms();
    const queued = await h.call('app:apply:run', {
      id,
      main: { ...older.main, name: 'Older_Exchange_Connection' },
      clientCred: older.clientCred,
    });
    if (queued.ok || queued.code !== 'queued') throw new Error('expected queued');

    wake();
    const record = await h.ok('app:apply:run', { id, ...forms() });
    expect(record.status).toBe('succeeded');
    const queue = await h.ok('app:queue:drain', {});
    expect(queue.items.map((i) => i.status)).toEqual(['cancelled']);
    // The older forms never reached the instance.
    expect(connectionNames(h.sims[0]!)).toEqual(EXPECTED_CONNECTIONS);
  });

  it('keeps the queue across a restart of the app', async () => {
    h = await startHarness(1);
    h.sims[0]!.faults.add({ kind: 'hibernate' });
    const answer = await h.call('app:apply:run', { id: h.ids[0]!, ...forms() });
    if (answer.ok || answer.code !== 'queued') throw new Error('expected queued');
    await h.restart();
    const queue = await h.ok('app:queue:list', {});
    expect(queue.items.map((i) => i.id)).toEqual([(answer.details as QueuedDetails).queueEntryId]);
    expect(queue.items[0]!.status).toBe('waiting');
  });
});
