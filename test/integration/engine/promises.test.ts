// The apply engine's promises, stated through its public entry points (applyPlan, resumeApply,
// applyRollback) against the simulator:
// - an apply is "succeeded" only when a re-read verified every write;
// - a damaged or unfinished journal has one defined outcome per kind of damage, and never a duplicate;
// - the engine's retry limits hold at their edges.
import { appendFile, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  applyPlan,
  applyRollback,
  createApplyStore,
  discover,
  journalPath,
  planRollback,
  readJournal,
  resumeApply,
  UnfinishedApplyError,
  type JournalEntry,
} from '../../../src/main/engine';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import type { Plan } from '../../../src/shared/domain/plan';
import {
  AT,
  intentEntry,
  isWrite,
  leaveJournal,
  planFor,
  rowsNamed,
  singleRequestHarness,
  startEntry,
  startHarness,
  type Harness,
  RETRY,
  stepOf,
  CONNECTION,
} from './harness';

const CREDENTIAL = 'oauth_2_0_credentials';
const connectionPost = { method: 'POST', table: CONNECTION };

const postsTo = (harness: Harness, table: string) =>
  harness.sim.log.filter((e) => e.method === 'POST' && e.path.endsWith(`/${table}`));

describe('an apply is "succeeded" only when verified', () => {
  it('a sent field the instance does not keep fails verification, and so the apply', async () => {
    // mid_capabilities is an UNCERTAIN element name (docs/servicenow.md §6.1); an instance without it
    // ignores it silently, as the simulator does, so the re-read row has no such field.
    const h = await startHarness('fresh');
    const desired = defaultDesiredState();
    desired.main = { ...desired.main, useMid: true, midSelection: 'auto', midCapabilities: ['ALL'] };
    const plan = await planFor(h, desired);
    expect(plan.actions.find((a) => a.id === 'connection:main')?.body.mid_capabilities).toBe('ALL');

    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    // Every write was answered with success…
    expect(record.steps.every((s) => s.status === 'done')).toBe(true);
    // …but the re-read does not hold what was sent.
    expect(record.status).toBe('failed');
    expect(record.verification?.ok).toBe(false);
    const main = record.records.find((r) => r.actionId === 'connection:main');
    expect(main?.verified).toBe(false);
    expect(main?.mismatches).toEqual(['mid_capabilities']);
    expect(main?.after).not.toBeNull();
    expect(main?.after?.mid_capabilities).toBeUndefined();
    // The records whose every field was kept are verified.
    const others = record.records.filter((r) => r.actionId !== 'connection:main');
    expect(others.map((r) => [r.actionId, r.verified, r.mismatches])).toEqual([
      ['credential:main', true, []],
      ['credential:clientCred', true, []],
      ['connection:clientCred', true, []],
    ]);
  });

  it('a record changed by someone else between the write and the re-read fails verification', async () => {
    const h = await startHarness('fresh');
    const sim = h.sim;
    const record = await applyPlan({
      client: h.client,
      plan: await planFor(h),
      dir: h.dir,
      retry: RETRY,
      onProgress: (p) => {
        if (p.phase !== 'verifying') return;
        const row = rowsNamed(sim, CONNECTION, 'Exchange_Online_Connection_clientCred')[0];
        sim.db.update(CONNECTION, row!.sys_id!, { connection_url: 'https://example.com' });
      },
    });
    expect(record.status).toBe('failed');
    expect(record.verification?.ok).toBe(false);
    const changed = record.records.find((r) => r.actionId === 'connection:clientCred');
    expect(changed).toMatchObject({ verified: false, mismatches: ['connection_url'] });
  });

  it('a created record gone by the time of the re-read is not verified, and the apply fails', async () => {
    const h = await startHarness('fresh');
    const sim = h.sim;
    const record = await applyPlan({
      client: h.client,
      plan: await planFor(h),
      dir: h.dir,
      retry: RETRY,
      onProgress: (p) => {
        if (p.phase !== 'verifying') return;
        const row = rowsNamed(sim, CONNECTION, 'Exchange_Online_Connection')[0];
        sim.db.delete(CONNECTION, row!.sys_id!);
      },
    });
    expect(record.status).toBe('failed');
    const gone = record.records.find((r) => r.actionId === 'connection:main');
    expect(gone).toMatchObject({ verified: false, after: null });
  });

  it('the same apply with nothing changed behind its back succeeds and is verified', async () => {
    const h = await startHarness('fresh');
    const record = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    expect(record.status).toBe('succeeded');
    expect(record.verification?.ok).toBe(true);
    expect(record.records.every((r) => r.verified && r.mismatches.length === 0)).toBe(true);
  });

  it('a deleted record is verified only by a re-read showing it gone', async () => {
    const h = await startHarness('fresh');
    const sim = h.sim;
    const applied = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    expect(applied.status).toBe('succeeded');
    const snapshot = await discover(h.client, { desired: defaultDesiredState() });
    if (!snapshot.ok) throw new Error(snapshot.message);
    const rollbackPlan = planRollback(applied, snapshot.snapshot);
    expect(rollbackPlan.actions.every((a) => a.op === 'delete')).toBe(true);

    // Someone puts one of the deleted records back before the rollback re-reads.
    const connection = rowsNamed(sim, CONNECTION, 'Exchange_Online_Connection')[0]!;
    const rollback = await applyRollback({
      client: h.client,
      record: applied,
      plan: rollbackPlan,
      dir: h.dir,
      retry: RETRY,
      onProgress: (p) => {
        if (p.phase === 'verifying') sim.db.insert(CONNECTION, { ...connection });
      },
    });
    expect(rollback.steps.every((s) => s.status === 'done')).toBe(true);
    expect(rollback.status).toBe('failed');
    const back = rollback.records.find((r) => r.sysId === connection.sys_id);
    expect(back?.verified).toBe(false);
    expect(rollback.records.filter((r) => r.sysId !== connection.sys_id).every((r) => r.verified)).toBe(true);
  });

  it('a rollback whose deletes are all gone on re-read succeeds', async () => {
    const h = await startHarness('fresh');
    const applied = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    const snapshot = await discover(h.client, { desired: defaultDesiredState() });
    if (!snapshot.ok) throw new Error(snapshot.message);
    const rollback = await applyRollback({
      client: h.client,
      record: applied,
      plan: planRollback(applied, snapshot.snapshot),
      dir: h.dir,
      retry: RETRY,
    });
    expect(rollback.status).toBe('succeeded');
    expect(rollback.records.map((r) => [r.op, r.verified, r.after])).toEqual([
      ['delete', true, null],
      ['delete', true, null],
      ['delete', true, null],
      ['delete', true, null],
    ]);
    expect(h.sim.db.rows(CONNECTION).filter((r) => r.name?.startsWith('Exchange_Online'))).toEqual([]);
  });
});

// --- Journals left behind by a process that stopped ---

/** The plan's first write: the main credential, created on a fresh instance. */
async function firstCredentialOnInstance(harness: Harness, plan: Plan): Promise<string> {
  const action = plan.actions.find((a) => a.id === 'credential:main')!;
  const created = await harness.client.create(CREDENTIAL, action.body);
  return created.sys_id!;
}

function expectEachOnce(harness: Harness) {
  for (const [table, name] of [
    [CREDENTIAL, 'Exchange_Online_Credentials'],
    [CREDENTIAL, 'Exchange_Online_Credentials_clientCred'],
    [CONNECTION, 'Exchange_Online_Connection'],
    [CONNECTION, 'Exchange_Online_Connection_clientCred'],
  ] as const) {
    expect(rowsNamed(harness.sim, table, name), `${name} exactly once`).toHaveLength(1);
  }
}

describe('journal damage: each kind has one defined outcome', () => {
  it('a torn last line is ended before the next entry, so nothing resume writes is lost', async () => {
    const h = await singleRequestHarness();
    const plan = await planFor(h);
    // Killed while writing the "done" line of a write the instance committed.
    await firstCredentialOnInstance(h, plan);
    const file = await leaveJournal(
      h.dir,
      'a1',
      [startEntry('a1', plan), intentEntry(plan, 'credential:main')],
      '{"t":"done","actionId":"credential:ma',
    );

    const resumed = await resumeApply({ client: h.client, dir: h.dir, retry: RETRY });
    expect(resumed?.status).toBe('succeeded');
    expect(resumed?.notes?.join(' ')).toMatch(/last journal line was cut short/);
    expectEachOnce(h);
    expect(postsTo(h, CREDENTIAL)).toHaveLength(2); // the test's own create + the second credential

    const after = await readJournal(file);
    // The torn fragment is the only unusable line; everything resume appended reads back whole.
    expect(after.problems).toHaveLength(1);
    const kinds = after.entries.map((e) => e.t);
    expect(kinds[0]).toBe('start');
    expect(kinds).toContain('before');
    expect(
      after.entries.some((e) => e.t === 'done' && e.actionId === 'credential:main'),
      'the settled credential is journaled as done',
    ).toBe(true);
    expect(kinds.at(-1)).toBe('finished');
    expect(await createApplyStore(h.dir).unfinished()).toBeNull();
  });

  it('an intent without its answer, the record on the instance: settled as done, not sent again', async () => {
    const h = await singleRequestHarness();
    const plan = await planFor(h);
    const sysId = await firstCredentialOnInstance(h, plan);
    await leaveJournal(h.dir, 'a1', [startEntry('a1', plan), intentEntry(plan, 'credential:main')]);
    h.sim.clearLog();
    const resumed = await resumeApply({ client: h.client, dir: h.dir, retry: RETRY });
    expect(resumed?.status).toBe('succeeded');
    expect(stepOf(resumed!, 'credential:main')).toMatchObject({ status: 'done', sysId });
    expect(stepOf(resumed!, 'credential:main').settled).toMatch(/after the interruption/);
    expect(postsTo(h, CREDENTIAL)).toHaveLength(1); // only the second credential
    expectEachOnce(h);
  });

  it('an intent without its answer, the record not on the instance: sent once', async () => {
    const h = await singleRequestHarness();
    const plan = await planFor(h);
    await leaveJournal(h.dir, 'a1', [startEntry('a1', plan), intentEntry(plan, 'credential:main')]);
    const resumed = await resumeApply({ client: h.client, dir: h.dir, retry: RETRY });
    expect(resumed?.status).toBe('succeeded');
    expect(postsTo(h, CREDENTIAL)).toHaveLength(2);
    expectEachOnce(h);
  });

  it('duplicated lines (start, intent, done) change nothing: each record is written once', async () => {
    const h = await singleRequestHarness();
    const plan = await planFor(h);
    const sysId = await firstCredentialOnInstance(h, plan);
    const done: JournalEntry = { t: 'done', actionId: 'credential:main', sysId, at: AT };
    await leaveJournal(h.dir, 'a1', [
      startEntry('a1', plan),
      startEntry('a1', plan),
      intentEntry(plan, 'credential:main'),
      intentEntry(plan, 'credential:main'),
      done,
      done,
    ]);
    h.sim.clearLog();
    const resumed = await resumeApply({ client: h.client, dir: h.dir, retry: RETRY });
    expect(resumed?.status).toBe('succeeded');
    expect(resumed?.applyId).toBe('a1');
    expect(stepOf(resumed!, 'credential:main')).toMatchObject({ status: 'done', sysId });
    expect(postsTo(h, CREDENTIAL)).toHaveLength(1);
    expect(postsTo(h, CONNECTION)).toHaveLength(2);
    expectEachOnce(h);
  });

  it('an unknown line in the middle is skipped and reported by its number; the rest is used', async () => {
    const h = await singleRequestHarness();
    const plan = await planFor(h);
    const sysId = await firstCredentialOnInstance(h, plan);
    const file = await leaveJournal(h.dir, 'a1', [
      startEntry('a1', plan),
      intentEntry(plan, 'credential:main'),
    ]);
    await appendFile(file, '{"t":"checkpoint","at":"2026-03-01T10:00:00.000Z"}\n');
    await appendFile(file, `${JSON.stringify({ t: 'done', actionId: 'credential:main', sysId, at: AT })}\n`);
    h.sim.clearLog();
    const resumed = await resumeApply({ client: h.client, dir: h.dir, retry: RETRY });
    expect(resumed?.status).toBe('succeeded');
    expect(resumed?.notes).toEqual(['Journal line 3 is not a journal entry; it was ignored.']);
    // The "done" after the unknown line still counts: the credential is not looked at again as new work.
    expect(stepOf(resumed!, 'credential:main').settled).toBeUndefined();
    expect(postsTo(h, CREDENTIAL)).toHaveLength(1);
    expectEachOnce(h);
  });

  it('a new apply over an unfinished one is refused before anything is sent', async () => {
    const h = await singleRequestHarness();
    const plan = await planFor(h);
    await leaveJournal(h.dir, 'a1', [startEntry('a1', plan), intentEntry(plan, 'credential:main')]);
    h.sim.clearLog();
    await expect(applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY })).rejects.toBeInstanceOf(
      UnfinishedApplyError,
    );
    expect(h.sim.log.filter((e) => isWrite(e.method))).toEqual([]);
    // Once resumed, a new apply may start (and finds nothing to write).
    await resumeApply({ client: h.client, dir: h.dir, retry: RETRY });
    const again = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    expect(again.status).toBe('succeeded');
    expect(again.steps.every((s) => s.status === 'skipped')).toBe(true);
  });

  it('a finished journal does not hold up the next apply', async () => {
    const h = await singleRequestHarness();
    const plan = await planFor(h);
    await leaveJournal(h.dir, 'a1', [startEntry('a1', plan), { t: 'finished', status: 'failed', at: AT }]);
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('succeeded');
  });

  it('a planned create that finds the record already there is refused, not adopted silently', async () => {
    const h = await singleRequestHarness();
    const plan = await planFor(h);
    // Someone else creates it between plan and apply.
    await firstCredentialOnInstance(h, plan);
    h.sim.clearLog();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('failed');
    const step = stepOf(record, 'credential:main');
    expect(step.status).toBe('failed');
    expect(step.error?.message).toMatch(/exists on the instance now.*discover and plan again/);
    expect(record.records.find((r) => r.actionId === 'credential:main')?.verified).toBe(false);
    // Nothing was written at all: the apply stopped at its first step.
    expect(h.sim.log.filter((e) => isWrite(e.method))).toEqual([]);
    expect(rowsNamed(h.sim, CREDENTIAL, 'Exchange_Online_Credentials')).toHaveLength(1);
  });
});

describe("the engine's retry limits", () => {
  it('a write failing with 503 every time is sent exactly maxAttempts times, then fails', async () => {
    const h = await singleRequestHarness();
    h.sim.faults.add({ kind: 'status', status: 503, match: connectionPost });
    const record = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    expect(record.status).toBe('failed');
    expect(postsTo(h, CONNECTION)).toHaveLength(3);
    expect(stepOf(record, 'connection:main').settled).toMatch(/after 3 attempts/);
    expect(stepOf(record, 'connection:clientCred').status).toBe('not_run');
  });

  it('a write that succeeds on its last allowed attempt is done', async () => {
    const h = await singleRequestHarness();
    h.sim.faults.add({ kind: 'status', status: 503, match: connectionPost, times: 2 });
    const record = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    expect(record.status).toBe('succeeded');
    // Two refused + the third for the first connection, one for the second.
    expect(postsTo(h, CONNECTION)).toHaveLength(4);
    expectEachOnce(h);
  });

  it('maxAttempts 1 means no retry at all', async () => {
    const h = await singleRequestHarness();
    h.sim.faults.add({ kind: 'status', status: 503, match: connectionPost, times: 1 });
    const record = await applyPlan({
      client: h.client,
      plan: await planFor(h),
      dir: h.dir,
      retry: { ...RETRY, maxAttempts: 1 },
    });
    expect(record.status).toBe('failed');
    expect(postsTo(h, CONNECTION)).toHaveLength(1);
  });

  it('a Retry-After (in seconds) longer than maxWaitMs fails the step without waiting or resending', async () => {
    const h = await singleRequestHarness();
    // 2 s > 1.5 s: compared in the same unit, this is over the cap.
    h.sim.faults.add({ kind: 'rate_limit', retryAfterSeconds: 2, match: connectionPost, times: 1 });
    const record = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    expect(record.status).toBe('failed');
    expect(stepOf(record, 'connection:main').error?.code).toBe('rate_limited');
    expect(postsTo(h, CONNECTION)).toHaveLength(1);
  });

  it('a Retry-After within maxWaitMs is waited out and the write sent again', async () => {
    const h = await singleRequestHarness();
    h.sim.faults.add({ kind: 'rate_limit', retryAfterSeconds: 0, match: connectionPost, times: 1 });
    const record = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    expect(record.status).toBe('succeeded');
    expect(postsTo(h, CONNECTION).map((e) => e.status)).toEqual([429, 201, 201]);
  });

  it('a hibernation page is not retried: one request, then the step fails', async () => {
    const h = await singleRequestHarness();
    h.sim.faults.add({ kind: 'hibernate', match: connectionPost });
    const record = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    expect(record.status).toBe('failed');
    expect(stepOf(record, 'connection:main').error?.code).toBe('hibernating');
    expect(postsTo(h, CONNECTION)).toHaveLength(1);
  });

  it('a refusal (403) is not retried', async () => {
    const h = await singleRequestHarness();
    h.sim.faults.add({ kind: 'forbidden', match: connectionPost });
    const record = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    expect(stepOf(record, 'connection:main').error?.code).toBe('forbidden');
    expect(postsTo(h, CONNECTION)).toHaveLength(1);
  });
});

describe('the apply record on disk', () => {
  it('is the record applyPlan returns, stored under its apply id', async () => {
    const h = await startHarness('fresh');
    const record = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    const stored = await createApplyStore(h.dir).getRecord(record.applyId);
    expect(stored).toEqual(record);
    const journal = await readFile(journalPath(h.dir, record.applyId), 'utf8');
    expect(journal.endsWith('\n')).toBe(true);
  });
});
