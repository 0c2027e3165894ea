// Runs benchmarks one after another (they measure wall time: running them side by side would skew
// each other), prints a table and the JSON document, and writes bench-results.json. The machine's load
// average is kept beside every benchmark's figures, so a run on a busy machine shows as one.
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { writeJsonAtomic } from '../storage/json-file';
import type { BenchResult, Benchmark } from './types';

export interface BenchDocument {
  generatedAt: string;
  node: string;
  platform: string;
  /** Cores the figures were measured on, beside the load average. */
  cpus: number;
  /** os.loadavg() (1, 5, 15 minutes) before the first and after the last benchmark. */
  loadAverage: { start: number[]; end: number[] };
  benchmarks: BenchResult[];
  pass: boolean;
}

export async function runBenchmarks(
  benchmarks: Benchmark[],
  onStart: (name: string) => void = () => {},
): Promise<BenchDocument> {
  const results: BenchResult[] = [];
  const start = load();
  for (const bench of benchmarks) {
    onStart(bench.name);
    const started = performance.now();
    try {
      const rows = await bench.run();
      results.push({
        name: bench.name,
        rows,
        durationMs: Math.round(performance.now() - started),
        loadAverage: load(),
      });
    } catch (error) {
      results.push({
        name: bench.name,
        rows: [],
        error: error instanceof Error ? error.message : String(error),
        durationMs: Math.round(performance.now() - started),
        loadAverage: load(),
      });
    }
  }
  return {
    generatedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: availableParallelism(),
    loadAverage: { start, end: load() },
    benchmarks: results,
    pass: results.every((r) => !r.error && r.rows.every((row) => row.pass)),
  };
}

const load = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);
const formatLoad = (l: readonly number[] | undefined) => (l ? l.map((n) => n.toFixed(2)).join(' ') : '');

export function renderBenchTable(doc: BenchDocument): string[] {
  const header = ['benchmark', 'metric', 'value', 'unit', 'target', 'pass', 'load 1/5/15 min'];
  const rows: string[][] = [];
  for (const result of doc.benchmarks) {
    const at = formatLoad(result.loadAverage);
    if (result.error) rows.push([result.name, '(crashed)', '', '', '', `FAIL: ${result.error}`, at]);
    for (const r of result.rows) {
      rows.push([
        result.name,
        r.metric,
        formatValue(r.value, r.unit),
        r.unit,
        r.target,
        r.pass ? 'yes' : 'NO',
        at,
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    `load average (1/5/15 min) on ${doc.cpus} cores: ${formatLoad(doc.loadAverage.start)} before, ` +
      `${formatLoad(doc.loadAverage.end)} after`,
  ];
}

/** Ratios with two decimals (1.25 and 1.34 either side of a 1.3 target), other figures with one. */
const formatValue = (value: number, unit: string) =>
  unit === '×' ? value.toFixed(2) : Number.isInteger(value) ? String(value) : value.toFixed(1);

export async function writeBenchDocument(doc: BenchDocument, cwd: string): Promise<string> {
  const file = join(cwd, 'bench-results.json');
  await writeJsonAtomic(file, doc);
  return file;
}
