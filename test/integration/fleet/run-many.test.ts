import { afterEach, describe, expect, it } from 'vitest';
import { planMany, retryFailed, runMany, type FleetProgress } from '../../../src/main/fleet';
import { connectionNames, credentialNames, startFleet, type Fleet } from './helpers';

let fleet: Fleet | null = null;
afterEach(async () => {
  await fleet?.close();
  fleet = null;
});

const EXPECTED_CONNECTIONS = ['Exchange_Online_Connection', 'Exchange_Online_Connection_clientCred'];

describe('runMany', () => {
  it('provisions several instances; one failing does not stop the others; retryFailed finishes it', async () => {
    fleet = await startFleet(4);
    const broken = fleet.sims[1]!;
    // Every write to instance 2 is refused, as a business rule would.
    const removeFault = broken.faults.add({
      kind: 'forbidden',
      match: { method: 'POST' },
      message: 'Blocked by rule',
    });
    const progress: FleetProgress[] = [];
    const options = {
      targets: fleet.targets(),
      concurrency: 2,
      workspace: fleet.workspace,
      onProgress: (p: FleetProgress) => progress.push(p),
    };

    const first = await runMany(options);
    expect(first.failed).toEqual([fleet.ids[1]]);
    expect(first.succeeded.sort()).toEqual([fleet.ids[0], fleet.ids[2], fleet.ids[3]].sort());
    const failedOutcome = first.outcomes[1]!;
    expect(failedOutcome.status).toBe('failed');
    expect(failedOutcome.message).toMatch(/refused|Blocked/i);
    for (const i of [0, 2, 3]) {
      expect(connectionNames(fleet.sims[i]!)).toEqual(EXPECTED_CONNECTIONS);
      expect(first.outcomes[i]!.status).toBe('provisioned');
      expect(fleet.workspace.instances.get(fleet.ids[i]!)?.status).toBe('provisioned');
    }
    expect(connectionNames(broken)).toEqual([]);
    expect(fleet.workspace.instances.get(fleet.ids[1]!)?.status).toBe('failed');
    // Progress was reported per instance, through to the end state.
    for (const id of fleet.ids) {
      const phases = progress.filter((p) => p.instanceId === id).map((p) => p.phase);
      expect(phases[0]).toBe('waiting');
      expect(phases).toContain('discovering');
      expect(phases.at(-1)).toBe(id === fleet.ids[1] ? 'failed' : 'done');
    }
    expect(progress.some((p) => p.phase === 'applying' && p.total > 0 && p.step > 0)).toBe(true);

    removeFault();
    const logBefore = fleet.sims.map((s) => s.log.length);
    const second = await retryFailed(first, options);
    expect(second.outcomes.map((o) => o.instanceId)).toEqual([fleet.ids[1]]);
    expect(second.failed).toEqual([]);
    expect(connectionNames(broken)).toEqual(EXPECTED_CONNECTIONS);
    // The retry touched only the failed instance.
    for (const i of [0, 2, 3]) expect(fleet.sims[i]!.log.length).toBe(logBefore[i]);
  });

  it('a second run finds everything as desired and writes nothing', async () => {
    fleet = await startFleet(2);
    const first = await runMany({ targets: fleet.targets(), concurrency: 2, workspace: fleet.workspace });
    expect(first.failed).toEqual([]);
    const writesBefore = fleet.sims.map(
      (s) => s.log.filter((e) => e.method !== 'GET' && !e.path.includes('/batch')).length,
    );
    const second = await runMany({ targets: fleet.targets(), concurrency: 2, workspace: fleet.workspace });
    expect(second.outcomes.map((o) => o.status)).toEqual(['unchanged', 'unchanged']);
    expect(
      fleet.sims.map((s) => s.log.filter((e) => e.method !== 'GET' && !e.path.includes('/batch')).length),
    ).toEqual(writesBefore);
    for (const sim of fleet.sims) {
      expect(connectionNames(sim)).toEqual(EXPECTED_CONNECTIONS);
      expect(credentialNames(sim)).toEqual([
        'Exchange_Online_Credentials',
        'Exchange_Online_Credentials_clientCred',
      ]);
    }
  });

  it('keeps at most one write in flight per instance', async () => {
    fleet = await startFleet(1, { latencyMs: 20 });
    await runMany({ targets: fleet.targets(), writesPerInstance: 1, workspace: fleet.workspace });
    // Requests that carry writes, on their own or as Batch API items (two batches of two on a fresh one).
    const writes = fleet.sims[0]!.log.filter(
      (e) => (e.method === 'POST' && !e.path.includes('batch')) || e.items?.some((i) => i.method !== 'GET'),
    );
    expect(
      writes
        .flatMap((e): { method: string; path: string }[] => e.items ?? [e])
        .filter((i) => i.method === 'POST').length,
    ).toBeGreaterThanOrEqual(4);
    const sorted = [...writes].sort((a, b) => a.at - b.at);
    for (let i = 1; i < sorted.length; i += 1) {
      // Each write starts only after the previous one was answered.
      expect(sorted[i]!.at).toBeGreaterThanOrEqual(sorted[i - 1]!.at + sorted[i - 1]!.durationMs - 1);
    }
  });

  it('reports an unreachable instance as such, and the others still run', async () => {
    fleet = await startFleet(2);
    fleet.sims[0]!.faults.add({ kind: 'hibernate' });
    const result = await runMany({ targets: fleet.targets(), concurrency: 2, workspace: fleet.workspace });
    expect(result.outcomes[0]).toMatchObject({ status: 'unreachable', code: 'hibernating' });
    expect(result.unreachable).toEqual([fleet.ids[0]]);
    expect(result.outcomes[1]!.status).toBe('provisioned');
  });
});

describe('planMany', () => {
  it('plans every instance for one review, with counts and before/after', async () => {
    fleet = await startFleet(3);
    await runMany({ targets: fleet.targets().slice(0, 1), workspace: fleet.workspace });
    const result = await planMany({ targets: fleet.targets(), workspace: fleet.workspace });
    expect(result.instances.map((i) => i.counts?.create)).toEqual([0, 4, 4]);
    expect(result.instances[0]).toMatchObject({ before: 4, after: 4 });
    expect(result.instances[1]).toMatchObject({ before: 0, after: 4 });
    expect(result.totals.create).toBe(8);
    expect(result.totals.noop).toBe(4);
    // Planning wrote nothing.
    expect(connectionNames(fleet.sims[1]!)).toEqual([]);
    expect(await fleet.workspace.plans.latest(fleet.ids[1]!)).not.toBeNull();
  });

  it('plans an unreachable instance from its last snapshot, marked with its age', async () => {
    fleet = await startFleet(1);
    let t = Date.parse('2026-05-01T10:00:00Z');
    const now = () => new Date(t);
    await planMany({ targets: fleet.targets(), workspace: fleet.workspace, now });
    fleet.sims[0]!.faults.add({ kind: 'hibernate' });
    const snapshot = await fleet.workspace.snapshots.latest(fleet.ids[0]!);
    t = Date.parse(snapshot!.discoveredAt) + 3_600_000;
    const result = await planMany({ targets: fleet.targets(), workspace: fleet.workspace, now });
    expect(result.instances[0]).toMatchObject({ ok: true, snapshotAgeSeconds: 3600 });
    expect(result.instances[0]!.counts?.create).toBe(4);
  });
});
