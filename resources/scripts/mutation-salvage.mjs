#!/usr/bin/env node
// `node resources/scripts/mutation-salvage.mjs <folder>`: keeps the work of a Stryker run that was cut short
// (a timeout, the end of a session). Stryker writes its incremental file only when a run ends; the
// event-recorder (stryker.config.mjs) has meanwhile written each mutant's result. This turns those results
// into the folder's incremental file, beside the results it already held for other files, so the next run
// re-tests only the mutants that were never tested. Run it while the sandbox is still there (test files
// are read from it) and before the mutated sources change: a result is stored with the contents it was
// measured on, as Stryker itself does.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { folderScore, mergeResults } from './mutation-report.mjs';

const folder = process.argv[2];
const events = `reports/mutation/events-${folder}`;
const incrementalFile = `reports/mutation/${folder}.incremental.json`;
if (!folder || !existsSync(events)) {
  console.error(`No events for "${folder}" (expected ${events}/).`);
  process.exit(2);
}
const read = (name) => JSON.parse(readFileSync(join(events, name), 'utf8'));
const names = readdirSync(events).sort();
const dryRun = names.find((n) => n.endsWith('-onDryRunCompleted.json'));
const plan = names.find((n) => n.endsWith('-onMutationTestingPlanReady.json'));
if (!dryRun || !plan) {
  console.error('The run stopped before its dry run ended: nothing to keep.');
  process.exit(1);
}

const project = (file) => relative(process.cwd(), file).split('\\').join('/');
// While the run goes, its sandbox holds the test files exactly as they ran (sources there are instrumented,
// so those are read from the project, which the run was started on).
const sandboxes = existsSync('.stryker-tmp')
  ? readdirSync('.stryker-tmp').filter((d) => d.startsWith('sandbox-'))
  : [];
// Stryker starts each TypeScript file of the sandbox with a `// @ts-nocheck` line (disableTypeChecks).
const testSource = (file) =>
  sandboxes.length === 1 && existsSync(join('.stryker-tmp', sandboxes[0], file))
    ? readFileSync(join('.stryker-tmp', sandboxes[0], file), 'utf8').replace(/^\/\/ @ts-nocheck\n/, '')
    : readFileSync(file, 'utf8');
const testFiles = {};
for (const test of read(dryRun).result.tests) {
  const file = project(test.fileName);
  testFiles[file] ??= { source: testSource(file), tests: [] };
  testFiles[file].tests.push({ id: test.id, name: test.name });
}

// Results of this run: the mutants it tested, and those it settled without a test (static ones skipped by
// ignoreStatic). Results it reused from the earlier file are left out: the plan reports them at the
// earlier run's positions, which no longer match a changed source.
const results = [
  ...read(plan)
    .mutantPlans.filter(
      (p) => p.plan === 'EarlyResult' && p.mutant.status !== 'Killed' && p.mutant.status !== 'Survived',
    )
    .filter((p) => p.mutant.status === 'Ignored' || p.mutant.status === 'NoCoverage')
    .map((p) => p.mutant),
  ...names.filter((n) => n.endsWith('-onMutantTested.json')).map(read),
];
const files = {};
for (const m of results) {
  const file = project(m.fileName);
  files[file] ??= { language: 'typescript', source: readFileSync(file, 'utf8'), mutants: [] };
  const { fileName: _fileName, ...mutant } = m;
  files[file].mutants.push(mutant);
}

const report = { schemaVersion: '2', thresholds: { high: 90, low: 85 }, files, testFiles };
const earlier = existsSync(incrementalFile) ? JSON.parse(readFileSync(incrementalFile, 'utf8')) : undefined;
writeFileSync(
  incrementalFile,
  `${JSON.stringify(earlier ? mergeResults(report, earlier) : report, null, 2)}\n`,
);
console.log(
  `Kept ${results.length} results in ${incrementalFile}; folder so far: ${folderScore(incrementalFile)}`,
);
