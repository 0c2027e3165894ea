#!/usr/bin/env node
// The `spokesmith` command: a launcher for the bundled CLI (built by `npm install` / `npm run build`).
// CommonJS (resources/bin/package.json), like the bundle it loads: an ES-module entry would start Node's
// ES-module loader first, about a tenth of a bare `node -e 0` on every command (issue 11).
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const args = process.argv.slice(2);
// `spokesmith --version` alone is answered from package.json, the version the CLI itself prints
// (src/main/cli/program.ts), without loading the CLI bundle: start only what the command needs.
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const packageJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  process.stdout.write(`${packageJson.version}\n`);
} else {
  const cli = join(__dirname, '..', '..', 'out', 'cli', 'spokesmith.cjs');
  if (!existsSync(cli)) {
    console.error(
      'spokesmith: the CLI is not built yet. Run `npm run build` in the Spokesmith folder first.',
    );
    process.exit(2);
  }
  const { codeCacheDir, requireWithCodeCache } = require('./code-cache.js');
  const { main } = requireWithCodeCache(cli, codeCacheDir());
  main(args).then((code) => {
    process.exitCode = code;
  });
  // Once nothing is left to do (every write flushed, every handle closed), end the process here rather
  // than let Node's natural exit free the heap object by object first: 5 ms of a fresh apply's ~20 ms
  // after its last answer (issue 11). 'beforeExit' fires only on an empty event loop, so nothing pending
  // is cut short, and process.exit() still runs the 'exit' handlers (the code cache is written there).
  process.once('beforeExit', () => process.exit());
}
