// The outcome of a write sent on its own (an instance refusing the Batch API), as src/main/engine/run.ts
// promises it: a refused write is not retried and says so; a retryable failure is retried up to the
// attempt limit, waiting the backoff between tries; a write found on the instance after an interruption is
// not sent again and names the record it found; an update someone else already made is still sent, as
// only an interrupted run's own write may be taken for done.
import { describe, expect, it } from 'vitest';
import { applyPlan, resumeApply } from '../../../src/main/engine';
import type { ApplyProgress } from '../../../src/shared/domain/apply';
import {
  intentEntry,
  leaveJournal,
  planFor,
  rowsNamed,
  singleRequestHarness,
  startEntry,
  writesSent,
  writesTo,
  type Harness,
  RETRY,
  stepOf,
  CONNECTION,
  MAIN_CONNECTION,
  mainInactive,
  recordingRetry,
  LOSES_ANSWERS,
} from './harness';

/** Reads of a table sent on their own (the re-reads that settle a single write). */
const singleReadsOf = (harness: Harness, table: string) =>
  harness.sim.log.filter((e) => e.method === 'GET' && e.path.startsWith(`/api/now/table/${table}`));

describe('a write sent on its own', () => {
  it('refused by the instance is not re-read nor retried, and is failed with the instance’s message', async () => {
    const h = await singleRequestHarness({ retry: { limit: 0 } });
    const plan = await planFor(h);
    h.sim.faults.add({
      kind: 'forbidden',
      message: 'Operation against file http_connection was aborted by Business Rule',
      match: { method: 'POST', table: CONNECTION },
      times: 1,
    });
    h.sim.clearLog();
    const { waits, retry } = recordingRetry();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry });
    expect(record.status).toBe('failed');
    const step = stepOf(record, 'connection:main');
    expect(step).toMatchObject({ status: 'failed', settled: 'Not written: the instance refused it.' });
    expect(step.error?.code).toBe('forbidden');
    expect(step.error?.ambiguous).toBe(false);
    expect(step.error?.instanceMessage).toContain('aborted by Business Rule');
    // Sent once; a refusal needs no re-read to know it did not land, and no wait.
    expect(writesTo(h.sim, 'POST', CONNECTION)).toHaveLength(1);
    expect(singleReadsOf(h, CONNECTION).filter((e) => e.query['sysparm_query']?.startsWith('name='))).toEqual(
      [],
    );
    expect(waits).toEqual([]);
    expect(stepOf(record, 'connection:clientCred').status).toBe('not_run');
  });

  it('answered 503 every time is tried the attempt limit, with the backoff between tries, then failed', async () => {
    const h = await singleRequestHarness({ retry: { limit: 0 } });
    const plan = await planFor(h);
    h.sim.faults.add({ kind: 'status', status: 503, match: { method: 'POST', table: CONNECTION } });
    h.sim.clearLog();
    const { waits, retry } = recordingRetry();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry });
    expect(record.status).toBe('failed');
    expect(writesTo(h.sim, 'POST', CONNECTION)).toHaveLength(RETRY.maxAttempts);
    // base × 2^(try-1), one wait between two tries.
    expect(waits).toEqual([1, 2]);
    const step = stepOf(record, 'connection:main');
    expect(step.status).toBe('failed');
    expect(step.error?.status).toBe(503);
    expect(step.settled).toBe(
      `Not written: a re-read proved the change is not on the instance (after ${RETRY.maxAttempts} attempts).`,
    );
    expect(rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)).toEqual([]);
  });

  it('answered 503 once is sent again after one wait and done, with no note on how it was settled', async () => {
    const h = await singleRequestHarness({ retry: { limit: 0 } });
    const plan = await planFor(h);
    h.sim.faults.add({ kind: 'status', status: 503, match: { method: 'POST', table: CONNECTION }, times: 1 });
    const { waits, retry } = recordingRetry();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry });
    expect(record.status).toBe('succeeded');
    expect(waits).toEqual([1]);
    expect(stepOf(record, 'connection:main')).toMatchObject({ status: 'done' });
    expect(stepOf(record, 'connection:main').settled).toBeUndefined();
    expect(rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)).toHaveLength(1);
  });

  it('reports each write done as it is answered', async () => {
    const h = await singleRequestHarness();
    const plan = await planFor(h);
    const written: Omit<ApplyProgress, 'instanceId'>[] = [];
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: RETRY,
      onProgress: (p) => {
        if (p.phase === 'written') written.push(p);
      },
    });
    expect(record.status).toBe('succeeded');
    expect(written.map((p) => [p.actionId, p.step, p.message])).toEqual([
      ['credential:main', 1, 'Creating Exchange_Online_Credentials: done'],
      ['credential:clientCred', 2, 'Creating Exchange_Online_Credentials_clientCred: done'],
      ['connection:main', 3, `Creating ${MAIN_CONNECTION}: done`],
      ['connection:clientCred', 4, 'Creating Exchange_Online_Connection_clientCred: done'],
    ]);
  });
});

describe('a write sent on its own whose answer was lost', () => {
  it('found by the re-read is reported done as the others are, once', async () => {
    const h = await singleRequestHarness(LOSES_ANSWERS);
    const plan = await planFor(h);
    h.sim.faults.add({ kind: 'hang_after_commit', match: { method: 'POST', table: CONNECTION }, times: 1 });
    const written: string[] = [];
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: RETRY,
      onProgress: (p) => {
        if (p.phase === 'written' && p.actionId === 'connection:main') written.push(p.message);
      },
    });
    expect(record.status).toBe('succeeded');
    expect(stepOf(record, 'connection:main').settled).toMatch(/^The answer was lost \(timeout\)/);
    expect(written).toEqual([`Creating ${MAIN_CONNECTION}: done`]);
    expect(writesTo(h.sim, 'POST', CONNECTION)).toHaveLength(2);
  });
});

describe('retry options', () => {
  it('are optional: without them the engine waits on its own timer, here the Retry-After of 0 s', async () => {
    const h = await singleRequestHarness({ retry: { limit: 0 } });
    const plan = await planFor(h);
    h.sim.faults.add({
      kind: 'rate_limit',
      retryAfterSeconds: 0,
      match: { method: 'POST', table: CONNECTION },
      times: 1,
    });
    const waiting: string[] = [];
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      onProgress: (p) => {
        if (p.phase === 'waiting') waiting.push(p.actionId ?? '');
      },
    });
    expect(record.status).toBe('succeeded');
    expect(waiting).toEqual(['connection:main']);
    expect(rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)).toHaveLength(1);
  });
});

describe('an update whose change is already on the instance', () => {
  it('is still sent when no interrupted run sent it: only a run’s own write may be taken for done', async () => {
    const h = await singleRequestHarness();
    expect(
      (await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY })).status,
    ).toBe('succeeded');
    const plan = await planFor(h, mainInactive());
    const row = rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)[0]!;
    // Someone else makes the same change between the plan and the apply.
    h.sim.db.update(CONNECTION, row.sys_id!, { active: 'false' });
    h.sim.clearLog();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('succeeded');
    expect(writesSent(h.sim)).toEqual([
      { method: 'PATCH', path: `/api/now/table/${CONNECTION}/${row.sys_id}`, batch: null },
    ]);
    expect(stepOf(record, 'connection:main').settled).toBeUndefined();
  });
});

describe('a create an interrupted run sent', () => {
  it('found on the instance on resume is done, names the record found, and is not sent again', async () => {
    const h = await singleRequestHarness();
    const plan = await planFor(h);
    await leaveJournal(h.dir, 'a-create', [
      startEntry('a-create', plan),
      intentEntry(plan, 'credential:main'),
    ]);
    // The interrupted POST had landed.
    const created = await h.client.create('oauth_2_0_credentials', plan.actions[0]!.body);
    h.sim.clearLog();
    const resumed = await resumeApply({ client: h.client, dir: h.dir, retry: RETRY });
    expect(resumed?.status).toBe('succeeded');
    expect(stepOf(resumed!, 'credential:main')).toMatchObject({
      status: 'done',
      sysId: created.sys_id,
      settled: `Found on the instance after the interruption (sys_id ${created.sys_id}): not sent again.`,
    });
    expect(writesTo(h.sim, 'POST', 'oauth_2_0_credentials')).toHaveLength(1);
  });
});
