// Run after `npm run dist` (the GitHub workflow does): reads the fuse wire of every unpacked app in dist/
// and fails unless each fuse is what build/after-pack.mjs asked for. Proves the hook ran on the real
// Electron binary, which cannot be downloaded on the project's own machines.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getCurrentFuseWire } from '@electron/fuses';
import { fuseMismatches } from './after-pack.mjs';

const dist = process.argv[2] ?? 'dist';
const apps = readdirSync(dist, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /-unpacked$|^mac/.test(entry.name))
  .flatMap((entry) =>
    ['Spokesmith.app', 'Spokesmith.exe', 'spokesmith']
      .map((name) => join(dist, entry.name, name))
      .filter((path) => existsSync(path)),
  );
if (apps.length === 0) throw new Error(`no unpacked app found in ${dist}`);

let wrong = 0;
for (const app of apps) {
  const mismatches = fuseMismatches(await getCurrentFuseWire(app));
  wrong += mismatches.length;
  for (const line of mismatches) console.log(`FAIL ${app}: ${line}`);
  if (mismatches.length === 0) console.log(`ok   ${app}: every fuse as build/after-pack.mjs sets it`);
}
process.exitCode = wrong ? 1 : 0;
