// The vitest setup Stryker runs (stryker.config.mjs): only the node "unit" tier (unit + integration tests
// against the simulator), without the Svelte plugin the component tier loads. Which test files run for a
// folder is narrowed further by stryker.config.mjs (`testFiles`).
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Stryker stops a mutant's run at its first failing test (bail), so the order of the covering test files
 * decides how long a killed mutant takes. Vitest's default runs the longest file first (child processes,
 * lock takeovers); this runs the file that failed last first (it likely kills the next mutant of the same
 * code too), then the quickest.
 */
class QuickFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const key = (spec: TestSpecification) =>
      `${spec.project.name}:${relative(this.ctx.config.root, spec.moduleId)}`;
    const rank = (spec: TestSpecification): [number, number] => {
      const result = cache.getFileTestResults(key(spec));
      if (result) return [result.failed ? 0 : 1, result.duration];
      return [1, cache.getFileStats(key(spec))?.size ?? 0];
    };
    return [...files].sort((a, b) => {
      const [failedA, costA] = rank(a);
      const [failedB, costB] = rank(b);
      return failedA - failedB || costA - costB;
    });
  }
}

export default defineConfig({
  test: {
    name: 'mutation',
    environment: 'node',
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    // Tests that start child processes run the sandbox's code outside Stryker's reach (no mutant is
    // active there), so they only cost time.
    // Property tests run 50–100 cases per test, for every mutant they cover: they stay in `npm test`.
    // Scale tests (130,000 instances; 20 processes of the built CLI, which is not in Stryker's sandbox)
    // take 10–30 s each and state no rule that a quicker test does not state for the same code.
    exclude: [
      'test/integration/engine/kill.test.ts',
      'test/integration/engine/kill-registries.test.ts',
      'test/integration/fleet/kill-resume.test.ts',
      // The CLI tests that run the built command (out/cli, resources/bin), its bundle, child processes or a
      // benchmark; the others run main() in process (test/integration/cli/harness.ts) and state the
      // operations' rules.
      'test/integration/cli/bin.test.ts',
      'test/integration/cli/bench.test.ts',
      'test/integration/cli/bundle-ascii.test.ts',
      'test/integration/cli/cli-start-bench.test.ts',
      'test/integration/cli/code-cache.test.ts',
      'test/integration/cli/cookie-ipv6-pattern.test.ts',
      'test/integration/cli/demo-sim.test.ts',
      'test/integration/cli/lazy-load.test.ts',
      'test/integration/workspace/concurrent-add.test.ts',
      'test/integration/workspace/large-workspace.test.ts',
      '**/*.property.test.ts',
    ],
    // Stryker runs at nice 19 on a shared 2-core machine: under a load of 16 the lock takeover test (child
    // processes, a 2 s stale lock) took over 30 s in the dry run, which then refused to start.
    sequence: { sequencer: QuickFirstSequencer },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
