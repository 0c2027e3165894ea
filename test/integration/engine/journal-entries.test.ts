// Every kind of line the apply journal holds (src/main/engine/journal.ts) goes through the writer's
// validation and comes back from a read as it was written: a rollback's start, a failed step and Resume's
// "reopened" line included. A kind the schema refused would make the writer throw mid-apply (a rollback
// that cannot journal its start), and a kind the read refused would be dropped as damage.
//
// One test on purpose: the entry schema is built once per module graph, at its first use (z.lazy), so the
// test that states every kind must be the one that builds it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApplyStore, readJournal, type JournalEntry } from '../../../src/main/engine';
import { openJournal } from '../../../src/main/engine/journal';
import { AT } from './harness';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-journal-entries-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('writes and reads back every kind of entry, and a Resume-reopened rollback with a failed step is unfinished', async () => {
  const start: JournalEntry = {
    t: 'start',
    applyId: 'r1',
    kind: 'rollback',
    rollbackOf: 'a1',
    instanceUrl: 'https://acme.service-now.com',
    startedAt: AT,
    plan: {},
    pid: 4242,
    host: 'build-1',
  };
  const entries: JournalEntry[] = [
    start,
    { t: 'before', records: { 'oauth_entity/e1': { name: 'Exchange' }, 'oauth_entity/e2': null } },
    {
      t: 'intent',
      actionId: 'credential',
      attempt: 1,
      op: 'delete',
      table: 'oauth_entity',
      sysId: 'e1',
      body: {},
      at: AT,
    },
    {
      t: 'failed',
      actionId: 'credential',
      error: { code: 'forbidden', status: 403, message: 'Forbidden', ambiguous: false },
      at: AT,
    },
    { t: 'done', actionId: 'connection', sysId: 'c1', settled: 'Found on the instance.', at: AT },
    { t: 'finished', status: 'failed', at: AT },
    { t: 'reopened', at: AT },
  ];
  const journal = await openJournal(dir, 'r1');
  await journal.append(...entries);
  await journal.close();

  const read = await readJournal(journal.file);
  expect(read.problems).toEqual([]);
  expect(read.entries).toEqual(entries);

  // Reopened after its "finished" line: the rollback is the apply left to resume, its failed step kept.
  const pending = await createApplyStore(dir).unfinished();
  expect(pending?.applyId).toBe('r1');
  expect(pending?.state.start).toEqual(start);
  expect(pending?.state.finished).toBeNull();
  expect(pending?.state.steps.get('credential')?.failed).toEqual(entries[3]);
  expect(pending?.state.steps.get('credential')?.done).toBeNull();
  expect(pending?.state.steps.get('connection')?.done).toEqual(entries[4]);
});
