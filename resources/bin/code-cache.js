// V8's code cache for the CLI bundle (out/cli, CommonJS, built by electron.vite.config.ts).
//
// Most of a short command's start-up is V8 compiling the bundle: parsing it, then compiling each function
// the first time it runs (issue 11; README.md, "Benchmarks"). V8 can hand back what it compiled as a code
// cache and accept it on the next start in place of compiling again. The cache is taken when the command
// ends, so it holds every function the command ran, not only the top level (which is all a cache taken
// right after compiling has, and why that kind did not help). Node 20 has no switch for this (Node 22's
// module compile cache is the same idea), so the CLI's chunks are compiled here through `vm.Script`.
//
// A cache is only ever a shortcut: a missing, unreadable, rejected or unwritable one costs a compile,
// never a failure, and nothing is printed.
'use strict';
const { isAscii } = require('node:buffer');
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { homedir } = require('node:os');
const { dirname, join, sep } = require('node:path');
const vm = require('node:vm');

/**
 * This user's cache folder. Never a shared temporary folder: V8 does not check a cache's contents against
 * the code, so a cache another user could plant there would run as Spokesmith. Tests point
 * SPOKESMITH_CODE_CACHE_DIR at a folder of their own; `off` turns the cache off.
 */
function codeCacheDir(env = process.env, platform = process.platform) {
  if (env.SPOKESMITH_CODE_CACHE_DIR) return env.SPOKESMITH_CODE_CACHE_DIR;
  if (platform === 'win32')
    return join(env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'Spokesmith', 'Cache', 'code');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'Spokesmith', 'code');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'spokesmith', 'code');
}

/**
 * The cache file of one chunk, by its bytes. V8 checks a cache against the source's length only, so the
 * name carries a hash of the whole file (and of the Node build that made it): an edited chunk of the same
 * length gets a new file instead of running stale code.
 */
function cacheFileOf(cacheDir, bytes) {
  const key = createHash('sha256')
    .update(`${process.version}\0${process.arch}\0`)
    .update(bytes)
    .digest('hex')
    .slice(0, 40);
  return join(cacheDir, `${key}.bin`);
}

function readCache(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes each cache a rename at a time, so a reader (another spokesmith starting now) sees a whole file
 * or none. No fsync and no lock: a torn or lost cache only costs the next start a compile, and V8 refuses
 * a cache that does not fit.
 */
function writeCaches(compiled, cacheDir) {
  if (compiled.length === 0) return;
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  } catch {
    return;
  }
  for (const { script, file } of compiled) {
    const temp = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(temp, script.createCachedData(), { flag: 'wx', mode: 0o600 });
      renameSync(temp, file);
    } catch {
      rmSync(temp, { force: true });
    }
  }
}

/**
 * Loads the bundle's entry (a `.cjs` file) with the chunks under its folder compiled through the code
 * cache, and answers its exports. The caches of the chunks compiled without one are written when the
 * process exits.
 */
function requireWithCodeCache(entry, cacheDir) {
  const require = createRequire(entry);
  if (cacheDir === 'off') return require(entry);
  const root = dirname(entry) + sep;
  const compiled = [];
  // `require.extensions` is the one place Node lets a loader compile a CommonJS file itself (documented,
  // deprecated only as advice); only this bundle's own files take this path.
  // Node 20 has no handler of its own for `.cjs` (it loads them as `.js`): other files keep that way.
  const loadCjs = require.extensions['.cjs'] ?? require.extensions['.js'];
  require.extensions['.cjs'] = function loadWithCodeCache(module, filename) {
    if (!filename.startsWith(root)) return loadCjs(module, filename);
    const bytes = readFileSync(filename);
    // The bundle is ASCII (electron.vite.config.ts), and ASCII read as Latin-1 is the same text, copied byte
    // for byte: three times faster here than decoding UTF-8 (issue 11). Anything else is decoded as UTF-8.
    const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
    const file = cacheFileOf(cacheDir, bytes);
    const cachedData = readCache(file);
    // The wrapper keeps line numbers as they are in the file, as Node's own CommonJS wrapper does.
    const script = new vm.Script(
      `(function (exports, require, module, __filename, __dirname) { ${source}\n})`,
      {
        filename,
        cachedData,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      },
    );
    if (cachedData === undefined || script.cachedDataRejected) compiled.push({ script, file });
    const wrapper = script.runInThisContext({ displayErrors: true });
    // The chunk's `require` is its module's own: Node has already worked out where the module resolves
    // from, and the bundle uses nothing of `require` but the call.
    const requireFromChunk = (id) => module.require(id);
    wrapper.call(module.exports, module.exports, requireFromChunk, module, filename, dirname(filename));
  };
  process.once('exit', () => writeCaches(compiled, cacheDir));
  return require(entry);
}

module.exports = { codeCacheDir, requireWithCodeCache };
