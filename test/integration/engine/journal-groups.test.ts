// The apply journal writes in groups (src/main/engine/journal.ts, issue 11): one append of several
// entries is one write() and one fsync, held lines go with the next append, and a group torn by a kill
// reads back as its whole lines plus a torn last one. A fresh apply makes one journal fsync before each
// batch (the wave's intents) and one after each answer (the wave's outcomes).
//
// fsyncs are counted with a spy on the real FileHandle's sync that calls through to it: the files are
// real, written and synced as in production; the spy only notes when.
import { mkdtemp, open, readFile, rm, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApplyStore, readJournal, resumeApply, type JournalEntry } from '../../../src/main/engine';
import { openJournal, type JournalWriter } from '../../../src/main/engine/journal';
import { runPlan } from '../../../src/main/engine/run';
import {
  AT,
  planFor,
  RETRY,
  rowsNamed,
  START_A1,
  startEntry,
  startHarness,
  writesSent,
  type Harness,
} from './harness';

const start = START_A1;
const intent = (actionId: string): JournalEntry => ({
  t: 'intent',
  actionId,
  attempt: 1,
  op: 'create',
  table: 'oauth_2_0_credentials',
  sysId: null,
  body: { name: actionId },
  batch: 'b1',
  at: AT,
});
const done = (actionId: string): JournalEntry => ({ t: 'done', actionId, sysId: `sys-${actionId}`, at: AT });
const CUT_SHORT =
  'The last journal line was cut short (the process stopped while writing it); it was ignored.';

/** The journal of a fresh apply's two waves (credentials, then connections), after its start line. */
const TWO_WAVES = [
  'before',
  'intent',
  'intent',
  'done',
  'done',
  'intent',
  'intent',
  'done',
  'done',
  'finished',
];

/** Runs the plan as a fresh apply ('a1') on the harness's instance, journaling to `journal`. */
function runFresh(
  journal: JournalWriter,
  plan: Parameters<typeof runPlan>[0]['plan'],
  client: ReturnType<Harness['newClient']>,
) {
  return runPlan({
    client,
    store: createApplyStore(h!.dir),
    journal,
    plan,
    applyId: 'a1',
    kind: 'apply',
    startedAt: AT,
    resumed: null,
    now: () => new Date(),
    retry: RETRY,
    freshPlan: true,
  });
}

let dir: string;
let h: Harness | null = null;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-journal-groups-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.close();
  h = null;
  await rm(dir, { recursive: true, force: true });
});

/**
 * Spies on every FileHandle's sync and write, calling through to the real ones; `onSync` runs as each
 * sync starts. The prototype is taken from a real handle: node:fs/promises does not export the class.
 */
async function spyOnHandles(onSync: () => void = () => undefined) {
  const probe = await open(join(dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  const realSync = proto.sync;
  const sync = vi.spyOn(proto, 'sync').mockImplementation(function (this: FileHandle) {
    onSync();
    return realSync.call(this);
  });
  const realWrite = proto.write;
  const write = vi.spyOn(proto, 'write');
  return { sync, write, realWrite };
}

describe('a journal append of several entries', () => {
  it('is one write and one fsync, and reads back as the entries in order', async () => {
    const journal = await openJournal(dir, 'a1');
    const { sync, write } = await spyOnHandles();
    await journal.append(intent('c1'), intent('c2'), intent('c3'));
    expect(sync).toHaveBeenCalledTimes(1);
    expect(write).toHaveBeenCalledTimes(1);
    await journal.close();
    const read = await readJournal(journal.file);
    expect(read.entries).toEqual([intent('c1'), intent('c2'), intent('c3')]);
    expect(read.problems).toEqual([]);
  });

  it('carries the held entries first, in the same fsync; close writes what is still held', async () => {
    const journal = await openJournal(dir, 'a1');
    const { sync } = await spyOnHandles();
    journal.hold(start);
    journal.hold({ t: 'before', records: { c1: null } });
    // Held is not written: a kill now leaves an empty journal, which has nothing to resume.
    expect(await readFile(journal.file, 'utf8')).toBe('');
    await journal.append(intent('c1'));
    expect(sync).toHaveBeenCalledTimes(1);
    journal.hold({ t: 'finished', status: 'failed', at: AT });
    await journal.close();
    expect(sync).toHaveBeenCalledTimes(2);
    const types = (await readJournal(journal.file)).entries.map((e) => e.t);
    expect(types).toEqual(['start', 'before', 'intent', 'finished']);
  });

  it('writes and fsyncs nothing when it carries no entries and nothing is held', async () => {
    // A wave whose steps were all settled without sending has no outcomes to append: an fsync there
    // would sit on the apply's critical path for nothing (issue 11).
    const journal = await openJournal(dir, 'a1');
    const { sync, write } = await spyOnHandles();
    await journal.append();
    expect(sync).not.toHaveBeenCalled();
    expect(write).not.toHaveBeenCalled();
    await journal.close();
    expect(await readFile(journal.file, 'utf8')).toBe('');
  });

  it('goes on where a short write stopped, and the group reads back whole', async () => {
    const journal = await openJournal(dir, 'a1');
    const { write, realWrite } = await spyOnHandles();
    // The disk takes only the first 10 bytes of the group's write (a short write, as on a nearly full
    // disk); the next write() must carry the rest, from where the first one stopped.
    const writeBytes = realWrite as (
      this: FileHandle,
      buffer: Buffer,
      offset: number,
      length: number,
    ) => Promise<{ bytesWritten: number; buffer: Buffer }>;
    write.mockImplementationOnce(function (this: FileHandle, buffer: Buffer, offset: number) {
      return writeBytes.call(this, buffer, offset, 10);
    } as FileHandle['write']);
    await journal.append(intent('c1'), intent('c2'));
    expect(write).toHaveBeenCalledTimes(2);
    await journal.close();
    const read = await readJournal(journal.file);
    expect(read.entries).toEqual([intent('c1'), intent('c2')]);
    expect(read.problems).toEqual([]);
  });

  it('validates every entry before writing any of them', async () => {
    const journal = await openJournal(dir, 'a1');
    const bad = { t: 'done', actionId: 'c2' } as unknown as JournalEntry;
    expect(() => journal.append(intent('c1'), bad)).toThrow();
    expect(() => journal.hold(bad)).toThrow();
    await journal.close();
    expect(await readFile(journal.file, 'utf8')).toBe('');
  });
});

describe('a group torn by a kill', () => {
  it('reads back, at every cut, as the lines before it plus its whole lines and a torn last one', async () => {
    const journal = await openJournal(dir, 'a1');
    await journal.append(start);
    const group = [intent('c1'), intent('c2'), done('c0')];
    await journal.append(...group);
    await journal.close();
    const text = await readFile(journal.file, 'utf8');
    const stamped = JSON.parse(text.split('\n')[0]!) as JournalEntry;
    const lines = [stamped, ...group].map((e) => `${JSON.stringify(e)}\n`);
    // The group went to disk as three whole lines after the first.
    expect(text).toBe(lines.join(''));

    const ends = lines.map((_, i) => lines.slice(0, i + 1).join('').length);
    const copy = join(dir, 'torn.jsonl');
    for (let cut = ends[0]!; cut <= text.length; cut += 1) {
      await writeFile(copy, text.slice(0, cut));
      const read = await readJournal(copy);
      // A line counts once its closing brace is on disk (its newline may still be missing).
      const whole = ends.filter((end) => end - 1 <= cut).length;
      expect(read.entries, `cut at ${cut}`).toEqual([stamped, ...group].slice(0, whole));
      const atBoundary = ends.some((end) => cut === end || cut === end - 1);
      expect(read.problems, `cut at ${cut}`).toEqual(atBoundary ? [] : [CUT_SHORT]);
    }
  });

  it('is ended when the journal is opened again, so the next group is read whole after it', async () => {
    const journal = await openJournal(dir, 'a1');
    await journal.append(start, intent('c1'), intent('c2'));
    await journal.close();
    const text = await readFile(journal.file, 'utf8');
    // Killed inside the write: the second intent is half on disk.
    await truncate(journal.file, text.length - 30);

    const resumed = await openJournal(dir, 'a1');
    await resumed.append(done('c1'));
    await resumed.close();
    const read = await readJournal(resumed.file);
    expect(read.entries.map((e) => e.t)).toEqual(['start', 'intent', 'done']);
    expect(read.problems).toEqual(['Journal line 3 is not valid JSON; it was ignored.']);
  });
});

describe('a fresh apply in two waves', () => {
  it('makes one journal fsync before each batch leaves and one after each answer', async () => {
    h = await startHarness('fresh');
    const plan = await planFor(h);
    const client = h.newClient();
    h.sim.clearLog();
    const inner = await openJournal(h.dir, 'a1');
    /** Batch API requests that carried writes, as the simulator has received them so far. */
    const batchesSent = () => new Set(writesSent(h!.sim).map((w) => w.batch)).size;
    const calls: string[] = [];
    const journal: JournalWriter = {
      file: inner.file,
      append(...entries) {
        calls.push(`append ${entries.map((e) => e.t).join(',')} after batch ${batchesSent()}`);
        return inner.append(...entries);
      },
      hold(...entries) {
        calls.push(`hold ${entries.map((e) => e.t).join(',')}`);
        inner.hold(...entries);
      },
      close: () => inner.close(),
    };
    const syncsAfterBatch: number[] = [];
    await spyOnHandles(() => syncsAfterBatch.push(batchesSent()));

    const record = await runFresh(journal, plan, client);
    await journal.close();
    expect(record.status).toBe('succeeded');
    expect(calls).toEqual([
      'hold before',
      'append intent,intent after batch 0',
      'append done,done after batch 1',
      'append intent,intent after batch 1',
      'append done,done after batch 2',
      'append finished after batch 2',
    ]);
    // Real fsyncs: one before the credentials' batch (the before-state and both intents); after its
    // answer one for its outcomes and one for the connections' intents. (The apply record's own
    // fsyncs and the "finished" line come after the last batch.)
    expect(syncsAfterBatch.filter((n) => n === 0)).toHaveLength(1);
    expect(syncsAfterBatch.filter((n) => n === 1)).toHaveLength(2);
    expect((await readJournal(inner.file)).entries.map((e) => e.t)).toEqual(TWO_WAVES);
  });
});

describe('outcomes lost in a kill', () => {
  it('are settled by the resume re-reading, whose settled lines go with the next intents in one fsync', async () => {
    h = await startHarness('fresh');
    const plan = await planFor(h);
    h.sim.clearLog();
    const inner = await openJournal(h.dir, 'a1');
    // The process "dies" when it comes to journal the first wave's outcomes: the credentials' batch was
    // answered, and nothing after that reaches the disk.
    const dying: JournalWriter = {
      file: inner.file,
      append: (...entries) =>
        entries.some((e) => e.t === 'done')
          ? Promise.reject(new Error('killed before the outcomes were on disk'))
          : inner.append(...entries),
      hold: (...entries) => inner.hold(...entries),
      close: () => inner.close(),
    };
    dying.hold(startEntry('a1', plan));
    await expect(runFresh(dying, plan, h.newClient())).rejects.toThrow('killed');
    await inner.close();
    expect((await readJournal(inner.file)).entries.map((e) => e.t)).toEqual([
      'start',
      'before',
      'intent',
      'intent',
    ]);
    expect(writesSent(h.sim)).toHaveLength(2);

    h.sim.clearLog();
    const batchesSent = () => new Set(writesSent(h!.sim).map((w) => w.batch)).size;
    const syncsAfterBatch: number[] = [];
    await spyOnHandles(() => syncsAfterBatch.push(batchesSent()));
    const record = await resumeApply({ client: h.newClient(), dir: h.dir, retry: RETRY });
    expect(record?.status).toBe('succeeded');
    // Both credentials were found by the re-read, not sent again; each record exists once.
    for (const step of record!.steps.slice(0, 2)) expect(step.settled).toMatch(/after the interruption/);
    expect(writesSent(h.sim).map((w) => w.method)).toEqual(['POST', 'POST']);
    for (const r of record!.records) expect(rowsNamed(h.sim, r.table, r.name)).toHaveLength(1);
    // Before the connections' batch: the journal folder's fsync as the journal is opened again, then ONE
    // for the two settled "done" lines and the connections' intents.
    expect(syncsAfterBatch.filter((n) => n === 0)).toHaveLength(2);
    expect((await readJournal(inner.file)).entries.map((e) => e.t)).toEqual(['start', ...TWO_WAVES]);
  });
});
