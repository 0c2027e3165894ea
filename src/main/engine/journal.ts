// The apply journal: one JSON object per line, appended and fsynced before and after every write, so a
// crash or kill at any point leaves enough on disk to resume without sending anything twice
// (docs/reliability.md §5: the only durable record of what was sent to which instance).
//
// Lines are appended in groups: one append is one write() and one fsync however many lines it carries
// (a wave's intents before its batch leaves, the wave's outcomes after its answer), because each fsync
// sits on an apply's critical path between two requests (issue 11). The file format does not change:
// readers cannot tell a group from lines appended one by one.
//
// A kill can tear the last line (the process died inside write()). A torn group reads back as its whole
// lines plus a torn last one. A torn last line is dropped and reported, never fatal: the line before it
// is complete, and an "intent" without its "done" is settled by re-reading the instance, which is the
// same path a kill between the write and its "done" takes.
import { constants } from 'node:fs';
import { mkdir, open, readFile, readdir, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod/mini';
import '../../shared/zod-english';
import { ServiceNowFailureSchema } from '../../shared/domain/apply';
import { fsyncDirectory } from '../storage/json-file';

/**
 * The last line of a finished journal. Built at load, alone: every apply asks it of each earlier journal of
 * its instance (endsFinished), and the whole entry schema below is only built when a journal is written or
 * read back in full (issue 11: 56 schemas an up-to-date apply never needs).
 */
const FinishedEntrySchema = z.object({
  t: z.literal('finished'),
  status: z.enum(['succeeded', 'failed']),
  at: z.string(),
});

export const JournalEntrySchema = z.lazy(() => {
  const RawFields = z.record(z.string(), z.string());
  return z.discriminatedUnion('t', [
    z.object({
      t: z.literal('start'),
      applyId: z.string(),
      kind: z.enum(['apply', 'rollback']),
      instanceUrl: z.string(),
      startedAt: z.string(),
      plan: z.unknown(),
      /** For a rollback: the apply it undoes. */
      rollbackOf: z.optional(z.string()),
      /**
       * The process that wrote the journal (it holds the instance lock, src/main/storage/instance-lock.ts),
       * so an unfinished journal can say who wrote it. Filled in by `append`; absent in older journals.
       */
      pid: z.optional(z.int()),
      host: z.optional(z.string()),
    }),
    /** Every touched record as read before the first write (null: did not exist). */
    z.object({ t: z.literal('before'), records: z.record(z.string(), z.nullable(RawFields)) }),
    /** About to send a write. Fsynced before the request leaves. */
    z.object({
      t: z.literal('intent'),
      actionId: z.string(),
      attempt: z.int(),
      op: z.string(),
      table: z.string(),
      sysId: z.nullable(z.string()),
      body: RawFields,
      /** Sent in a Batch API request with the other intents of the same id (absent: sent on its own). */
      batch: z.optional(z.string()),
      at: z.string(),
    }),
    /** The write is on the instance (answered, or proved by a re-read). */
    z.object({
      t: z.literal('done'),
      actionId: z.string(),
      sysId: z.nullable(z.string()),
      settled: z.optional(z.string()),
      at: z.string(),
    }),
    /** The write is proved not to be on the instance and will not be retried in this apply. */
    z.object({
      t: z.literal('failed'),
      actionId: z.string(),
      error: ServiceNowFailureSchema,
      at: z.string(),
    }),
    FinishedEntrySchema,
    /** A failed apply taken up again by Resume: it is unfinished until its next "finished" line. */
    z.object({ t: z.literal('reopened'), at: z.string() }),
  ]);
});
export type JournalEntry = z.infer<typeof JournalEntrySchema>;

export interface JournalRead {
  entries: JournalEntry[];
  /** Plain-words notes about lines that could not be used (a torn last line after a crash). */
  problems: string[];
}

export const JOURNAL_DIR = 'journal';
const SUFFIX = '.jsonl';

export function journalPath(dir: string, applyId: string): string {
  return join(dir, JOURNAL_DIR, `${applyId}${SUFFIX}`);
}

export interface JournalWriter {
  readonly file: string;
  /**
   * Appends the entries held back by `hold`, then these, as ONE write and ONE fsync: all of them are on
   * disk when it resolves. Appends are serialized, so groups never interleave.
   */
  append(...entries: JournalEntry[]): Promise<void>;
  /**
   * Validates the entries now and writes them with the next `append` (or at `close`), before its own.
   * Only for entries a kill may lose: those that need not be on disk before anything is sent — the
   * "start" and "before" lines (a journal cut before its first intent has nothing to resume), and a
   * step settled without sending (found done by a re-read, which the next resume repeats; or refused).
   */
  hold(...entries: JournalEntry[]): void;
  close(): Promise<void>;
}

/** Opens (creating if needed) a journal for appending; every append is fsynced before it resolves. */
export async function openJournal(dir: string, applyId: string): Promise<JournalWriter> {
  const folder = join(dir, JOURNAL_DIR);
  await mkdir(folder, { recursive: true });
  const file = journalPath(dir, applyId);
  // O_NOFOLLOW: a journal name planted as a link must not make the apply append to a file elsewhere.
  const flags = constants.O_RDWR | constants.O_CREAT | constants.O_APPEND | (constants.O_NOFOLLOW ?? 0);
  const handle: FileHandle = await open(file, flags, 0o600);
  // The new file's directory entry must survive a power cut too.
  await fsyncDirectory(folder);
  let queue: Promise<void> = Promise.resolve();
  // After a kill the last line may be torn (no newline): end it, or the next entry would be glued onto it
  // and lost with it.
  const { size } = await handle.stat();
  if (size > 0) {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] !== 0x0a) {
      await handle.write('\n');
      await handle.sync();
    }
  }
  /** Lines held back (`hold`) for the next write. */
  let held = '';
  const lines = (entries: JournalEntry[]): string =>
    entries
      .map((entry) => {
        const stamped = entry.t === 'start' ? { pid: process.pid, host: hostname(), ...entry } : entry;
        return `${JSON.stringify(JournalEntrySchema.parse(stamped))}\n`;
      })
      .join('');
  const write = (text: string): Promise<void> => {
    if (text === '') return queue;
    // Appends are serialized so groups never interleave.
    queue = queue.then(async () => {
      const bytes = Buffer.from(text, 'utf8');
      // One write() for the whole group; a short write (a full disk) goes on where it stopped.
      for (let offset = 0; offset < bytes.length;) {
        const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
        offset += bytesWritten;
      }
      await handle.sync();
    });
    return queue;
  };
  return {
    file,
    append(...entries) {
      const text = held + lines(entries);
      held = '';
      return write(text);
    },
    hold(...entries) {
      held += lines(entries);
    },
    async close() {
      // What is held is written, as it would have been had nothing been held: a run that stops before
      // its first intent (a refusal, a blocked plan, an error) leaves the same journal as before.
      if (held) await write(held).catch(() => undefined);
      held = '';
      await queue.catch(() => undefined);
      await handle.close();
    },
  };
}

export async function readJournal(file: string): Promise<JournalRead> {
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n');
  const entries: JournalEntry[] = [];
  const problems: string[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const isLast = index === lines.length - 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      problems.push(
        isLast
          ? 'The last journal line was cut short (the process stopped while writing it); it was ignored.'
          : `Journal line ${index + 1} is not valid JSON; it was ignored.`,
      );
      return;
    }
    const entry = JournalEntrySchema.safeParse(parsed);
    if (entry.success) entries.push(entry.data);
    else problems.push(`Journal line ${index + 1} is not a journal entry; it was ignored.`);
  });
  return { entries, problems };
}

/** Enough for a "finished" line (about 80 bytes) and the newline before it. */
const TAIL_BYTES = 4096;

/**
 * True when the journal's last line is a complete "finished" entry: that apply is over, and only a later
 * "reopened" line could make it unfinished again. Reads the file's tail alone, so looking for an
 * unfinished apply does not parse every journal of an instance's history on each apply (issue 11). Any
 * doubt (a torn or unreadable last line) answers false, and the caller reads the whole journal.
 */
export async function endsFinished(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, size - length);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    // Without a newline before it, the last line may have started before the tail: no verdict.
    if (size > length && lines.length < 2) return false;
    // The entry schema tells the options apart by `t`, so a last line it reads as 'finished' is exactly one
    // this reads.
    return FinishedEntrySchema.safeParse(JSON.parse(lines.at(-1) ?? '')).success;
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

export async function listJournals(dir: string): Promise<string[]> {
  try {
    const names = await readdir(join(dir, JOURNAL_DIR));
    return names.filter((n) => n.endsWith(SUFFIX)).map((n) => join(dir, JOURNAL_DIR, n));
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
}

// --- What a journal says ---

export interface StepState {
  /** Intents written (attempts sent or about to be). */
  intents: Extract<JournalEntry, { t: 'intent' }>[];
  done: Extract<JournalEntry, { t: 'done' }> | null;
  failed: Extract<JournalEntry, { t: 'failed' }> | null;
}

export interface JournalState {
  start: Extract<JournalEntry, { t: 'start' }> | null;
  before: Record<string, Record<string, string> | null> | null;
  steps: Map<string, StepState>;
  finished: Extract<JournalEntry, { t: 'finished' }> | null;
}

export function foldJournal(entries: JournalEntry[]): JournalState {
  const state: JournalState = { start: null, before: null, steps: new Map(), finished: null };
  const step = (id: string): StepState => {
    let s = state.steps.get(id);
    if (!s) {
      s = { intents: [], done: null, failed: null };
      state.steps.set(id, s);
    }
    return s;
  };
  for (const entry of entries) {
    switch (entry.t) {
      case 'start':
        state.start ??= entry;
        break;
      case 'before':
        state.before ??= entry.records;
        break;
      case 'intent':
        step(entry.actionId).intents.push(entry);
        break;
      case 'done':
        step(entry.actionId).done = entry;
        break;
      case 'failed':
        step(entry.actionId).failed = entry;
        break;
      case 'finished':
        state.finished = entry;
        break;
      case 'reopened':
        state.finished = null;
        break;
    }
  }
  return state;
}
