// Faults during apply never leave a duplicate record or an unreported half-done change: whatever the
// instance does, every step the record calls "done" is on the instance exactly once, and every create it
// does not call done is absent. The writes of a wave travel in one Batch API request, so a fault aimed at
// `POST http_connection` hits the batch carrying both connections (the simulator matches a batch by its
// items); a business rule's refusal (403) hits one item.
import { describe, expect, it } from 'vitest';
import { applyPlan, buildPlan, createApplyStore, discover, resumeApply } from '../../../src/main/engine';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import type { ApplyRecord } from '../../../src/shared/domain/apply';
import type { FaultSpec } from '../../../src/main/simulator';
import { rowsNamed, startHarness, writesSent, writesTo, type Harness, LOSES_ANSWERS } from './harness';

/** Every wait the engine asked for between tries, in ms (it returns at once: no test waits out a Retry-After). */
let waits: number[] = [];
const FAST_RETRY = {
  maxAttempts: 4,
  maxWaitMs: 3000,
  baseDelayMs: 20,
  sleep: async (ms: number) => void waits.push(ms),
};

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
  // [label, fault (aimed below at each table's POSTs), how many times the batch is sent in all]. A fault that rejects the
  // batch before it runs (429, 503, reset) costs a re-read and one more send per hit; a quota cancel
  // commits the items, so the re-read finds them and nothing is sent again.
  const recoverable: [string, FaultSpec, number][] = [
    ['429 storm with a short Retry-After', { kind: 'rate_limit', retryAfterSeconds: 1, times: 2 }, 3],
    ['429 without Retry-After', { kind: 'rate_limit', retryAfterSeconds: null, times: 2 }, 3],
    ['503', { kind: 'status', status: 503, times: 1 }, 2],
    ['connection reset', { kind: 'reset', times: 1 }, 2],
    ['quota cancel (committed, answered as failure)', { kind: 'quota_cancel', times: 1 }, 1],
  ];
  for (const table of ['oauth_2_0_credentials', 'http_connection']) {
    for (const [label, fault, sends] of recoverable) {
      it(`${label} on the ${table} batch: completes, each record exactly once`, async () => {
        const h = await startHarness('fresh');
        h.sim.faults.add({ ...fault, match: { method: 'POST', table } });
        waits = [];
        const record = await planAndApply(h);
        expect(record.status).toBe('succeeded');
        expect(record.verification?.ok).toBe(true);
        expectHonest(h.sim, record);
        // The fault really hit the batch carrying both writes to this table.
        const hit = h.sim.log.filter((e) => e.fault && e.items?.some((i) => i.path.endsWith(`/${table}`)));
        expect(hit.length).toBeGreaterThan(0);
        expect(hit[0]?.items?.map((i) => i.method)).toEqual(['POST', 'POST']);
        // Sent again only after a re-read proved the items absent, never once committed.
        expect(writesTo(h.sim, 'POST', table)).toHaveLength(2 * sends);
        expect(writesSent(h.sim)).toHaveLength(2 + 2 * sends);
        // A batch refused before it ran is sent again only after a wait: one per refusal (within the cap).
        if (fault.kind !== 'quota_cancel') {
          expect(waits).toHaveLength(sends - 1);
          for (const ms of waits) expect(ms).toBeLessThanOrEqual(FAST_RETRY.maxWaitMs);
        }
      });
    }
  }

  it('hang with a short timeout: the re-read proves nothing landed, then it is sent again once', async () => {
    const h = await startHarness('fresh', { timeouts: { responseMs: 300, requestMs: 600 } });
    h.sim.faults.add({ kind: 'hang', match: connectionPost, times: 1 });
    const record = await planAndApply(h);
    expect(record.status).toBe('succeeded');
    expectHonest(h.sim, record);
  });

  it('hang after commit: settled by re-reading, never re-sent', async () => {
    const h = await startHarness('fresh', { timeouts: { responseMs: 300, requestMs: 600 } });
    h.sim.faults.add({ kind: 'hang_after_commit', match: connectionPost, times: 1 });
    const record = await planAndApply(h);
    expect(record.status).toBe('succeeded');
    for (const id of ['connection:main', 'connection:clientCred'])
      expect(record.steps.find((s) => s.actionId === id)?.settled).toMatch(/re-read found the change/);
    // Both connections went once, in one batch whose answer never came; nothing was sent again.
    const sent = writesTo(h.sim, 'POST', 'http_connection');
    expect(sent).toHaveLength(2);
    expect(sent[0]?.batch).toBe(sent[1]?.batch);
    expectHonest(h.sim, record);
  });

  // A fault on the whole batch fails both connections it carries; a business rule's 403 fails only the
  // item it refuses, and the next item, run after it by the instance, is reported done.
  const fatal: [string, FaultSpec, string, string[]][] = [
    [
      '401',
      { kind: 'unauthorized', match: connectionPost },
      'bad_credentials',
      ['done', 'done', 'failed', 'failed'],
    ],
    [
      '403',
      {
        kind: 'forbidden',
        message: 'Operation against file http_connection was aborted by Business Rule',
        match: connectionPost,
        times: 1,
      },
      'forbidden',
      ['done', 'done', 'failed', 'done'],
    ],
    [
      'hibernate',
      { kind: 'hibernate', match: connectionPost },
      'hibernating',
      ['done', 'done', 'failed', 'failed'],
    ],
    [
      '429 with a Retry-After of an hour',
      { kind: 'rate_limit', retryAfterSeconds: 3600, match: connectionPost },
      'rate_limited',
      ['done', 'done', 'failed', 'failed'],
    ],
  ];
  for (const [label, fault, code, statuses] of fatal) {
    it(`${label}: stops, says exactly what was written`, async () => {
      const h = await startHarness('fresh');
      h.sim.faults.add(fault);
      const record = await planAndApply(h);
      expect(record.status).toBe('failed');
      expect(record.steps.map((s) => s.status)).toEqual(statuses);
      for (const step of record.steps.filter((s) => s.status === 'failed'))
        expect(step.error?.code).toBe(code);
      expect(record.steps[2]?.error?.code).toBe(code);
      expectHonest(h.sim, record);
      // What was written is in the record, re-read after the failure.
      expect(record.records.filter((r) => r.after !== null).map((r) => r.name)).toEqual(
        record.steps.filter((s) => s.status === 'done').map((s) => s.name),
      );
      // A definite failure finishes the journal: nothing is left to resume.
      expect(await createApplyStore(h.dir).unfinished()).toBeNull();
      // Fix the cause and apply again: only what is missing is written.
      h.sim.faults.clear();
      const again = await planAndApply(h);
      expect(again.status).toBe('succeeded');
      expect(again.steps.map((s) => s.op)).toEqual(
        statuses.map((status) => (status === 'done' ? 'noop' : 'create')),
      );
      expectHonest(h.sim, again);
    });
  }

  it('an ambiguous write whose re-read also fails stays unsettled; resume settles it without re-sending', async () => {
    const h = await startHarness('fresh', LOSES_ANSWERS);
    h.sim.faults.add({ kind: 'hang_after_commit', match: connectionPost, times: 1 });
    // The re-read that would settle the lost batch fails too. Reads of http_connection before it: the
    // discovery batch and the pre-write re-read.
    h.sim.faults.add({
      kind: 'status',
      status: 500,
      match: { method: 'GET', table: 'http_connection' },
      skip: 2,
      times: 1,
    });
    const record = await planAndApply(h);
    expect(record.status).toBe('failed');
    for (const id of ['connection:main', 'connection:clientCred'])
      expect(record.steps.find((s) => s.actionId === id)?.settled).toMatch(/Could not confirm/);
    const pending = await createApplyStore(h.dir).unfinished();
    expect(pending?.applyId).toBe(record.applyId);

    h.sim.clearLog();
    const resumed = await resumeApply({ client: h.newClient(), dir: h.dir, retry: FAST_RETRY });
    expect(resumed?.applyId).toBe(record.applyId);
    expect(resumed?.status).toBe('succeeded');
    for (const id of ['connection:main', 'connection:clientCred'])
      expect(resumed?.steps.find((s) => s.actionId === id)?.settled).toMatch(/after the interruption/);
    // The lost batch had committed both connections: the resume writes nothing.
    expect(writesSent(h.sim)).toHaveLength(0);
    expectHonest(h.sim, resumed!);
    expect(await createApplyStore(h.dir).unfinished()).toBeNull();
  });
  it('a definite refusal (403) fails the apply; once lifted, resume takes the same apply up again', async () => {
    const h = await startHarness('fresh');
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
    expect(writesSent(h.sim).map((w) => `${w.method} ${w.path}`)).toEqual([
      'POST /api/now/table/http_connection',
    ]);
    expect(resumed?.steps.find((s) => s.actionId === 'connection:clientCred')?.status).toBe('done');
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
