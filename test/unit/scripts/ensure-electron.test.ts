// `npm start` on a machine that cannot download Electron: one clear paragraph with what to set, no stack.
// The script runs from a copy beside a stand-in `electron` package whose installer fails the way
// Electron's does offline (its installer is the boundary: the real one would need the network).
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, expect, it } from 'vitest';

const SCRIPT = resolve('resources/scripts/ensure-electron.mjs');
let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

it('says why the download failed and which proxy or mirror settings to use, without a stack', async () => {
  dir = await mkdtemp(join(tmpdir(), 'ensure-electron-'));
  const electron = join(dir, 'node_modules', 'electron');
  await mkdir(electron, { recursive: true });
  await writeFile(join(electron, 'package.json'), '{"name":"electron","version":"40.10.2"}');
  await writeFile(
    join(electron, 'install.js'),
    [
      "const error = new TypeError('fetch failed');",
      "error.stack = 'TypeError: fetch failed\\n    at node:internal/deps/undici:13502:13\\n    at async download (install.js:1:1)';",
      'console.error(error.stack);',
      'process.exit(1);',
    ].join('\n'),
  );
  await copyFile(SCRIPT, join(dir, 'ensure-electron.mjs'));

  const run = spawnSync(process.execPath, [join(dir, 'ensure-electron.mjs')], { encoding: 'utf8' });

  expect(run.status).toBe(1);
  expect(run.stderr).toContain('the Electron runtime could not be downloaded (TypeError: fetch failed)');
  expect(run.stderr).toContain('ELECTRON_MIRROR');
  expect(run.stderr).toContain('GLOBAL_AGENT_HTTPS_PROXY');
  expect(run.stderr).toContain('npx spokesmith demo');
  expect(run.stderr).not.toMatch(/^\s+at /m);
});
