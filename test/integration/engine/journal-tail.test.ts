// endsFinished (src/main/engine/journal.ts): the shortcut that lets the search for an unfinished apply skip
// the journals that end with "finished". It must say yes only when the last complete line is a finished
// entry, and leave every doubtful case to the full read.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

  it('is false for a missing file (the full read reports it)', async () => {
    await expect(endsFinished(join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
