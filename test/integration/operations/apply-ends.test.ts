// The core's apply (src/main/operations/apply.ts) at the ends a front end must render without guessing:
// another process holds the instance, the run was cancelled before it started, and an interrupted apply
// that cannot be finished. In each, what was sent to the instance is read from the simulator's log.
import { onTestFinished, describe, expect, it } from 'vitest';
import type { ApplyRecord } from '../../../src/shared/domain/apply';
import { createApplyStore } from '../../../src/main/engine/apply-store';
import { applyInstance, type ApplyRequest } from '../../../src/main/operations';
import {
  acquireInstanceLock,
  readLockHolder,
  type HolderRead,
} from '../../../src/main/storage/instance-lock';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import {
  CONNECTION,
  CREDENTIALS,
  LOSES_ANSWERS,
  leaveInterruptedApply,
  startHarness,
  workspaceWithInstance,
  writesSent,
  type Harness,
} from '../engine/harness';

const CONNECTION_POST = { method: 'POST', table: CONNECTION };
const CONNECTION_READ = { method: 'GET', table: CONNECTION };

async function savedInstance(h: Harness) {
  const { workspace, instance: saved } = await workspaceWithInstance(h);
  const request: ApplyRequest = {
    workspace,
    instanceId: saved.id,
    client: h.client,
    desired: defaultDesiredState(),
  };
  return { workspace, dir: workspace.instanceDir(saved.id), request };
}

describe('applyInstance', () => {
  it('refuses an instance another operation holds as busy, naming the holder, and sends nothing', async () => {
    const h = await startHarness('fresh');
    const { dir, request } = await savedInstance(h);
    const lock = await acquireInstanceLock(dir, 'a rollback');
    onTestFinished(() => lock.release());

    const outcome = await applyInstance({ ...request, lock: { waitMs: 0 } });

    expect(outcome).toMatchObject({
      instanceId: request.instanceId,
      status: 'busy',
      ok: false,
      code: 'busy',
      plan: null,
      record: null,
      holder: lock.holder,
    });
    expect(outcome.message).toContain(`a rollback by pid ${process.pid}`);
    expect(h.sim.log).toHaveLength(0);
  });

  it('holds the instance while it runs, its lock naming the apply, and lets go at the end', async () => {
    const h = await startHarness('fresh');
    const { dir, request } = await savedInstance(h);
    let holder: Promise<HolderRead> | undefined;

    const outcome = await applyInstance({
      ...request,
      onProgress: (p) => {
        if (p.phase === 'discovering') holder ??= readLockHolder(dir);
      },
    });

    expect(outcome.status).toBe('provisioned');
    expect((await holder)?.holder).toMatchObject({ pid: process.pid, what: 'apply' });
    const lock = await acquireInstanceLock(dir, 'next', { waitMs: 0 });
    await lock.release();
  });

  it('answers a run cancelled before it started with nothing planned, locked or sent', async () => {
    const h = await startHarness('fresh');
    const { dir, request } = await savedInstance(h);
    const cancelled = new AbortController();
    cancelled.abort();

    const outcome = await applyInstance({ ...request, signal: cancelled.signal });

    expect(outcome).toEqual({
      instanceId: request.instanceId,
      status: 'cancelled',
      ok: false,
      code: null,
      message: 'Cancelled before it started.',
      plan: null,
      counts: null,
      record: null,
      resumed: null,
      issues: [],
    });
    expect(h.sim.log).toHaveLength(0);
    // The lock was never taken: another operation may start at once.
    const lock = await acquireInstanceLock(dir, 'next', { waitMs: 0 });
    await lock.release();
  });

  it('an interrupted apply whose resume is refused: the cause, the apply still unfinished, nothing new sent', async () => {
    const h = await startHarness('fresh', LOSES_ANSWERS);
    const { dir, request } = await savedInstance(h);
    const interrupted = await leaveInterruptedApply(h.sim, h.client, dir, CONNECTION);
    // Now every read of a connection is refused: the resume cannot settle the lost batch.
    h.sim.faults.add({ kind: 'forbidden', match: CONNECTION_READ });
    const told: string[] = [];
    const resumed: ApplyRecord[] = [];

    const outcome = await applyInstance({
      ...request,
      client: h.newClient(LOSES_ANSWERS),
      onResuming: (applyId) => told.push(applyId),
      onResumed: (record) => resumed.push(record),
    });

    expect(told).toEqual([interrupted.applyId]);
    expect(resumed).toEqual([]);
    // The refusal keeps its own code (the app shows it as such); the message says what is unfinished.
    expect(outcome).toMatchObject({
      status: 'failed',
      ok: false,
      code: 'forbidden',
      plan: null,
      resumed: null,
    });
    expect(outcome.message).toMatch(
      new RegExp(
        `^The interrupted apply ${interrupted.applyId} could not be finished: The instance refused to GET .+ Nothing new was planned or sent\\.$`,
      ),
    );
    expect(writesSent(h.sim)).toEqual([]);
    expect((await createApplyStore(dir).unfinished())?.applyId).toBe(interrupted.applyId);
  });

  it('an interrupted apply whose resume ends failed: resume_failed, its record and the failed step named', async () => {
    const h = await startHarness('fresh', LOSES_ANSWERS);
    const { dir, request } = await savedInstance(h);
    // Lost at the credentials' batch: the resume finds them written and still has the connections to send.
    const interrupted = await leaveInterruptedApply(h.sim, h.client, dir, CREDENTIALS);
    h.sim.faults.add({ kind: 'forbidden', match: CONNECTION_POST });
    const resumed: ApplyRecord[] = [];
    const phases: string[] = [];

    const outcome = await applyInstance({
      ...request,
      client: h.newClient(LOSES_ANSWERS),
      onResumed: (record) => resumed.push(record),
      onProgress: (p) => phases.push(`${p.phase}: ${p.message}`),
    });

    expect(phases[0]).toBe(`resuming: Finishing the interrupted apply ${interrupted.applyId}`);

    expect(resumed.map((r) => [r.applyId, r.status])).toEqual([[interrupted.applyId, 'failed']]);
    expect(outcome).toMatchObject({ status: 'failed', ok: false, code: 'resume_failed', plan: null });
    expect(outcome.resumed).toEqual(resumed[0]);
    const refused = resumed[0]!.steps.find((s) => s.error)?.error?.message;
    expect(refused).toMatch(/refused/);
    expect(outcome.message).toBe(
      `The interrupted apply ${interrupted.applyId} could not be finished: ${refused} Nothing new was planned or sent.`,
    );
    // What was sent is the resume's own: the refused connections, no discovery of a new plan.
    expect(writesSent(h.sim).map((w) => w.method + ' ' + w.path.split('/').pop())).toEqual([
      'POST http_connection',
      'POST http_connection',
    ]);
  });
});
