#!/usr/bin/env node
// `npm run mutate [-- <folder>... [--stryker-option value...]]`: Stryker on each named folder (default: all
// four, one after another), incremental, with the folder's own break threshold (stryker.config.mjs).
// Arguments starting with `--` go to Stryker unchanged, e.g. `npm run mutate -- domain --concurrency 1`.
// Exit code is non-zero when any folder scores under its threshold or fails to run.
//
// `--mutate <files>` narrows a run to some of the folder's files (e.g. the one file a change touched). Stryker
// writes only that run's files into the incremental file; the other files' earlier results are put back
// afterwards (keepOtherResults), so a folder can be measured file by file and the next whole-folder run
// re-tests only what changed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FOLDERS } from '../../stryker.config.mjs';
import { folderScore, mergeResults } from './mutation-report.mjs';

/** Puts the results of files the last run did not mutate back into its incremental report. */
function keepOtherResults(file, earlier, writtenBefore) {
  // A run that stopped before its report (a failed dry run, a timeout) left the file as it was.
  if (!earlier || !existsSync(file) || statSync(file).mtimeMs === writtenBefore) return;
  const report = mergeResults(JSON.parse(readFileSync(file, 'utf8')), earlier);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('--'));
const names = firstOption === -1 ? args : args.slice(0, firstOption);
const strykerArgs = firstOption === -1 ? [] : args.slice(firstOption);
const unknown = names.filter((n) => !(n in FOLDERS));
if (unknown.length) {
  console.error(`Unknown folder ${unknown.join(', ')}; choose from: ${Object.keys(FOLDERS).join(', ')}`);
  process.exit(2);
}

// The package exports no bin path, so find it beside its package.json.
const core = createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json');
const stryker = join(dirname(core), 'bin', 'stryker.js');
const results = [];
for (const folder of names.length ? names : Object.keys(FOLDERS)) {
  const started = Date.now();
  console.log(`\n=== mutate ${folder}`);
  const incrementalFile = `reports/mutation/${folder}.incremental.json`;
  const narrowed = strykerArgs.some((a) => a === '--mutate' || a.startsWith('--mutate=') || a === '-m');
  const earlier =
    narrowed && existsSync(incrementalFile) ? JSON.parse(readFileSync(incrementalFile, 'utf8')) : undefined;
  const writtenBefore = earlier ? statSync(incrementalFile).mtimeMs : 0;
  const run = spawnSync(process.execPath, [stryker, 'run', 'stryker.config.mjs', ...strykerArgs], {
    stdio: 'inherit',
    env: { ...process.env, MUTATE_FOLDER: folder },
  });
  if (narrowed) keepOtherResults(incrementalFile, earlier, writtenBefore);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const score = narrowed ? `; folder so far: ${folderScore(incrementalFile)}` : '';
  results.push(`${run.status === 0 ? 'ok  ' : 'FAIL'} ${folder} (${minutes} min${score})`);
}
console.log(`\n${results.join('\n')}`);
process.exit(results.some((r) => r.startsWith('FAIL')) ? 1 : 0);
