// endsFinished (src/main/engine/journal.ts): the shortcut that lets the search for an unfinished apply skip
// the journals that end with "finished". It must say yes only when the last complete line is a finished
// entry, and leave every doubtful case to the full read.
import { mkdtemp, open, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { endsFinished } from '../../../src/main/engine/journal';

const line = (entry: object) => `${JSON.stringify(entry)}\n`;
const start = line({
  t: 'start',
  applyId: 'a1',
  kind: 'apply',
  instanceUrl: 'https://acme.service-now.com',
  startedAt: '2026-12-06T10:00:00.000Z',
  plan: {},
});
const finished = line({ t: 'finished', status: 'succeeded', at: '2026-12-06T10:00:01.000Z' });
const reopened = line({ t: 'reopened', at: '2026-12-06T10:00:02.000Z' });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-journal-tail-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

async function journal(text: string): Promise<string> {
  const file = join(dir, 'a1.jsonl');
  await writeFile(file, text);
  return file;
}

describe('endsFinished', () => {
  it('is true when the last line is a finished entry', async () => {
    expect(await endsFinished(await journal(start + finished))).toBe(true);
  });

  it('is false when a reopened line follows the finished one', async () => {
    expect(await endsFinished(await journal(start + finished + reopened))).toBe(false);
  });

  it('is false for a journal that never finished, or whose last line was torn', async () => {
    expect(await endsFinished(await journal(start))).toBe(false);
    expect(await endsFinished(await journal(start + finished + reopened.slice(0, 12)))).toBe(false);
    expect(await endsFinished(await journal(''))).toBe(false);
  });

  it('reads only the tail, yet finds the finished line after a long plan', async () => {
    const longStart = line({ t: 'start', applyId: 'a1', plan: { notes: 'x'.repeat(20_000) } });
    expect(await endsFinished(await journal(longStart + finished))).toBe(true);
    // A last line longer than the tail: no verdict from a fragment.
    expect(await endsFinished(await journal(longStart))).toBe(false);
  });

  it('gives a verdict on a journal that fits in the tail, down to one finished line', async () => {
    // The whole file was read, so its first line is known to start at the file's start: no doubt.
    expect(await endsFinished(await journal(finished))).toBe(true);
  });

  it('skips the blank lines an editor leaves at the end (CRLF)', async () => {
    const crlf = (text: string) => text.replace('\n', '\r\n');
    expect(await endsFinished(await journal(`${crlf(start)}${crlf(finished)}\r\n \n`))).toBe(true);
  });

  it('reads no more than the tail of a long journal', async () => {
    // The point of the shortcut (issue 11): an instance's history of journals is not read in full on
    // each apply. The real FileHandle's read is spied on and called through.
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const read = vi.spyOn(proto, 'read');
    const longStart = line({ t: 'start', applyId: 'a1', plan: { notes: 'x'.repeat(20_000) } });
    expect(await endsFinished(await journal(longStart + finished))).toBe(true);
    const results = await Promise.all(
      read.mock.results.map((r) => r.value as ReturnType<FileHandle['read']>),
    );
    expect(results.reduce((sum, r) => sum + r.bytesRead, 0)).toBe(4096);
  });

  it('is false for a missing file (the full read reports it)', async () => {
    await expect(endsFinished(join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
