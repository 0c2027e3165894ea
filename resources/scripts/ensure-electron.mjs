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

/** The installer's error in one line: its first line that is not a stack frame (the stack helps no one here). */
function firstErrorLine(stderr) {
  const lines = stderr.split('\n').map((l) => l.trim());
  return lines.find((l) => l && !l.startsWith('at ')) ?? 'no reason given';
}

if (!existsSync(join(electronDir, 'path.txt'))) {
  console.log('Spokesmith: downloading the Electron runtime (once)…');
  // stdout (its progress) goes straight through; stderr is kept to report the reason in one line.
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: ['inherit', 'inherit', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    console.error(
      `\nSpokesmith: the Electron runtime could not be downloaded (${firstErrorLine(r.stderr ?? '')}),\n` +
        'so the desktop app cannot start here.\n' +
        'Behind a proxy, set ELECTRON_GET_USE_PROXY=1 and GLOBAL_AGENT_HTTPS_PROXY (e.g.\n' +
        'http://proxy.example.com:8080); to download from a mirror instead of GitHub, set ELECTRON_MIRROR\n' +
        '(e.g. https://npmmirror.com/mirrors/electron/). Then run `npm start` again.\n' +
        'Everything else works without it: `npx spokesmith demo` runs the whole job against the embedded\n' +
        'demo instance in the terminal, and `npm test` runs every test.',
    );
    process.exit(1);
  }
}
