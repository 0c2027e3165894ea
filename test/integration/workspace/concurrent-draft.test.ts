// Several REAL processes changing one instance's draft at once, each as an editor does (read, change one
// field, save based on what it read, retry when refused): every change is kept. Before drafts were saved
// under their file's lock with the base checked there, a save made from an older read silently replaced
// the fields another process had added in between.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const CHILD = join(import.meta.dirname, 'fixtures', 'draft-writer-child.ts');
const WRITERS = 4;
const COUNT = 15;

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-draft-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function writer(name: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, WS_DIR: dir, WRITER: name, COUNT: String(COUNT) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('processes saving one draft at once', () => {
  it('keeps every field each process added', { timeout: 120_000 }, async () => {
    const names = Array.from({ length: WRITERS }, (_, n) => `w${n}`);
    const runs = await Promise.all(names.map(writer));
    for (const [n, run] of runs.entries()) expect(run.code, `writer ${n}: ${run.out}`).toBe(0);

    const stored = JSON.parse(await readFile(join(dir, 'instances', 'acme', 'draft.json'), 'utf8')) as {
      data: { main: Record<string, unknown> };
    };
    const expected = names.flatMap((name) => Array.from({ length: COUNT }, (_, n) => `${name}_${n}`));
    expect(Object.keys(stored.data.main).sort()).toEqual(expected.sort());
  });
});
