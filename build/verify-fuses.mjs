// Run after `npm run dist` (the GitHub workflow does): reads the fuse wire of every unpacked app in dist/
// and fails unless each fuse is what build/after-pack.mjs asked for. Proves the hook ran on the real
// Electron binary, which cannot be downloaded on the project's own machines.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { FUSES } from './after-pack.mjs';

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
  const wire = await getCurrentFuseWire(app);
  for (const [name, wanted] of Object.entries(FUSES)) {
    const actual = wire[FuseV1Options[name]];
    const ok = actual === (wanted ? FuseState.ENABLE : FuseState.DISABLE);
    if (!ok) wrong++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${app}: ${name} = ${actual === FuseState.ENABLE ? 'on' : 'off'}`);
  }
}
process.exitCode = wrong ? 1 : 0;
