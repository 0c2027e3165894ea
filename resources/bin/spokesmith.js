#!/usr/bin/env node
// The `spokesmith` command: a launcher for the bundled CLI (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('spokesmith: the CLI is not built yet. Run `npm run build` in the Spokesmith folder first.');
  process.exit(2);
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
