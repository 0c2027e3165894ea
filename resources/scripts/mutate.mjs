#!/usr/bin/env node
// `npm run mutate [-- <folder>... [--stryker-option value...]]`: Stryker on each named folder (default: all
// four, one after another), incremental, with the folder's own break threshold (stryker.config.mjs).
// Arguments starting with `--` go to Stryker unchanged, e.g. `npm run mutate -- domain --concurrency 1`.
// Exit code is non-zero when any folder scores under its threshold or fails to run.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FOLDERS } from '../../stryker.config.mjs';

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
  const run = spawnSync(process.execPath, [stryker, 'run', 'stryker.config.mjs', ...strykerArgs], {
    stdio: 'inherit',
    env: { ...process.env, MUTATE_FOLDER: folder },
  });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  results.push(`${run.status === 0 ? 'ok  ' : 'FAIL'} ${folder} (${minutes} min)`);
}
console.log(`\n${results.join('\n')}`);
process.exit(results.some((r) => r.startsWith('FAIL')) ? 1 : 0);
