// Edges of the apply journal (src/main/engine/journal.ts, docs/reliability.md §5) that decide whether a
// killed apply is found again: a planted link in place of a journal, lines a person's editor left, a torn
// last line whose tail looks like a "finished" entry, files beside the journals, and a "failed" step line.
// Real files in a temp folder; no simulator is needed, nothing here is sent to an instance.
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApplyStore, journalPath, readJournal, type JournalEntry } from '../../../src/main/engine';
import { openJournal } from '../../../src/main/engine/journal';
import { AT, leaveJournal, START_A1 } from './harness';

const start = START_A1;
const finished: JournalEntry = { t: 'finished', status: 'succeeded', at: AT };
const line = (entry: JournalEntry) => `${JSON.stringify(entry)}\n`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-journal-edges-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('opening a journal', () => {
  it('refuses a journal name planted as a link, and writes nothing through it', async () => {
    const elsewhere = join(dir, 'elsewhere.txt');
    await writeFile(elsewhere, 'not a journal\n');
    await mkdir(join(dir, 'journal'));
    await symlink(elsewhere, journalPath(dir, 'a1'));

    await expect(openJournal(dir, 'a1')).rejects.toMatchObject({ code: 'ELOOP' });
    expect(await readFile(elsewhere, 'utf8')).toBe('not a journal\n');
  });
});

describe('reading a journal', () => {
  it('skips the blank lines an editor leaves (CRLF) without reporting them as damage', async () => {
    // A journal opened and saved in a Windows editor: every line ends in \r\n, and a blank line is "\r".
    const file = await leaveJournal(
      dir,
      'a1',
      [],
      `${JSON.stringify(start)}\r\n\r\n${JSON.stringify(finished)}\r\n`,
    );
    const read = await readJournal(file);
    expect(read.problems).toEqual([]);
    expect(read.entries.map((e) => e.t)).toEqual(['start', 'finished']);
  });
});

describe('finding the unfinished apply', () => {
  it('is not fooled by a torn last line whose tail is a complete "finished" object', async () => {
    // The "before" line copies records from the instance (untrusted input): a record whose fields are
    // t/status/at is JSON shaped like a finished entry. Killed right after that record was written, the
    // journal's last 4096 bytes (the tail the quick check reads) are exactly that record.
    const lookalike = { t: 'finished', status: 'succeeded', at: AT, notes: '' };
    lookalike.notes = 'x'.repeat(4096 - JSON.stringify(lookalike).length);
    const inner = JSON.stringify(lookalike);
    expect(Buffer.byteLength(inner)).toBe(4096);
    await leaveJournal(dir, 'a1', [start], `{"t":"before","records":{"sys_user/u1":${inner}`);

    const pending = await createApplyStore(dir).unfinished();
    expect(pending?.applyId).toBe('a1');
    expect(pending?.state.finished).toBeNull();
    expect(pending?.problems).toEqual([
      'The last journal line was cut short (the process stopped while writing it); it was ignored.',
    ]);
  });

  it('reads only the .jsonl files of the journal folder as journals', async () => {
    await leaveJournal(dir, 'a1', [start, finished]);
    // A copy someone kept of a journal that never finished is not an apply to resume.
    await writeFile(
      join(dir, 'journal', 'a0.jsonl.bak'),
      line({ ...start, applyId: 'a0', startedAt: '2026-03-02T00:00:00.000Z' }),
    );

    expect(await createApplyStore(dir).unfinished()).toBeNull();
  });

  it('reports a journal folder it cannot read instead of saying nothing is unfinished', async () => {
    // `journal` is a file here: the folder of journals cannot be listed (ENOTDIR), which must not read as
    // "no apply was left unfinished" — that would let a new apply start over a killed one.
    await writeFile(join(dir, 'journal'), 'not a folder\n');

    await expect(createApplyStore(dir).unfinished()).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('a step that failed does not finish the apply: killed before its "finished" line, it is unfinished', async () => {
    await leaveJournal(dir, 'a1', [
      start,
      {
        t: 'intent',
        actionId: 'credential',
        attempt: 1,
        op: 'create',
        table: 'oauth_entity',
        sysId: null,
        body: { name: 'Exchange' },
        at: AT,
      },
      {
        t: 'failed',
        actionId: 'credential',
        error: { code: 'forbidden', status: 403, message: 'Forbidden', ambiguous: false },
        at: AT,
      },
    ]);

    const pending = await createApplyStore(dir).unfinished();
    expect(pending?.applyId).toBe('a1');
    expect(pending?.state.finished).toBeNull();
  });
});
