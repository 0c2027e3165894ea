// Helpers for Stryker's incremental reports (reports/mutation/<folder>.incremental.json), shared by
// mutate.mjs and mutation-salvage.mjs.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Adds to `report` the results it lacks from `earlier` (another run's report): whole files, and the
 * mutants of a file whose source is unchanged that `report` did not test. Returns `report`. Test ids are per run, so the earlier results' killedBy/coveredBy are mapped through each test's file
 * and name to `report`'s ids; a test `report` does not know is added under a fresh id, with its file's
 * earlier source so Stryker can diff it.
 */
export function mergeResults(report, earlier) {
  report.testFiles ??= {};
  const idOf = new Map();
  const ids = new Set();
  for (const [testFile, { tests }] of Object.entries(report.testFiles)) {
    for (const t of tests) {
      idOf.set(`${testFile}\0${t.name}`, t.id);
      ids.add(t.id);
    }
  }
  let next = 0;
  const freshId = () => {
    while (ids.has(`kept-${next}`)) next += 1;
    ids.add(`kept-${next}`);
    return `kept-${next}`;
  };
  const earlierTests = new Map();
  for (const [testFile, entry] of Object.entries(earlier.testFiles ?? {})) {
    for (const t of entry.tests) earlierTests.set(t.id, { testFile, entry, test: t });
  }
  const mapId = (id) => {
    const found = earlierTests.get(id);
    if (!found) return undefined;
    const key = `${found.testFile}\0${found.test.name}`;
    if (!idOf.has(key)) {
      const newId = freshId();
      idOf.set(key, newId);
      report.testFiles[found.testFile] ??= { ...found.entry, tests: [] };
      report.testFiles[found.testFile].tests.push({ ...found.test, id: newId });
    }
    return idOf.get(key);
  };
  const mapIds = (list) => list?.map(mapId).filter((id) => id !== undefined);
  // Mutant ids are per run too: an earlier one is renamed so it cannot clash with this run's.
  const remap = (m) => ({
    ...m,
    id: String(m.id).startsWith('kept-') ? m.id : `kept-${m.id}`,
    ...(m.killedBy ? { killedBy: mapIds(m.killedBy) } : {}),
    ...(m.coveredBy ? { coveredBy: mapIds(m.coveredBy) } : {}),
  });
  const mutantKey = (m) =>
    `${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column} ${m.mutatorName} ${m.replacement}`;
  for (const [sourceFile, result] of Object.entries(earlier.files ?? {})) {
    const current = report.files[sourceFile];
    if (!current) {
      report.files[sourceFile] = { ...result, mutants: result.mutants.map(remap) };
    } else if (current.source === result.source) {
      // A run narrowed to some lines (`--mutate file.ts:10-12`) reports only their mutants: keep the rest.
      const tested = new Set(current.mutants.map(mutantKey));
      current.mutants.push(...result.mutants.filter((m) => !tested.has(mutantKey(m))).map(remap));
    }
  }
  return report;
}

// Stryker's own scoring (its dependency), so a folder's score is computed as Stryker computes a run's.
const core = createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json');
const { calculateMutationTestMetrics } = await import(
  createRequire(core).resolve('mutation-testing-metrics')
);

/** The score over every file an incremental file holds (the whole folder after a full run). */
export function folderScore(file) {
  if (!existsSync(file)) return 'no results yet';
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const { metrics } = calculateMutationTestMetrics(report).systemUnderTestMetrics;
  const files = Object.keys(report.files).length;
  return `${metrics.mutationScore.toFixed(2)} % of ${metrics.totalValid} mutants in ${files} files`;
}
