import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderBenchTable, runBenchmarks, writeBenchDocument } from '../../../src/main/bench/harness';
import { countRoundTrips, median } from '../../../src/main/bench/request-log';
import { row } from '../../../src/main/bench/types';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-bench-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('benchmark harness', () => {
  it('runs every benchmark, keeps a crash as an error, and fails the document on a missed target', async () => {
    const doc = await runBenchmarks([
      { name: 'good', run: async () => [row('a', 1, 'requests', '≤ 4', true)] },
      {
        name: 'crashes',
        run: async () => {
          throw new Error('boom');
        },
      },
      { name: 'misses', run: async () => [row('b', 9, 'requests', '≤ 4', false)] },
    ]);
    expect(doc.benchmarks.map((b) => [b.name, b.rows.length, b.error ?? null])).toEqual([
      ['good', 1, null],
      ['crashes', 0, 'boom'],
      ['misses', 1, null],
    ]);
    expect(doc.pass).toBe(false);
    const table = renderBenchTable(doc).join('\n');
    expect(table).toContain('FAIL: boom');
    expect(table).toMatch(/misses\s+b\s+9\s+requests\s+≤ 4\s+NO/);
    // The load average sits beside the figures, per benchmark and for the run.
    expect(doc.benchmarks.every((b) => b.loadAverage?.length === 3)).toBe(true);
    expect(doc.loadAverage.start).toHaveLength(3);
    expect(table).toMatch(/load 1\/5\/15 min/);
    expect(table).toMatch(/load average \(1\/5\/15 min\) on \d+ cores: [\d.]+ [\d.]+ [\d.]+ before/);
  });

  it('passes when every row passes', async () => {
    const doc = await runBenchmarks([{ name: 'ok', run: async () => [row('a', 1, 'ms', '< 2', true)] }]);
    expect(doc.pass).toBe(true);
  });

  it('writes bench-results.json with a benchmarks array', async () => {
    const doc = await runBenchmarks([{ name: 'ok', run: async () => [row('a', 1.5, 'ms', '< 2', true)] }]);
    const file = await writeBenchDocument(doc, dir);
    expect(file).toBe(join(dir, 'bench-results.json'));
    const back = JSON.parse(await readFile(file, 'utf8')) as { benchmarks: Array<{ rows: unknown[] }> };
    expect(back.benchmarks[0]!.rows).toEqual([
      { metric: 'a', value: 1.5, unit: 'ms', target: '< 2', pass: true },
    ]);
  });

  it('counts table writes apart from reads and batches', () => {
    const trips = countRoundTrips([
      { method: 'GET', path: '/api/now/table/sys_alias' },
      { method: 'POST', path: '/api/now/v1/batch', batchItems: 5 },
      { method: 'POST', path: '/api/now/table/http_connection' },
      { method: 'PATCH', path: '/api/now/table/http_connection/abc' },
    ]);
    expect(trips).toEqual({ total: 4, reads: 2, writes: 2, batches: 1, written: 2 });
    // A batch that carries writes is a write request, and each of its write items a record written.
    const batched = countRoundTrips([
      { method: 'POST', path: '/api/now/v1/batch', items: [{ method: 'GET' }, { method: 'GET' }] },
      { method: 'POST', path: '/api/now/v1/batch', items: [{ method: 'POST' }, { method: 'POST' }] },
      { method: 'POST', path: '/api/now/v1/batch', items: [{ method: 'PATCH' }, { method: 'GET' }] },
    ]);
    expect(batched).toEqual({ total: 3, reads: 1, writes: 2, batches: 3, written: 3 });
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
