// The UI benchmark module returns well-formed rows (no timing is asserted: speed belongs to `npm run bench`).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registeredBenchmarks } from '../../../src/main/bench/registry';
import type { BenchRow } from '../../../src/main/bench/types';
import {
  benchmarks,
  bundleRows,
  firstRenderRows,
  keystrokeRows,
  repositoryRoot,
} from '../../../src/main/bench/ui';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BUILT = existsSync(join(ROOT, 'out', 'renderer', 'index.html'));

function expectWellFormed(rows: BenchRow[]): void {
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) {
    expect(r.metric).toMatch(/\S/);
    expect(Number.isFinite(r.value)).toBe(true);
    expect(r.value).toBeGreaterThanOrEqual(0);
    expect(r.unit).toMatch(/\S/);
    expect(r.target).toMatch(/\S/);
    expect(typeof r.pass).toBe('boolean');
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-bench-ui-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('UI benchmarks', () => {
  it('are registered with the bench runner under their names', () => {
    expect(benchmarks.map((b) => b.name)).toEqual(['ui-keystroke', 'ui-bundle', 'ui-first-render']);
    const registered = registeredBenchmarks().map((b) => b.name);
    for (const b of benchmarks) expect(registered).toContain(b.name);
  });

  it('finds the repository root from its own folder', () => {
    expect(repositoryRoot(join(ROOT, 'src', 'main', 'bench'))).toBe(ROOT);
  });

  it('keystroke: times every keystroke of the replayed name against a discovered snapshot', async () => {
    const rows = await keystrokeRows({ rounds: 1, warmup: 3 });
    expectWellFormed(rows);
    const median = rows.find((r) => r.metric.includes('instance checks (median)'));
    expect(median).toMatchObject({ unit: 'µs', target: '≤ 1000' });
    expect(median!.pass).toBe(median!.value <= 1000);
    // 'Exchange_Online_Connection_Acme' typed once: one timing per character.
    expect(rows.find((r) => r.metric === 'keystrokes timed')?.value).toBe(31);
  });

  it('bundle: sums the gzipped size of every renderer script and judges it against 80 kB', async () => {
    const assets = join(dir, 'out', 'renderer', 'assets');
    await mkdir(assets, { recursive: true });
    const a = Buffer.from('export const a = 1;\n'.repeat(500));
    const b = Buffer.from(Array.from({ length: 4000 }, (_, i) => `v${i * 7919}`).join(';'));
    await writeFile(join(assets, 'a.js'), a);
    await writeFile(join(assets, 'b.js'), b);
    await writeFile(join(assets, 'style.css'), 'body{}'.repeat(10_000));
    const rows = await bundleRows(dir);
    expectWellFormed(rows);
    const gz = gzipSync(a, { level: 9 }).length + gzipSync(b, { level: 9 }).length;
    expect(rows[0]).toMatchObject({ unit: 'kB', target: '≤ 80', pass: true });
    expect(rows[0]!.value).toBeCloseTo(gz / 1000, 1);
    expect(rows[1]!.value).toBeCloseTo((a.length + b.length) / 1000, 1);
  });

  it('bundle: without a build it says to build first', async () => {
    await expect(bundleRows(dir)).rejects.toThrow(/electron-vite build/);
  });

  it.skipIf(!BUILT)(
    'first render: loads the built app in Chromium through the harness and reports the medians',
    { timeout: 60_000 },
    async () => {
      const rows = await firstRenderRows({ runs: 2, root: ROOT });
      expectWellFormed(rows);
      const heading = rows[0]!;
      expect(heading).toMatchObject({ unit: 'ms', target: '≤ 300' });
      expect(heading.pass).toBe(heading.value <= 300);
      expect(rows.find((r) => r.metric.includes('loads measured'))?.value).toBe(2);
    },
  );
});
