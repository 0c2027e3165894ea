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
}
