#!/usr/bin/env node
// The `spokesmith` command: a launcher for the bundled CLI (built by `npm install` / `npm run build`).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { codeCacheDir, requireWithCodeCache } from './code-cache.js';

const args = process.argv.slice(2);
// `spokesmith --version` alone is answered from package.json, the version the CLI itself prints
// (src/main/cli/program.ts), without loading the CLI bundle: start only what the command needs.
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${packageJson.version}\n`);
} else {
  const cli = fileURLToPath(new URL('../../out/cli/spokesmith.cjs', import.meta.url));
  if (!existsSync(cli)) {
    console.error(
      'spokesmith: the CLI is not built yet. Run `npm run build` in the Spokesmith folder first.',
    );
    process.exit(2);
  }
  const { main } = requireWithCodeCache(cli, codeCacheDir());
  process.exitCode = await main(args);
}
