/// <reference types="vite/types/importMeta.d.ts" />
// Every benchmark module in this folder, found at build time (vite's import.meta.glob), so adding a
// target is adding a file that exports `benchmark` or `benchmarks`: nobody edits a shared list.
import type { Benchmark } from './types';

type BenchModule = { benchmark?: Benchmark; benchmarks?: Benchmark[] };

const modules = import.meta.glob<BenchModule>(
  ['./*.ts', '!./index.ts', '!./registry.ts', '!./harness.ts', '!./types.ts', '!./*.d.ts', '!./*-child.ts'],
  { eager: true },
);

export function registeredBenchmarks(): Benchmark[] {
  return Object.keys(modules)
    .sort()
    .flatMap((path) => {
      const mod = modules[path];
      if (!mod) return [];
      return [...(mod.benchmark ? [mod.benchmark] : []), ...(mod.benchmarks ?? [])];
    });
}
