// How src/main/engine/run.ts settles the items of a Batch API request whose answer is not a plain success:
// only a delete's 404 means "already done" (an update's 404 is a refusal), and an answer the client could
// not use after the write was sent (too large to read) is ambiguous: the items are settled by re-reading
// the instance, never reported refused while the change is on it, and never sent again; one the re-read
// proves absent fails, as such an answer is not retried (the instance would send the same flood).
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/main/engine';
import {
  CONNECTION,
  CREDENTIALS,
  MAIN_CONNECTION,
  mainInactive,
  planFor,
  provisioned,
  RETRY,
  rowsNamed,
  startHarness,
  stepOf,
  writesSent,
  writesTo,
} from './harness';

describe('an update in a batch whose record was deleted since the plan', () => {
  it('is refused (404), not taken for done as a delete would be', async () => {
    const h = await startHarness('fresh');
    await provisioned(h);
    // Both connections made inactive: two updates, one wave, one batch.
    const desired = mainInactive();
    desired.clientCred = { ...desired.clientCred, active: false };
    const plan = await planFor(h, desired);
    expect(plan.actions.filter((a) => a.op === 'update').map((a) => a.id)).toEqual([
      'connection:main',
      'connection:clientCred',
    ]);
    h.sim.db.delete(CONNECTION, rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)[0]!.sys_id!);
    h.sim.clearLog();
    // freshPlan: no pre-write re-read, so the PATCH goes out and the instance answers it 404.
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY, freshPlan: true });

    const patches = writesSent(h.sim);
    expect(patches.map((w) => w.method)).toEqual(['PATCH', 'PATCH']);
    expect(patches[0]!.batch).not.toBeNull();
    expect(patches[1]!.batch).toBe(patches[0]!.batch);
    expect(record.status).toBe('failed');
    expect(stepOf(record, 'connection:main')).toMatchObject({
      status: 'failed',
      settled: 'Not written: the instance refused it.',
    });
    expect(stepOf(record, 'connection:main').error?.code).toBe('not_found');
    expect(stepOf(record, 'connection:clientCred').status).toBe('done');
  });
});

describe('a batch whose answer is too large to read', () => {
  it('is settled by re-reads that find the writes: done, each record once, nothing sent again', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h);
    // A limit the write batches' answers (whole records, over 2,000 bytes) pass and the reads (a few
    // fields; the before-state read's answer is over 1,500 bytes) stay under.
    const client = h.newClient({ maxResponseBytes: 1900 });
    h.sim.clearLog();
    const record = await applyPlan({ client, plan, dir: h.dir, retry: RETRY });

    expect(writesTo(h.sim, 'POST', CREDENTIALS)).toHaveLength(2);
    expect(writesTo(h.sim, 'POST', CONNECTION)).toHaveLength(2);
    // (The closing verification's read of all four records is over the limit too: the record's status
    // says they are unverified, which is not what this test is about.)
    for (const id of [
      'credential:main',
      'credential:clientCred',
      'connection:main',
      'connection:clientCred',
    ]) {
      expect(stepOf(record, id)).toMatchObject({
        status: 'done',
        settled:
          'The answer was lost (too_large), but a re-read found the change on the instance: not sent again.',
      });
    }
    for (const r of record.records) expect(rowsNamed(h.sim, r.table, r.name)).toHaveLength(1);
  });

  it('fails an item the re-read proves absent after its one attempt: such an answer is not retried', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h);
    // No pre-write read (freshPlan), so the limit only has to sit between the batch answer (one record
    // and one refusal) and the re-read's (the one credential found, a few fields).
    const client = h.newClient({ maxResponseBytes: 900 });
    h.sim.faults.add({ kind: 'forbidden', match: { method: 'POST', table: CREDENTIALS }, times: 1 });
    h.sim.clearLog();
    const record = await applyPlan({ client, plan, dir: h.dir, retry: RETRY, freshPlan: true });

    expect(writesTo(h.sim, 'POST', CREDENTIALS)).toHaveLength(2);
    expect(stepOf(record, 'credential:main')).toMatchObject({
      status: 'failed',
      settled: 'Not written: a re-read proved the change is not on the instance (after 1 attempt).',
    });
    expect(stepOf(record, 'credential:main').error?.code).toBe('too_large');
    expect(stepOf(record, 'credential:clientCred')).toMatchObject({
      status: 'done',
      settled:
        'The answer was lost (too_large), but a re-read found the change on the instance: not sent again.',
    });
    expect(record.status).toBe('failed');
  });
});
