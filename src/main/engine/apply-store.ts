// Where an instance's applies live: `<dir>/applies/<applyId>.json` (versioned, validated records written
// atomically) and `<dir>/journal/<applyId>.jsonl` (the write-ahead journal, see journal.ts).
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ApplyRecordSchema, type ApplyRecord } from '../../shared/domain/apply';
import {
  LEAVE_IN_PLACE,
  readVersioned,
  writeVersioned,
  type FileProblem,
  type FileSpec,
} from '../storage/json-file';
import {
  endsFinished,
  foldJournal,
  journalPath,
  listJournals,
  readJournal,
  type JournalState,
} from './journal';

export const APPLY_RECORD_FILE: FileSpec<ApplyRecord> = {
  kind: 'spokesmith.apply-record',
  version: 1,
  schema: ApplyRecordSchema,
};

const RECORDS_DIR = 'applies';

export interface UnfinishedApply {
  applyId: string;
  file: string;
  state: JournalState;
  /** Torn or unreadable journal lines, in plain words. */
  problems: string[];
}

export interface ApplyStore {
  readonly dir: string;
  /** Newest first. Unusable files are left in place and listed in `problems()`. */
  listRecords(): Promise<ApplyRecord[]>;
  getRecord(applyId: string): Promise<ApplyRecord | null>;
  latestRecord(): Promise<ApplyRecord | null>;
  saveRecord(record: ApplyRecord): Promise<void>;
  /**
   * The newest apply whose journal has no "finished" line (killed, or a write left unconfirmed).
   *
   * Call it only while holding the instance lock (acquireInstanceLock in src/main/storage/instance-lock.ts
   * on this folder): a journal without "finished" is also what a LIVE apply in another process looks
   * like, and only the lock tells the two apart. Holding the lock proves its writer is gone (it released
   * or was taken over as stale), so the journal is safe to resume.
   */
  unfinished(): Promise<UnfinishedApply | null>;
  /**
   * The journal of the latest apply or rollback when it finished as failed (a definite refusal such as a
   * 403): Resume takes it up again once the cause is fixed. Null when the latest one succeeded.
   */
  latestFailed(): Promise<UnfinishedApply | null>;
  /** Problems met while reading records. */
  problems(): FileProblem[];
}

export function recordPath(dir: string, applyId: string): string {
  return join(dir, RECORDS_DIR, `${applyId}.json`);
}

export function createApplyStore(dir: string): ApplyStore {
  const problems: FileProblem[] = [];
  const read = async (file: string): Promise<ApplyRecord | null> => {
    const result = await readVersioned(file, APPLY_RECORD_FILE, LEAVE_IN_PLACE);
    if (result.ok) return result.value;
    if (!result.missing) problems.push(result.problem);
    return null;
  };
  const store: ApplyStore = {
    dir,
    async listRecords() {
      let names: string[];
      try {
        names = await readdir(join(dir, RECORDS_DIR));
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return [];
        throw error;
      }
      const records: ApplyRecord[] = [];
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        const record = await read(join(dir, RECORDS_DIR, name));
        if (record) records.push(record);
      }
      return records.sort(
        (a, b) => b.startedAt.localeCompare(a.startedAt) || b.applyId.localeCompare(a.applyId),
      );
    },
    getRecord(applyId) {
      if (!/^[A-Za-z0-9_.-]+$/.test(applyId)) return Promise.resolve(null);
      return read(recordPath(dir, applyId));
    },
    async latestRecord() {
      return (await store.listRecords())[0] ?? null;
    },
    saveRecord(record) {
      return writeVersioned(recordPath(dir, record.applyId), APPLY_RECORD_FILE, record);
    },
    async latestFailed() {
      const latest = await store.latestRecord();
      if (!latest || latest.status !== 'failed') return null;
      const file = journalPath(dir, latest.applyId);
      let read;
      try {
        read = await readJournal(file);
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return null;
        throw error;
      }
      const state = foldJournal(read.entries);
      if (!state.start || state.finished?.status !== 'failed') return null;
      return { applyId: latest.applyId, file, state, problems: read.problems };
    },
    async unfinished() {
      const found: UnfinishedApply[] = [];
      for (const file of await listJournals(dir)) {
        if (await endsFinished(file)) continue;
        const { entries, problems: lineProblems } = await readJournal(file);
        const state = foldJournal(entries);
        // No start line: the journal was cut before anything was sent, so there is nothing to resume.
        if (!state.start || state.finished) continue;
        found.push({
          applyId: state.start.applyId || basename(file, '.jsonl'),
          file,
          state,
          problems: lineProblems,
        });
      }
      found.sort((a, b) => (b.state.start?.startedAt ?? '').localeCompare(a.state.start?.startedAt ?? ''));
      return found[0] ?? null;
    },
    problems: () => [...problems],
  };
  return store;
}
