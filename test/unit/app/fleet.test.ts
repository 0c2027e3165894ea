// Many instances through the IPC channels, against real simulators: plan all, apply all with progress per
// instance, one failing (a 403 on every write) without stopping the others, retry the failed one, and an
// unreachable (hibernating) instance planned offline from its last snapshot and queued.
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetProgressEvent } from '../../../src/shared/ipc/contract';
import { EXPECTED_CONNECTIONS, connectionNames, startHarness, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const lastPhase = (events: FleetProgressEvent[], id: string) =>
  events.filter((e) => e.instanceId === id).at(-1)?.phase;

describe('fleet plan', () => {
  it('plans every instance from the defaults with counts, the plan and a fresh snapshot', async () => {
    h = await startHarness(3);
    expect(await h.ok('app:snapshot:get', { id: h.ids[0]! })).toEqual({
      snapshot: null,
      snapshotAgeSeconds: null,
    });

    const view = await h.ok('app:fleet:plan', { ids: [...h.ids, h.ids[0]!] });
    expect(view.instances.map((i) => i.instanceId)).toEqual(h.ids);
    for (const [index, item] of view.instances.entries()) {
      expect(item).toMatchObject({
        name: `Customer ${index + 1}`,
        ready: true,
        notReady: null,
        offline: false,
        snapshotAgeSeconds: 0,
        source: 'defaults',
      });
      expect(item.counts).toMatchObject({ create: 4, update: 0, blocked: 0 });
      expect(item.plan!.actions.filter((a) => a.op === 'create')).toHaveLength(4);
    }
    expect(view.totals.create).toBe(12);
    // Planning writes nothing to any instance, and keeps each snapshot for offline use.
    for (const sim of h.sims) expect(connectionNames(sim)).toEqual([]);
    const stored = await h.ok('app:snapshot:get', { id: h.ids[1]! });
    expect(stored.snapshot).not.toBeNull();
    expect(stored.snapshotAgeSeconds).toBeGreaterThanOrEqual(0);
    const progress = h.eventsOf('app:fleet:progress');
    for (const id of h.ids) expect(lastPhase(progress, id)).toBe('done');
    // Statuses are current: the spoke is there and nothing is provisioned yet.
    const list = await h.ok('app:instances:list', {});
    expect(list.map((i) => i.status)).toEqual(['ready', 'ready', 'ready']);
  });

  it('plans an unreachable instance from its last snapshot, marked offline with its age', async () => {
    h = await startHarness(2);
    await h.ok('app:fleet:plan', { ids: h.ids });
    h.sims[0]!.faults.add({ kind: 'hibernate' });
    const view = await h.ok('app:fleet:plan', { ids: h.ids });
    const [asleep, awake] = view.instances;
    expect(asleep).toMatchObject({ instanceId: h.ids[0], offline: true, ready: true });
    expect(asleep!.snapshotAgeSeconds).toEqual(expect.any(Number));
    expect(asleep!.counts?.create).toBe(4);
    expect(awake).toMatchObject({ offline: false, snapshotAgeSeconds: 0 });
  });

  it('an unreachable instance never discovered is ready to queue (planned when it answers); a bad draft is not replaced', async () => {
    h = await startHarness(2);
    h.sims[0]!.faults.add({ kind: 'hibernate' });
    await h.ok('app:drafts:save', {
      id: h.ids[1]!,
      main: { connectionUrl: 'http://graph.microsoft.com' },
      clientCred: {},
    });
    const view = await h.ok('app:fleet:plan', { ids: h.ids });
    expect(view.instances[0]).toMatchObject({
      ready: true,
      notReady: null,
      plannedWhenAnswers: true,
      offline: true,
      plan: null,
      counts: null,
    });
    expect(view.instances[1]).toMatchObject({ ready: false, source: 'draft', plan: null });
    expect(view.instances[1]!.notReady).toMatchObject({ reason: 'invalid_draft' });
    expect(view.instances[1]!.issues.some((i) => i.severity === 'error')).toBe(true);
    // And the apply refuses it, naming the problem, without touching the instance.
    const applied = await h.ok('app:fleet:apply', { ids: [h.ids[1]!] });
    expect(applied.failed).toEqual([h.ids[1]]);
    expect(applied.outcomes[0]!.message).toMatch(/forms have problems/);
    expect(connectionNames(h.sims[1]!)).toEqual([]);
  });

  it('records an unreachable instance in the network state as soon as a plan or a discovery finds it', async () => {
    h = await startHarness(2);
    const wake = h.sims[0]!.faults.add({ kind: 'hibernate' });
    await h.ok('app:fleet:plan', { ids: h.ids });
    const network = (await h.ok('app:queue:list', {})).network;
    expect(network.find((n) => n.instanceId === h!.ids[0])).toMatchObject({
      reachable: false,
      code: 'hibernating',
    });
    expect(network.filter((n) => n.reachable === false).map((n) => n.instanceId)).toEqual([h.ids[0]]);
    const told = h.eventsOf('app:queue:changed').at(-1)!;
    expect(told.network.filter((n) => n.reachable === false).map((n) => n.instanceId)).toEqual([h.ids[0]]);

    // A single discovery that reaches it clears it; one that does not records it again.
    wake();
    await h.ok('app:discover:run', { id: h.ids[0]! });
    expect((await h.ok('app:queue:list', {})).network.every((n) => n.reachable)).toBe(true);
    h.sims[0]!.faults.add({ kind: 'reset' });
    expect((await h.call('app:discover:run', { id: h.ids[0]! })).ok).toBe(false);
    expect((await h.ok('app:queue:list', {})).network.find((n) => n.instanceId === h!.ids[0])).toMatchObject({
      reachable: false,
      code: 'network',
    });
  });

  it('answers not_found naming an unknown instance, and refuses malformed ids', async () => {
    h = await startHarness(1);
    const missing = await h.call('app:fleet:plan', { ids: [h.ids[0]!, 'nope'] });
    expect(missing).toMatchObject({ ok: false, code: 'not_found' });
    expect(!missing.ok && missing.message).toContain('"nope"');
    expect(await h.call('app:fleet:apply', { ids: [] })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await h.call('app:fleet:apply', { ids: ['../x'] })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
  });
});

describe('fleet apply', () => {
  it('queues an instance never discovered that does not answer, and provisions it when it wakes', async () => {
    h = await startHarness(1);
    const wake = h.sims[0]!.faults.add({ kind: 'hibernate' });
    const plan = await h.ok('app:fleet:plan', { ids: h.ids });
    expect(plan.instances[0]!.plannedWhenAnswers).toBe(true);
    const result = await h.ok('app:fleet:apply', { ids: h.ids });
    expect(result.queued).toEqual(h.ids);
    expect(result.failed).toEqual([]);
    expect(connectionNames(h.sims[0]!)).toEqual([]);
    wake();
    const drained = await h.ok('app:queue:drain', {});
    expect(drained.items[0]).toMatchObject({ status: 'done' });
    expect(connectionNames(h.sims[0]!)).toEqual(EXPECTED_CONNECTIONS);
  });

  it('applies to all; one failing (403 on writes) does not stop the others; retry the failed ones', async () => {
    h = await startHarness(3);
    const removeFault = h.sims[1]!.faults.add({
      kind: 'forbidden',
      match: { method: 'POST' },
      message: 'Blocked by rule',
    });

    const first = await h.ok('app:fleet:apply', { ids: h.ids, concurrency: 2 });
    expect(first.outcomes.map((o) => o.instanceId)).toEqual(h.ids);
    expect(first.succeeded).toEqual([h.ids[0], h.ids[2]]);
    expect(first.failed).toEqual([h.ids[1]]);
    expect(first.queued).toEqual([]);
    expect(first.outcomes[0]).toMatchObject({ status: 'provisioned', ok: true, name: 'Customer 1' });
    expect(first.outcomes[0]!.applyId).toEqual(expect.any(String));
    expect(first.outcomes[1]).toMatchObject({ status: 'failed', ok: false });
    expect(first.outcomes[1]!.message).toMatch(/Blocked by rule|refused|permission/i);
    expect(connectionNames(h.sims[0]!)).toEqual(EXPECTED_CONNECTIONS);
    expect(connectionNames(h.sims[2]!)).toEqual(EXPECTED_CONNECTIONS);
    expect(connectionNames(h.sims[1]!)).toEqual([]);

    // A bar per instance: waiting, then the apply's own steps, ending done or failed.
    const progress = h.eventsOf('app:fleet:progress');
    expect(lastPhase(progress, h.ids[0]!)).toBe('done');
    expect(lastPhase(progress, h.ids[1]!)).toBe('failed');
    const steps = progress.filter((p) => p.instanceId === h!.ids[2] && p.phase === 'applying' && p.total > 0);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((p) => p.step <= p.total)).toBe(true);

    let statuses = (await h.ok('app:instances:list', {})).map((i) => [i.id, i.status]);
    expect(Object.fromEntries(statuses)).toEqual({
      [h.ids[0]!]: 'provisioned',
      [h.ids[1]!]: 'failed',
      [h.ids[2]!]: 'provisioned',
    });

    removeFault();
    const retry = await h.ok('app:fleet:apply', { ids: first.failed });
    expect(retry.succeeded).toEqual([h.ids[1]]);
    expect(connectionNames(h.sims[1]!)).toEqual(EXPECTED_CONNECTIONS);
    statuses = (await h.ok('app:instances:list', {})).map((i) => [i.id, i.status]);
    expect(new Set(statuses.map(([, s]) => s))).toEqual(new Set(['provisioned']));

    // Applying again changes nothing.
    const again = await h.ok('app:fleet:apply', { ids: h.ids });
    expect(again.outcomes.map((o) => o.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  it('queues an unreachable instance, lists it with its network state, and drains it once it wakes', async () => {
    h = await startHarness(2);
    const wake = h.sims[0]!.faults.add({ kind: 'hibernate' });
    const result = await h.ok('app:fleet:apply', { ids: h.ids });
    expect(result.queued).toEqual([h.ids[0]]);
    expect(result.failed).toEqual([]);
    expect(result.succeeded).toEqual([h.ids[1]]);
    expect(result.outcomes[0]).toMatchObject({ status: 'queued', ok: false });
    expect(result.outcomes[0]!.queueEntryId).toEqual(expect.any(String));
    expect(result.outcomes[0]!.message).toBe(
      'Customer 1 is hibernating: the apply is queued and runs when it answers.',
    );
    expect(lastPhase(h.eventsOf('app:fleet:progress'), h.ids[0]!)).toBe('queued');
    // The window hears of the queued apply and of why it waits at once, before any probe of the queue.
    const first = h.eventsOf('app:queue:changed').find((q) => q.items.length > 0)!;
    expect(first.network.find((n) => n.instanceId === h!.ids[0])).toMatchObject({
      reachable: false,
      code: 'hibernating',
    });

    const queue = await h.ok('app:queue:list', {});
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]).toMatchObject({
      id: result.outcomes[0]!.queueEntryId,
      instanceId: h.ids[0],
      instanceName: 'Customer 1',
      status: 'waiting',
      reason: 'hibernating',
    });
    expect(h.eventsOf('app:queue:changed').length).toBeGreaterThan(0);
    // The instance is not marked failed: an apply waits for it.
    const listed = (await h.ok('app:instances:list', {})).find((i) => i.id === h!.ids[0]);
    expect(listed!.status).not.toBe('failed');
    expect(listed!.statusMessage).toMatch(/queued/);

    // Still asleep: draining leaves it waiting, and the network state says why.
    const still = await h.ok('app:queue:drain', {});
    expect(still.items[0]!.status).toBe('waiting');
    expect(still.network.find((n) => n.instanceId === h!.ids[0])).toMatchObject({
      reachable: false,
      code: 'hibernating',
    });
    expect(connectionNames(h.sims[0]!)).toEqual([]);

    wake();
    const drained = await h.ok('app:queue:drain', {});
    expect(drained.items[0]).toMatchObject({ status: 'done' });
    expect(connectionNames(h.sims[0]!)).toEqual(EXPECTED_CONNECTIONS);
    const status = (await h.ok('app:instances:list', {})).find((i) => i.id === h!.ids[0])!.status;
    expect(status).toBe('provisioned');
    const lastChange = h.eventsOf('app:queue:changed').at(-1)!;
    expect(lastChange.items[0]!.status).toBe('done');

    const cleared = await h.ok('app:queue:clear', {});
    expect(cleared.items).toEqual([]);
  });
});
