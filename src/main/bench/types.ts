// What every benchmark module provides. A module in src/main/bench/ registers itself by exporting
// `benchmark` (one) or `benchmarks` (several); see registry.ts.
export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  /** The goal in words, e.g. "≤ 4" or "< 1500". */
  target: string;
  pass: boolean;
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchRow[]>;
}

export interface BenchResult {
  name: string;
  rows: BenchRow[];
  /** Set when the benchmark itself crashed; its rows are then empty. */
  error?: string;
  durationMs: number;
  /** os.loadavg() (1, 5, 15 minutes) when the benchmark finished. */
  loadAverage?: number[];
}

export const row = (
  metric: string,
  value: number,
  unit: string,
  target: string,
  pass: boolean,
): BenchRow => ({ metric, value, unit, target, pass });
