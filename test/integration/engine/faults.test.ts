// Faults during apply never leave a duplicate record or an unreported half-done change: whatever the
// instance does, every step the record calls "done" is on the instance exactly once, and every create it
// does not call done is absent.
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan, buildPlan, createApplyStore, discover, resumeApply } from '../../../src/main/engine';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import type { ApplyRecord } from '../../../src/shared/domain/apply';
import type { FaultSpec } from '../../../src/main/simulator';
import { rowsNamed, startHarness, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const FAST_RETRY = { maxAttempts: 4, maxWaitMs: 3000, baseDelayMs: 20 };

async function planAndApply(harness: Harness, client = harness.client): Promise<ApplyRecord> {
  const desired = defaultDesiredState();
  const outcome = await discover(client, { desired });
  if (!outcome.ok) throw new Error(outcome.message);
  return applyPlan({
    client,
    plan: buildPlan(outcome.snapshot, desired, new Date()),
    dir: harness.dir,
    retry: FAST_RETRY,
  });
}

/** The record tells the truth about the instance, and nothing is duplicated. */
function expectHonest(sim: Harness['sim'], record: ApplyRecord) {
  for (const step of record.steps) {
    const rows = rowsNamed(sim, step.table, step.name);
    expect(rows.length, `${step.name} appears at most once`).toBeLessThanOrEqual(1);
    if (step.op !== 'create') continue;
    if (step.status === 'done') {
      expect(rows, `${step.name} is done, so it is on the instance`).toHaveLength(1);
      expect(step.sysId).toBe(rows[0]?.sys_id);
    } else {
      expect(rows, `${step.name} is ${step.status}, so it is not on the instance`).toHaveLength(0);
    }
  }
}

const connectionPost = { method: 'POST', table: 'http_connection' };

describe('faults during apply', () => {
  const recoverable: [string, FaultSpec][] = [
    [
      '429 storm with a short Retry-After',
      { kind: 'rate_limit', retryAfterSeconds: 1, match: connectionPost, times: 2 },
    ],
    [
      '429 without Retry-After',
      { kind: 'rate_limit', retryAfterSeconds: null, match: connectionPost, times: 2 },
    ],
    ['503', { kind: 'status', status: 503, match: connectionPost, times: 1 }],
    ['connection reset', { kind: 'reset', match: connectionPost, times: 1 }],
    [
      'quota cancel (committed, answered as failure)',
      { kind: 'quota_cancel', match: connectionPost, times: 1 },
    ],
  ];
  for (const [label, fault] of recoverable) {
    it(`${label}: completes, each record exactly once`, async () => {
      h = await startHarness('fresh');
      h.sim.faults.add(fault);
      const record = await planAndApply(h);
      expect(record.status).toBe('succeeded');
      expect(record.verification?.ok).toBe(true);
      expectHonest(h.sim, record);
      // The fault really hit a write.
      expect(h.sim.log.filter((e) => e.fault && e.method === 'POST').length).toBeGreaterThan(0);
    });
  }

  it('hang with a short timeout: the re-read proves nothing landed, then it is sent again once', async () => {
    h = await startHarness('fresh', { timeouts: { responseMs: 300, requestMs: 600 } });
    h.sim.faults.add({ kind: 'hang', match: connectionPost, times: 1 });
    const record = await planAndApply(h);
    expect(record.status).toBe('succeeded');
    expectHonest(h.sim, record);
  });

  it('hang after commit: settled by re-reading, never re-sent', async () => {
    h = await startHarness('fresh', { timeouts: { responseMs: 300, requestMs: 600 } });
    h.sim.faults.add({ kind: 'hang_after_commit', match: connectionPost, times: 1 });
    const record = await planAndApply(h);
    expect(record.status).toBe('succeeded');
    const step = record.steps.find((s) => s.actionId === 'connection:main');
    expect(step?.settled).toMatch(/re-read found the change/);
    expect(h.sim.log.filter((e) => e.method === 'POST' && e.path.endsWith('/http_connection'))).toHaveLength(
      2,
    );
    expectHonest(h.sim, record);
  });

  const fatal: [string, FaultSpec, string][] = [
    ['401', { kind: 'unauthorized', match: connectionPost }, 'bad_credentials'],
    [
      '403',
      {
        kind: 'forbidden',
        message: 'Operation against file http_connection was aborted by Business Rule',
        match: connectionPost,
      },
      'forbidden',
    ],
    ['hibernate', { kind: 'hibernate', match: connectionPost }, 'hibernating'],
    [
      '429 with a Retry-After of an hour',
      { kind: 'rate_limit', retryAfterSeconds: 3600, match: connectionPost },
      'rate_limited',
    ],
  ];
  for (const [label, fault, code] of fatal) {
    it(`${label}: stops, says exactly what was written`, async () => {
      h = await startHarness('fresh');
      h.sim.faults.add(fault);
      const record = await planAndApply(h);
      expect(record.status).toBe('failed');
      expect(record.steps.map((s) => s.status)).toEqual(['done', 'done', 'failed', 'not_run']);
      expect(record.steps[2]?.error?.code).toBe(code);
      expectHonest(h.sim, record);
      // The credentials that were written are in the record, re-read after the failure.
      expect(record.records.filter((r) => r.after !== null).map((r) => r.name)).toEqual([
        'Exchange_Online_Credentials',
        'Exchange_Online_Credentials_clientCred',
      ]);
      // A definite failure finishes the journal: nothing is left to resume.
      expect(await createApplyStore(h.dir).unfinished()).toBeNull();
      // Fix the cause and apply again: only what is missing is written.
      h.sim.faults.clear();
      const again = await planAndApply(h);
      expect(again.status).toBe('succeeded');
      expect(again.steps.map((s) => s.op)).toEqual(['noop', 'noop', 'create', 'create']);
      expectHonest(h.sim, again);
    });
  }

  it('an ambiguous write whose re-read also fails stays unsettled; resume settles it without re-sending', async () => {
    h = await startHarness('fresh', { timeouts: { responseMs: 300, requestMs: 600 }, retry: { limit: 0 } });
    h.sim.faults.add({ kind: 'hang_after_commit', match: connectionPost, times: 1 });
    h.sim.faults.add({
      kind: 'status',
      status: 500,
      match: { method: 'GET', table: 'http_connection' },
      skip: 1,
      times: 1,
    });
    const record = await planAndApply(h);
    expect(record.status).toBe('failed');
    const step = record.steps.find((s) => s.actionId === 'connection:main');
    expect(step?.settled).toMatch(/Could not confirm/);
    const pending = await createApplyStore(h.dir).unfinished();
    expect(pending?.applyId).toBe(record.applyId);

    h.sim.clearLog();
    const resumed = await resumeApply({ client: h.newClient(), dir: h.dir, retry: FAST_RETRY });
    expect(resumed?.applyId).toBe(record.applyId);
    expect(resumed?.status).toBe('succeeded');
    expect(resumed?.steps.find((s) => s.actionId === 'connection:main')?.settled).toMatch(
      /after the interruption/,
    );
    // Only the last connection was written by the resume.
    expect(h.sim.log.filter((e) => e.method === 'POST' && e.path.endsWith('/http_connection'))).toHaveLength(
      1,
    );
    expectHonest(h.sim, resumed!);
    expect(await createApplyStore(h.dir).unfinished()).toBeNull();
  });
  it('a definite refusal (403) fails the apply; once lifted, resume takes the same apply up again', async () => {
    h = await startHarness('fresh');
    // The second connection POST is refused, as a business rule or ACL would.
    const remove = h.sim.faults.add({ kind: 'forbidden', match: connectionPost, skip: 1, times: 1 });
    const record = await planAndApply(h);
    expect(record.status).toBe('failed');
    expect(record.steps.filter((s) => s.status === 'done')).toHaveLength(3);
    expectHonest(h.sim, record);
    // A definite failure finishes the journal: nothing is unfinished, but the failed apply can be resumed.
    expect(await createApplyStore(h.dir).unfinished()).toBeNull();
    remove();

    // The automatic resume-before-apply leaves a failed apply alone; only an explicit Resume reopens it.
    expect(await resumeApply({ client: h.newClient(), dir: h.dir, retry: FAST_RETRY })).toBeNull();
    h.sim.clearLog();
    const resumed = await resumeApply({
      client: h.newClient(),
      dir: h.dir,
      retry: FAST_RETRY,
      reopenFailed: true,
    });
    expect(resumed?.applyId).toBe(record.applyId);
    expect(resumed?.status).toBe('succeeded');
    // Only the refused write is sent again; the three that were done are not.
    expect(h.sim.log.filter((e) => e.method === 'POST' || e.method === 'PATCH')).toHaveLength(1);
    // The before-state is the original one: every record the apply created did not exist before it.
    expect(resumed?.records.filter((r) => r.op === 'create').every((r) => r.before === null)).toBe(true);
    expectHonest(h.sim, resumed!);
    expect(await createApplyStore(h.dir).latestFailed()).toBeNull();
    // Nothing left to resume.
    expect(
      await resumeApply({ client: h.newClient(), dir: h.dir, retry: FAST_RETRY, reopenFailed: true }),
    ).toBeNull();
  });
});
