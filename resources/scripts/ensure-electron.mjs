#!/usr/bin/env node
// `npm start` needs Electron's binary. package.json keeps Electron's install script off (`allowScripts`),
// so `npm install` also works on machines that cannot download it (build servers, CI). Here, just before
// the app starts, the binary is fetched once if it is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));

if (!existsSync(join(electronDir, 'path.txt'))) {
  console.log('Spokesmith: downloading the Electron runtime (once)…');
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(
      '\nSpokesmith: the Electron runtime could not be downloaded, so the desktop app cannot start here.\n' +
        'Everything else works without it: `npx spokesmith demo` runs the whole job against the embedded\n' +
        'demo instance in the terminal, and `npm test` runs every test.',
    );
    process.exit(1);
  }
}
