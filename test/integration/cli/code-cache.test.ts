// The CLI's V8 code cache (resources/bin/code-cache.js) as the command uses it: made by the first run,
// taken as it is by the next, never trusted for a changed chunk, and never a reason for a command to fail.
// The command runs from a copy of the launcher and the built bundle, so a test can edit the copy.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeCacheDir } from '../../../resources/bin/code-cache.js';

const repository = fileURLToPath(new URL('../../../', import.meta.url));

let dir: string;
let cacheDir: string;
let bin: string;

beforeEach(async () => {
  expect(existsSync(join(repository, 'out/cli/spokesmith.cjs')), 'run `npx electron-vite build` first').toBe(
    true,
  );
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-code-cache-'));
  await cp(join(repository, 'resources/bin'), join(dir, 'resources/bin'), { recursive: true });
  await cp(join(repository, 'out/cli'), join(dir, 'out/cli'), { recursive: true });
  bin = join(dir, 'resources/bin/spokesmith.js');
  cacheDir = join(dir, 'cache');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(
  args: string[],
  env: Record<string, string> = { SPOKESMITH_CODE_CACHE_DIR: cacheDir },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Each cache file with what identifies one write of it (a write is a rename of a new file). */
async function cacheFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of await readdir(cacheDir)) {
    const info = await stat(join(cacheDir, name));
    files.set(name, `${info.ino}:${info.mtimeMs}:${info.size}`);
  }
  return files;
}

describe('the CLI code cache', () => {
  it('is written by the first run, one file per chunk it loaded, and taken as it is by the next', async () => {
    // A command that opens the workspace (and finds no such instance) loads several files of the bundle;
    // --help loads the entry alone.
    const first = await run(['history', 'no-such-instance']);
    expect(first.code).toBe(2);
    const made = await cacheFiles();
    // A cache per file it loaded; no temporary file is left.
    expect(made.size).toBeGreaterThanOrEqual(3);
    expect([...made.keys()].every((name) => /^[0-9a-f]{40}\.bin$/.test(name))).toBe(true);
    const second = await run(['history', 'no-such-instance']);
    expect(second).toEqual(first);
    // A rejected cache would have been written again.
    expect(await cacheFiles()).toEqual(made);
  });

  it('never runs the cache of a chunk that changed, even at the same length', async () => {
    await run(['--help']);
    const entry = join(dir, 'out/cli/spokesmith.cjs');
    const source = await readFile(entry, 'utf8');
    expect(source).toContain('Provision the Microsoft Exchange Online spoke');
    // V8 checks a cache against the source's length alone: this edit keeps the length.
    await writeFile(entry, source.replace('Provision the Microsoft', 'Provizion the Microsoft'));
    const edited = await run(['--help']);
    expect(edited.code).toBe(0);
    expect(edited.stdout).toContain('Provizion the Microsoft');
  });

  it('reads a chunk with a character outside ASCII as UTF-8', async () => {
    // The build writes ASCII only, which the loader copies byte for byte; anything else must still decode.
    const entry = join(dir, 'out/cli/spokesmith.cjs');
    const source = await readFile(entry, 'utf8');
    await writeFile(entry, source.replace('Provision the Microsoft', 'Prövision the Microsoft'));
    for (const pass of ['compiled', 'from the cache']) {
      const run1 = await run(['--help']);
      expect(run1.code, pass).toBe(0);
      expect(run1.stdout, pass).toContain('Prövision the Microsoft');
    }
  });

  it('recompiles over a damaged cache and replaces it', async () => {
    await run(['--help']);
    const names = [...(await cacheFiles()).keys()];
    for (const name of names) await writeFile(join(cacheDir, name), Buffer.alloc(4096, 7));
    const damaged = await run(['--help']);
    expect(damaged.code).toBe(0);
    expect(damaged.stderr).toBe('');
    const replaced = await cacheFiles();
    for (const name of names) expect(replaced.get(name)).not.toMatch(/:4096$/);
    expect(await cacheFiles()).toEqual(replaced);
  });

  it('runs the command when the cache folder cannot be made, and says nothing of it', async () => {
    const notAFolder = join(dir, 'file');
    await writeFile(notAFolder, 'a file where the cache folder would be');
    const result = await run(['--help'], { SPOKESMITH_CODE_CACHE_DIR: join(notAFolder, 'code') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: spokesmith');
    expect(result.stderr).toBe('');
  });

  it('leaves several commands started at once with an empty cache each a whole file', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => run(['--help'])));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const written = await cacheFiles();
    expect([...written.keys()].every((name) => name.endsWith('.bin'))).toBe(true);
    // Whole files: the next run takes every one of them as it is.
    await run(['--help']);
    expect(await cacheFiles()).toEqual(written);
  });

  it('is off with SPOKESMITH_CODE_CACHE_DIR=off', async () => {
    const result = await run(['--help'], { SPOKESMITH_CODE_CACHE_DIR: 'off', XDG_CACHE_HOME: cacheDir });
    expect(result.code).toBe(0);
    expect(existsSync(cacheDir)).toBe(false);
  });

  it('leaves CommonJS files outside the bundle to Node', async () => {
    const outside = join(dir, 'outside.cjs');
    await writeFile(outside, "module.exports = 'loaded by node';\n");
    const script =
      `const { requireWithCodeCache } = require(${JSON.stringify(join(dir, 'resources/bin/code-cache.js'))});` +
      `const { main } = requireWithCodeCache(${JSON.stringify(join(dir, 'out/cli/spokesmith.cjs'))}, ${JSON.stringify(cacheDir)});` +
      `process.stdout.write(typeof main + ' ' + require(${JSON.stringify(outside)}));`;
    const result = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', () => resolve(out));
    });
    expect(result).toBe('function loaded by node');
  });

  it("lives in this user's cache folder on each platform", () => {
    expect(codeCacheDir({ HOME: '/home/c' }, 'linux')).toMatch(/[\\/]\.cache[\\/]spokesmith[\\/]code$/);
    expect(codeCacheDir({ XDG_CACHE_HOME: '/x' }, 'linux')).toBe(join('/x', 'spokesmith', 'code'));
    expect(codeCacheDir({ LOCALAPPDATA: 'C:\\L' }, 'win32')).toBe(
      join('C:\\L', 'Spokesmith', 'Cache', 'code'),
    );
    expect(codeCacheDir({}, 'darwin')).toMatch(/Library[\\/]Caches[\\/]Spokesmith[\\/]code$/);
    expect(codeCacheDir({ SPOKESMITH_CODE_CACHE_DIR: '/t' }, 'linux')).toBe('/t');
  });
});
