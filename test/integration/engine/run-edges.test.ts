// The run behind apply, resume and rollback (src/main/engine/run.ts) on the paths the other engine tests do
// not take: updates and deletes sent one request each, a delete's or update's lost answer, a record that
// changed between plan and write, a cancel while waiting to retry, and a verification that cannot re-read.
import { describe, expect, it } from 'vitest';
import { applyPlan, applyRollback, resumeApply, type JournalEntry } from '../../../src/main/engine';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import {
  AT,
  intentEntry,
  leaveJournal,
  planFor,
  rowsNamed,
  singleRequestHarness,
  startEntry,
  startHarness,
  writesSent,
  type Harness,
  RETRY,
  stepOf,
  CONNECTION,
  MAIN_CONNECTION,
  mainInactive,
  provisioned,
  rollbackPlanOf,
  LOSES_ANSWERS,
} from './harness';

const mainRow = (harness: Harness) => rowsNamed(harness.sim, CONNECTION, MAIN_CONNECTION)[0];

describe('without the Batch API', () => {
  it('an update goes as one PATCH of its record by sys_id, and is verified', async () => {
    const h = await singleRequestHarness();
    await provisioned(h);
    const plan = await planFor(h, mainInactive());
    expect(plan.actions.find((a) => a.id === 'connection:main')?.op).toBe('update');
    h.sim.clearLog();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('succeeded');
    expect(writesSent(h.sim)).toEqual([
      { method: 'PATCH', path: `/api/now/table/${CONNECTION}/${mainRow(h)?.sys_id}`, batch: null },
    ]);
    expect(mainRow(h)?.active).toBe('false');
    expect(stepOf(record, 'connection:main')).toMatchObject({ op: 'update', status: 'done' });
  });

  it('a rollback deletes each record with a DELETE of its own, and the re-read shows them gone', async () => {
    const h = await singleRequestHarness();
    const applied = await provisioned(h);
    const plan = await rollbackPlanOf(h, applied);
    h.sim.clearLog();
    const rollback = await applyRollback({
      client: h.client,
      record: applied,
      plan,
      dir: h.dir,
      retry: RETRY,
    });
    expect(rollback.status).toBe('succeeded');
    expect(writesSent(h.sim).map((w) => `${w.method} ${w.batch}`)).toEqual(Array(4).fill('DELETE null'));
    expect(rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)).toEqual([]);
    expect(rollback.records.every((r) => r.verified && r.after === null)).toBe(true);
    // A rollback leaves nothing to authorize.
    expect(rollback.nextSteps).toEqual([]);
  });

  it('a delete whose answer was lost is settled by re-reading it gone, and not sent again', async () => {
    const h = await singleRequestHarness(LOSES_ANSWERS);
    const applied = await provisioned(h);
    const plan = await rollbackPlanOf(h, applied);
    h.sim.faults.add({ kind: 'hang_after_commit', match: { method: 'DELETE', table: CONNECTION }, times: 1 });
    h.sim.clearLog();
    const rollback = await applyRollback({
      client: h.client,
      record: applied,
      plan,
      dir: h.dir,
      retry: RETRY,
    });
    expect(rollback.status).toBe('succeeded');
    expect(writesSent(h.sim).filter((w) => w.method === 'DELETE')).toHaveLength(4);
    const lost = rollback.steps.find((s) => s.settled !== undefined);
    expect(lost?.settled).toBe(
      'The answer was lost (timeout), but a re-read found the change on the instance: not sent again.',
    );
    expect(lost?.status).toBe('done');
  });

  it('an update whose answer was lost is settled by re-reading its fields, and not sent again', async () => {
    const h = await singleRequestHarness(LOSES_ANSWERS);
    await provisioned(h);
    const plan = await planFor(h, mainInactive());
    h.sim.faults.add({ kind: 'hang_after_commit', match: { method: 'PATCH', table: CONNECTION }, times: 1 });
    h.sim.clearLog();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('succeeded');
    expect(writesSent(h.sim)).toHaveLength(1);
    expect(stepOf(record, 'connection:main').settled).toMatch(/^The answer was lost \(timeout\)/);
  });

  it('a delete whose answer was lost and whose record is still there is sent again', async () => {
    const h = await singleRequestHarness(LOSES_ANSWERS);
    const applied = await provisioned(h);
    const plan = await rollbackPlanOf(h, applied);
    // The request never reaches the table: the re-read still finds the record.
    h.sim.faults.add({ kind: 'hang', match: { method: 'DELETE', table: CONNECTION }, times: 1 });
    h.sim.clearLog();
    const rollback = await applyRollback({
      client: h.client,
      record: applied,
      plan,
      dir: h.dir,
      retry: RETRY,
    });
    expect(rollback.status).toBe('succeeded');
    expect(writesSent(h.sim).filter((w) => w.method === 'DELETE')).toHaveLength(5);
    expect(rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)).toEqual([]);
    expect(rollback.steps.every((s) => s.status === 'done' && s.settled === undefined)).toBe(true);
  });

  it('a write cancelled while it waits to retry is not sent again, and says so', async () => {
    const h = await singleRequestHarness();
    h.sim.faults.add({ kind: 'status', status: 503, match: { method: 'POST', table: CONNECTION } });
    const cancel = new AbortController();
    const record = await applyPlan({
      client: h.client,
      plan: await planFor(h),
      dir: h.dir,
      retry: RETRY,
      signal: cancel.signal,
      onProgress: (p) => {
        if (p.phase === 'waiting') cancel.abort();
      },
    });
    expect(record.status).toBe('failed');
    expect(stepOf(record, 'connection:main')).toMatchObject({
      status: 'failed',
      settled: 'Not written: cancelled while waiting to retry.',
    });
    expect(stepOf(record, 'connection:clientCred').status).toBe('not_run');
    expect(writesSent(h.sim).filter((w) => w.path.endsWith(`/${CONNECTION}`))).toHaveLength(1);
  });
});

describe('in a Batch API request', () => {
  it('a wave cancelled while it waits to retry is not sent again, and says so', async () => {
    const h = await startHarness('fresh');
    h.sim.faults.add({ kind: 'status', status: 503, match: { method: 'POST', table: CONNECTION } });
    const cancel = new AbortController();
    const record = await applyPlan({
      client: h.client,
      plan: await planFor(h),
      dir: h.dir,
      retry: RETRY,
      signal: cancel.signal,
      onProgress: (p) => {
        if (p.phase === 'waiting') cancel.abort();
      },
    });
    expect(record.status).toBe('failed');
    for (const id of ['connection:main', 'connection:clientCred'])
      expect(stepOf(record, id)).toMatchObject({
        status: 'failed',
        settled: 'Not written: cancelled while waiting to retry.',
      });
  });

  it('a delete answered 404 (gone since the re-read) is done, not failed', async () => {
    const h = await startHarness('fresh');
    const sim = h.sim;
    const applied = await provisioned(h);
    const plan = await rollbackPlanOf(h, applied);
    let goneId: string | null = null;
    const rollback = await applyRollback({
      client: h.client,
      record: applied,
      plan,
      dir: h.dir,
      retry: RETRY,
      onProgress: (p) => {
        // Someone else deletes the main connection as the batch is about to leave.
        if (p.phase === 'writing' && goneId === null) {
          goneId = mainRow(h!)?.sys_id ?? null;
          sim.db.delete(CONNECTION, goneId!);
        }
      },
    });
    expect(rollback.status).toBe('succeeded');
    const gone = rollback.steps.find((s) => s.sysId === goneId);
    expect(gone).toMatchObject({ status: 'done', settled: 'Already gone from the instance.' });
    expect(rollback.steps.filter((s) => s.settled === undefined)).toHaveLength(3);
  });
  it('a delete the instance refuses is failed, not taken for a record already gone', async () => {
    const h = await startHarness('fresh');
    const applied = await provisioned(h);
    const plan = await rollbackPlanOf(h, applied);
    h.sim.faults.add({ kind: 'forbidden', match: { method: 'DELETE', table: CONNECTION }, times: 1 });
    const rollback = await applyRollback({
      client: h.client,
      record: applied,
      plan,
      dir: h.dir,
      retry: RETRY,
    });
    expect(rollback.status).toBe('failed');
    const refused = rollback.steps.filter((s) => s.status === 'failed');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ settled: 'Not written: the instance refused it.' });
    expect(refused[0]?.error?.code).toBe('forbidden');
    expect(h.sim.db.get(CONNECTION, refused[0]!.sysId!)).toBeDefined();
  });
});

describe('a record that changed between the plan and the write', () => {
  it('an update of a record deleted since is refused: discover and plan again', async () => {
    const h = await singleRequestHarness();
    await provisioned(h);
    const plan = await planFor(h, mainInactive());
    h.sim.db.delete(CONNECTION, mainRow(h)!.sys_id!);
    h.sim.clearLog();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('failed');
    expect(stepOf(record, 'connection:main')).toMatchObject({ status: 'failed', settled: 'Not written.' });
    expect(stepOf(record, 'connection:main').error?.message).toBe(
      `"${MAIN_CONNECTION}" no longer exists on the instance: discover and plan again.`,
    );
    expect(writesSent(h.sim)).toEqual([]);
  });

  it('a delete of a record already gone is done without a request', async () => {
    const h = await singleRequestHarness();
    const applied = await provisioned(h);
    const plan = await rollbackPlanOf(h, applied);
    const goneId = mainRow(h)!.sys_id!;
    h.sim.db.delete(CONNECTION, goneId);
    h.sim.clearLog();
    const rollback = await applyRollback({
      client: h.client,
      record: applied,
      plan,
      dir: h.dir,
      retry: RETRY,
    });
    expect(rollback.status).toBe('succeeded');
    expect(rollback.steps.find((s) => s.sysId === goneId)).toMatchObject({
      status: 'done',
      settled: 'Already gone from the instance.',
    });
    expect(writesSent(h.sim)).toHaveLength(3);
  });
});

describe('a resumed run', () => {
  it('finds an interrupted update already on the instance: done, not sent again', async () => {
    const h = await singleRequestHarness();
    await provisioned(h);
    const plan = await planFor(h, mainInactive());
    await leaveJournal(h.dir, 'a-update', [
      startEntry('a-update', plan),
      intentEntry(plan, 'connection:main'),
    ]);
    // The interrupted PATCH had landed.
    h.sim.db.update(CONNECTION, mainRow(h)!.sys_id!, { active: 'false' });
    h.sim.clearLog();
    const resumed = await resumeApply({ client: h.client, dir: h.dir, retry: RETRY });
    expect(resumed?.status).toBe('succeeded');
    expect(stepOf(resumed!, 'connection:main')).toMatchObject({
      status: 'done',
      settled: 'Found already written after the interruption: not sent again.',
    });
    expect(writesSent(h.sim)).toEqual([]);
  });

  it('finds an interrupted delete already gone: done, not sent again', async () => {
    const h = await singleRequestHarness();
    const applied = await provisioned(h);
    const plan = await rollbackPlanOf(h, applied);
    await leaveJournal(h.dir, 'a-rollback', [
      startEntry('a-rollback', plan),
      intentEntry(plan, 'rollback:connection:main'),
    ]);
    // The interrupted DELETE had landed.
    h.sim.db.delete(CONNECTION, mainRow(h)!.sys_id!);
    h.sim.clearLog();
    const resumed = await resumeApply({ client: h.client, dir: h.dir, retry: RETRY });
    expect(resumed?.status).toBe('succeeded');
    expect(stepOf(resumed!, 'rollback:connection:main')).toMatchObject({
      status: 'done',
      settled: 'Already deleted (found gone after the interruption).',
    });
    expect(writesSent(h.sim)).toHaveLength(3);
  });

  it('keeps how a step done before the interruption was settled', async () => {
    const h = await singleRequestHarness();
    const plan = await planFor(h);
    const created = await h.client.create('oauth_2_0_credentials', plan.actions[0]!.body);
    const settled =
      'The answer was lost (timeout), but a re-read found the change on the instance: not sent again.';
    const done: JournalEntry = {
      t: 'done',
      actionId: 'credential:main',
      sysId: created.sys_id!,
      settled,
      at: AT,
    };
    await leaveJournal(h.dir, 'a1', [startEntry('a1', plan), intentEntry(plan, 'credential:main'), done]);
    const resumed = await resumeApply({ client: h.client, dir: h.dir, retry: RETRY });
    expect(resumed?.status).toBe('succeeded');
    expect(stepOf(resumed!, 'credential:main')).toMatchObject({ status: 'done', settled });
  });
});

describe('a blocked plan', () => {
  it('writes nothing: its no-op steps are skipped, the others not run', async () => {
    const h = await startHarness('fresh');
    await provisioned(h);
    const desired = defaultDesiredState();
    desired.main = { ...desired.main, domain: 'NO-SUCH-DOMAIN' };
    const plan = await planFor(h, desired);
    expect(plan.actions.find((a) => a.id === 'connection:main')?.op).toBe('blocked');
    h.sim.clearLog();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('failed');
    expect(record.steps.map((s) => [s.actionId, s.op, s.status])).toEqual([
      ['credential:main', 'noop', 'skipped'],
      ['credential:clientCred', 'noop', 'skipped'],
      ['connection:main', 'blocked', 'not_run'],
      ['connection:clientCred', 'noop', 'skipped'],
    ]);
    expect(writesSent(h.sim)).toEqual([]);
  });
});

describe('an apply with nothing to change', () => {
  it('skips every step, sends nothing and succeeds', async () => {
    const h = await startHarness('fresh');
    await provisioned(h);
    const plan = await planFor(h);
    h.sim.clearLog();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('succeeded');
    expect(record.steps.map((s) => s.status)).toEqual(Array(4).fill('skipped'));
    expect(writesSent(h.sim)).toEqual([]);
    // The credentials it left as they were still get their next steps (authorize, check the token).
    const credentials = h.sim.db.rows('oauth_2_0_credentials');
    expect(record.nextSteps.map((n) => [n.credentialName, n.credentialSysId])).toEqual(
      ['Exchange_Online_Credentials', 'Exchange_Online_Credentials_clientCred'].map((name) => [
        name,
        credentials.find((c) => c.name === name)?.sys_id,
      ]),
    );
  });
});

describe('the next steps of an apply', () => {
  it('name only the credentials it created, not one the instance refused', async () => {
    const h = await startHarness('fresh');
    h.sim.faults.add({
      kind: 'forbidden',
      match: { method: 'POST', table: 'oauth_2_0_credentials' },
      times: 1,
    });
    const record = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    expect(record.status).toBe('failed');
    expect(stepOf(record, 'credential:main').status).toBe('failed');
    expect(stepOf(record, 'credential:clientCred').status).toBe('done');
    expect(record.nextSteps.map((n) => n.credentialName)).toEqual(['Exchange_Online_Credentials_clientCred']);
  });
});

describe('a verification that cannot re-read', () => {
  it('leaves the apply failed and unverified, though every write was answered', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h);
    // After the pre-write re-read and the two write batches, every batch fails: the verification's too.
    h.sim.faults.add({ kind: 'status', status: 500, match: { pathIncludes: '/batch' }, skip: 3 });
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.steps.map((s) => s.status)).toEqual(Array(4).fill('done'));
    expect(record.status).toBe('failed');
    expect(record.verification).toBeNull();
    expect(record.records.every((r) => !r.verified && r.after === null)).toBe(true);
  });
});
