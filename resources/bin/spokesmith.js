#!/usr/bin/env node
// The `spokesmith` command: a launcher for the bundled CLI (built by `npm install` / `npm run build`).
import { existsSync, readFileSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
// `spokesmith --version` alone is answered from package.json, the version the CLI itself prints
// (src/main/cli/program.ts), without loading the CLI bundle: start only what the command needs.
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${packageJson.version}\n`);
} else {
  const cli = fileURLToPath(new URL('../../out/main/cli.js', import.meta.url));
  if (!existsSync(cli)) {
    console.error(
      'spokesmith: the CLI is not built yet. Run `npm run build` in the Spokesmith folder first.',
    );
    process.exit(2);
  }
  // A good part of an apply's start-up is V8 compiling the bundle (got, zod, the engine). Node 22.1+ keeps
  // the compiled code on disk between runs (in the OS temp folder; code only, no data); Node 20 has no such
  // switch, and the call is skipped.
  module.enableCompileCache?.();
  const { main } = await import(pathToFileURL(cli).href);
  process.exitCode = await main(args);
}
