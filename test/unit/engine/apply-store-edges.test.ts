// The apply store (src/main/engine/apply-store.ts) as Resume, History and the next apply read it: which
// stored records it lists and in what order, which journal is "unfinished" and which failed apply an
// explicit Resume takes up, and what it does with files it cannot use. Files are written as a crash, an
// older version or another process would leave them.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApplyStore, journalPath } from '../../../src/main/engine';
import { APPLY_RECORD_FILE, recordPath } from '../../../src/main/engine/apply-store';
import { writeVersioned } from '../../../src/main/storage/json-file';
import type { ApplyRecord } from '../../../src/shared/domain/apply';
import { appliedRecord } from './snapshot-fixtures';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-apply-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function record(
  applyId: string,
  startedAt: string,
  status: ApplyRecord['status'] = 'succeeded',
): ApplyRecord {
  return { ...appliedRecord([]), applyId, startedAt, status };
}

const line = (entry: object) => `${JSON.stringify(entry)}\n`;
const start = (applyId: string, startedAt = '2026-12-06T10:00:00.000Z') =>
  line({
    t: 'start',
    applyId,
    kind: 'apply',
    instanceUrl: 'https://acme.service-now.com',
    startedAt,
    plan: { actions: [] },
  });
const finished = (status: 'succeeded' | 'failed') =>
  line({ t: 'finished', status, at: '2026-12-06T10:00:01.000Z' });
const reopened = line({ t: 'reopened', at: '2026-12-06T10:00:02.000Z' });

/** Leaves a journal under `name` (the file name, which is normally its apply id). */
async function leaveJournal(name: string, text: string, inDir = dir): Promise<string> {
  const file = journalPath(inDir, name);
  await mkdir(join(inDir, 'journal'), { recursive: true });
  await writeFile(file, text);
  return file;
}

describe('the stored apply records', () => {
  it('are listed newest first, and by apply id among those started in the same instant', async () => {
    const store = createApplyStore(dir);
    await store.saveRecord(record('a-old', '2026-12-06T09:00:00.000Z'));
    await store.saveRecord(record('b-same', '2026-12-06T10:00:00.000Z'));
    await store.saveRecord(record('c-same', '2026-12-06T10:00:00.000Z'));
    await store.saveRecord(record('a-new', '2026-12-06T11:00:00.000Z'));
    expect((await store.listRecords()).map((r) => r.applyId)).toEqual(['a-new', 'c-same', 'b-same', 'a-old']);
    expect((await store.latestRecord())?.applyId).toBe('a-new');
    expect(store.problems()).toEqual([]);
  });

  it('are none, without a problem, on an instance that was never applied to', async () => {
    const store = createApplyStore(dir);
    expect(await store.listRecords()).toEqual([]);
    expect(await store.latestRecord()).toBeNull();
    expect(await store.latestFailed()).toBeNull();
    expect(await store.getRecord('a1')).toBeNull();
    expect(store.problems()).toEqual([]);
  });

  it('leave a damaged record out of the list and report it, keeping the good ones', async () => {
    const store = createApplyStore(dir);
    await store.saveRecord(record('a-good', '2026-12-06T09:00:00.000Z'));
    const damaged = recordPath(dir, 'a-damaged');
    await writeFile(damaged, '{"kind": "spokesmith.apply-record", "vers');
    expect((await store.listRecords()).map((r) => r.applyId)).toEqual(['a-good']);
    expect(await store.getRecord('a-damaged')).toBeNull();
    const problems = store.problems();
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.file === damaged && p.movedTo === null)).toBe(true);
    // Left in place for the user to look at.
    expect(existsSync(damaged)).toBe(true);
  });

  it('ignore files in the records folder that are not records (a temp file of an interrupted write)', async () => {
    const store = createApplyStore(dir);
    await store.saveRecord(record('a1', '2026-12-06T09:00:00.000Z'));
    await writeFile(join(dir, 'applies', 'a1.json.1234'), '{"half": ');
    await writeFile(join(dir, 'applies', 'README'), 'notes');
    expect((await store.listRecords()).map((r) => r.applyId)).toEqual(['a1']);
    expect(store.problems()).toEqual([]);
  });

  it('are found by apply id, and an id that is no plain name never reaches outside the records folder', async () => {
    const store = createApplyStore(dir);
    await store.saveRecord(record('a1', '2026-12-06T09:00:00.000Z'));
    expect((await store.getRecord('a1'))?.applyId).toBe('a1');
    expect(await store.getRecord('a2')).toBeNull();
    // A valid record file one folder up: an id such as "../planted" must not read it.
    await writeVersioned(
      join(dir, 'planted.json'),
      APPLY_RECORD_FILE,
      record('planted', '2026-12-06T09:00:00.000Z'),
    );
    expect(await store.getRecord('../planted')).toBeNull();
    expect(await store.getRecord('planted/..')).toBeNull();
    expect(await store.getRecord('')).toBeNull();
    expect(store.problems()).toEqual([]);
  });

  it('cannot be listed when the records folder is not a folder: the error is not taken for "no records"', async () => {
    await writeFile(join(dir, 'applies'), 'not a folder');
    await expect(createApplyStore(dir).listRecords()).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});

describe('the unfinished apply', () => {
  it('is the newest journal without a "finished" line, whatever order the folder lists them in', async () => {
    // Two instances' folders with the same file names and the start times swapped: one of them lists the
    // newer journal second, whatever order the file system returns names in.
    const other = await mkdtemp(join(tmpdir(), 'spokesmith-apply-store-'));
    try {
      await leaveJournal('a1', start('a1', '2026-12-06T09:00:00.000Z'));
      await leaveJournal('a2', start('a2', '2026-12-06T10:00:00.000Z'));
      await leaveJournal('a1', start('a1', '2026-12-06T10:00:00.000Z'), other);
      await leaveJournal('a2', start('a2', '2026-12-06T09:00:00.000Z'), other);
      expect((await createApplyStore(dir).unfinished())?.applyId).toBe('a2');
      expect((await createApplyStore(other).unfinished())?.applyId).toBe('a1');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('carries the journal it was read from, its state and its torn lines', async () => {
    const file = await leaveJournal('a1', start('a1') + '{"t":"intent","act');
    const pending = await createApplyStore(dir).unfinished();
    expect(pending?.file).toBe(file);
    expect(pending?.state.start?.applyId).toBe('a1');
    expect(pending?.problems).toEqual([
      'The last journal line was cut short (the process stopped while writing it); it was ignored.',
    ]);
  });

  it('is named by its start line, or by the journal file when the start line has no id', async () => {
    await leaveJournal('named-by-file', start('a-started'));
    expect((await createApplyStore(dir).unfinished())?.applyId).toBe('a-started');
    await rm(join(dir, 'journal'), { recursive: true });
    await leaveJournal('named-by-file', start(''));
    expect((await createApplyStore(dir).unfinished())?.applyId).toBe('named-by-file');
  });

  it('is none when a journal has no start line: it was cut before anything was sent', async () => {
    await leaveJournal('a1', '{"t":"sta');
    await leaveJournal('a2', line({ t: 'before', records: {} }));
    expect(await createApplyStore(dir).unfinished()).toBeNull();
  });

  it('is none when the "finished" line is followed by a torn line', async () => {
    // The tail's last line is unreadable, so the whole journal is read: it did finish.
    await leaveJournal('a1', start('a1') + finished('succeeded') + '{"t":"reop');
    expect(await createApplyStore(dir).unfinished()).toBeNull();
  });

  it('is a failed apply reopened by Resume until its next "finished" line', async () => {
    await leaveJournal('a1', start('a1') + finished('failed') + reopened);
    expect((await createApplyStore(dir).unfinished())?.applyId).toBe('a1');
  });
});

describe('the failed apply an explicit Resume takes up', () => {
  it('is the latest apply when its record and journal both say failed', async () => {
    const store = createApplyStore(dir);
    await store.saveRecord(record('a1', '2026-12-06T10:00:00.000Z', 'failed'));
    const file = await leaveJournal('a1', start('a1') + '{"t":"torn\n' + finished('failed'));
    const failed = await store.latestFailed();
    expect(failed?.applyId).toBe('a1');
    expect(failed?.file).toBe(file);
    expect(failed?.state.finished?.status).toBe('failed');
    expect(failed?.problems).toEqual(['Journal line 2 is not valid JSON; it was ignored.']);
  });

  it('is none when a newer apply succeeded after the failed one', async () => {
    const store = createApplyStore(dir);
    await store.saveRecord(record('a1', '2026-12-06T09:00:00.000Z', 'failed'));
    await leaveJournal('a1', start('a1', '2026-12-06T09:00:00.000Z') + finished('failed'));
    await store.saveRecord(record('a2', '2026-12-06T10:00:00.000Z'));
    await leaveJournal('a2', start('a2', '2026-12-06T10:00:00.000Z') + finished('succeeded'));
    expect(await store.latestFailed()).toBeNull();
  });

  it('is none when the failed record has no journal, or a journal without its start line', async () => {
    const store = createApplyStore(dir);
    await store.saveRecord(record('a1', '2026-12-06T10:00:00.000Z', 'failed'));
    expect(await store.latestFailed()).toBeNull();
    await leaveJournal('a1', '{"t":"sta\n' + finished('failed'));
    expect(await store.latestFailed()).toBeNull();
  });

  it('is none while the failed apply is still unfinished, or its journal says it succeeded', async () => {
    // Unfinished: unfinished() is the one to resume it, not latestFailed().
    const store = createApplyStore(dir);
    await store.saveRecord(record('a1', '2026-12-06T10:00:00.000Z', 'failed'));
    await leaveJournal('a1', start('a1'));
    expect(await store.latestFailed()).toBeNull();
    await leaveJournal('a1', start('a1') + finished('succeeded'));
    expect(await store.latestFailed()).toBeNull();
  });

  it('cannot be read when its journal is not a file: the error is not taken for "no journal"', async () => {
    const store = createApplyStore(dir);
    await store.saveRecord(record('a1', '2026-12-06T10:00:00.000Z', 'failed'));
    await mkdir(journalPath(dir, 'a1'), { recursive: true });
    await expect(store.latestFailed()).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
