// Mutation testing, one folder at a time (`npm run mutate -- <folder>`; resources/scripts/mutate.mjs picks
// the folder through MUTATE_FOLDER). Each folder mutates its own sources and runs only the tests that state
// its promises, so a run stays within reach of a 2-core machine.
//
// Incremental: each folder keeps its own results in reports/mutation/<folder>.incremental.json, which is
// committed. Stryker re-tests only the mutants whose source or covering tests changed since that file was
// written, so a checkout's first run is as quick as a re-run (a full domain run takes tens of minutes on 2
// busy cores). The file is a cache: after a merge conflict in it, take either side and run again.

/** @type {Record<string, { mutate: string[]; testFiles: string[] }>} */
export const FOLDERS = {
  domain: {
    mutate: ['src/shared/domain/**/*.ts'],
    testFiles: [
      'test/unit/domain/**/*.test.ts',
      'test/unit/engine/**/*.test.ts',
      'test/unit/fleet/compare-drift.test.ts',
    ],
  },
  engine: {
    mutate: ['src/main/engine/**/*.ts'],
    // The Entra tests are the only ones that apply, discover and roll back the OAuth registries: without
    // them the registry half of run.ts and discover.ts is reached by no test of the tier.
    testFiles: [
      'test/unit/engine/**/*.test.ts',
      'test/integration/engine/**/*.test.ts',
      'test/integration/entra/**/*.test.ts',
    ],
  },
  servicenow: {
    mutate: ['src/main/servicenow/**/*.ts'],
    testFiles: ['test/unit/client/**/*.test.ts', 'test/integration/client/**/*.test.ts'],
  },
  // The one core every front end calls (apply, resume, rollback, drift, instances, tokens), through the
  // front ends that state its rules: the CLI's commands run in process (its tests of the built command and
  // of child processes are left out in vitest.mutation.config.ts), the app's services and the fleet.
  operations: {
    mutate: ['src/main/operations/**/*.ts'],
    testFiles: [
      'test/unit/operations/**/*.test.ts',
      'test/integration/operations/**/*.test.ts',
      'test/integration/cli/**/*.test.ts',
      'test/unit/app/**/*.test.ts',
      'test/unit/fleet/**/*.test.ts',
      'test/integration/fleet/**/*.test.ts',
      'test/integration/entra/**/*.test.ts',
    ],
  },
  storage: {
    mutate: ['src/main/workspace/**/*.ts', 'src/main/storage/**/*.ts'],
    testFiles: [
      'test/unit/workspace/**/*.test.ts',
      'test/unit/storage/**/*.test.ts',
      'test/integration/workspace/**/*.test.ts',
      'test/unit/app/transfer-workspace.test.ts',
    ],
  },
};

const folder = process.env.MUTATE_FOLDER ?? 'domain';
const target = FOLDERS[folder];
if (!target) throw new Error(`Unknown MUTATE_FOLDER "${folder}"; one of: ${Object.keys(FOLDERS).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: target.mutate,
  testFiles: target.testFiles,
  coverageAnalysis: 'perTest',
  // A static mutant (one in a module-level constant such as a zod schema) needs a fresh test environment
  // and every test for each run: on 2 cores that doubles a run's time for few mutants. Skipped; the
  // schemas' rules are covered by the tests that state them (test/unit/domain/desired-state-rules.test.ts).
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `reports/mutation/${folder}.incremental.json`,
  thresholds: { high: 90, low: 85, break: 85 },
  // event-recorder writes each mutant's result as soon as it is known (reports/mutation/events-<folder>/),
  // so survivors can be read while a long run is still going, and a run cut short still shows its work.
  reporters: ['clear-text', 'progress', 'html', 'json', 'event-recorder'],
  eventReporter: { baseDir: `reports/mutation/events-${folder}` },
  htmlReporter: { fileName: `reports/mutation/${folder}.html` },
  jsonReporter: { fileName: `reports/mutation/${folder}.json` },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['out', 'test-results', 'playwright-report', 'reports', 'coverage', 'test/e2e'],
  // A busy shared machine makes tests slower than in the dry run; do not mistake that for an endless loop.
  timeoutFactor: 3,
  timeoutMS: 30_000,
  // The dry run (every test of the folder once, at nice 19) took over Stryker's default 5 minutes under a
  // load of 19 on the shared 2-core machine.
  dryRunTimeoutMinutes: 30,
};
