import { rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { build as rolldownBuild, type ChunkingContext, type CodeSplittingGroup } from 'rolldown';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';

const ENTRY_SCRIPT = '<script type="module" crossorigin';

/**
 * Marks the renderer's entry script render-blocking. Without it Chromium paints an empty document as soon
 * as the stylesheet is in, while the (larger) script is still arriving, and the script then waits for that
 * frame to finish before it runs: work and a wait before the first screen (issue 11; README, Benchmarks).
 * Vite writes the entry's tag itself, so the attribute is added to the built HTML.
 */
function renderBlockingEntry(): Plugin {
  return {
    name: 'spokesmith:render-blocking-entry',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        if (!html.includes(ENTRY_SCRIPT))
          throw new Error(`index.html: no ${ENTRY_SCRIPT}> to mark render-blocking`);
        return html.replace(ENTRY_SCRIPT, '<script type="module" blocking="render" crossorigin');
      },
    },
  };
}

/**
 * got's optional helpers that Spokesmith never uses (HTTP/2, response cache, DNS cache, form bodies), each
 * replaced by a stand-in that throws if reached (src/main/servicenow/unbundled/). Loading them was a fifth of
 * an up-to-date `spokesmith apply`'s start-up: http2-wrapper alone opens a TLS context at import (issue 11).
 */
const GOT_UNUSED = ['http2-wrapper', 'cacheable-request', 'cacheable-lookup', 'form-data-encoder'];

/**
 * Packages the CLI bundle can do without, and what stands in for them (for cliBundle's `resolve.alias`).
 * graceful-fs comes with proper-lockfile: loading it clones and patches `fs` (every `close` in the
 * process then runs its retry queue), 8 ms of an up-to-date `spokesmith apply` (median of 25; issue 11).
 * It adds a retry when a process runs out of file descriptors, and proper-lockfile's calls (mkdir, stat,
 * utimes, rmdir, realpath) open none.
 * worker_threads is asked by write-file-atomic for the thread's id only: the command has one thread
 * (src/main/cli/main-thread.ts).
 */
const CLI_ALIASES: Record<string, string> = {
  'graceful-fs': 'node:fs',
  worker_threads: resolve('src/main/cli/main-thread.ts'),
};

interface StartupPatch {
  /** The dependency's file, by the end of its path. */
  file: RegExp;
  /**
   * Each edit's `find` must be in the file exactly `count` times: the build fails otherwise, so an upgrade
   * of the package is looked at rather than silently left slow (or half patched).
   */
  edits: { find: RegExp; replace: string; count: number }[];
  why: string;
}

/**
 * Work some dependencies do when they are loaded, for features Spokesmith reaches rarely or never, moved
 * to when the feature is used. Each was measured in an up-to-date `spokesmith apply` (issue 11, README.md
 * "Benchmarks"); nothing else about the packages changes.
 */
const STARTUP_PATCHES: StartupPatch[] = [
  {
    file: /[\\/]@sindresorhus[\\/]is[\\/]distribution[\\/]index\.js$/,
    edits: [
      {
        find: /const (andFormatter|orFormatter) = new Intl\.ListFormat\(('en', \{[^}]*\})\);/g,
        replace: 'const $1 = { format: (values) => new Intl.ListFormat($2).format(values) };',
        count: 2,
      },
    ],
    why: "got's type checks build two Intl.ListFormat objects, only to word their messages; the first Intl object loads ICU's data (about 20 ms)",
  },
  {
    file: /[\\/]commander[\\/]lib[\\/]command\.js$/,
    edits: [
      {
        find: /const childProcess = require\('node:child_process'\);/g,
        replace: "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };",
        count: 1,
      },
    ],
    why: 'commander loads child_process (and with it dgram and net) for executable subcommands, which the CLI has none of',
  },
  {
    file: /[\\/]tough-cookie[\\/]dist[\\/]index\.c?js$/,
    edits: [
      {
        // Every address the IPv6 pattern matches has a ':' in it, so the guard changes no answer.
        find: /var IP_V6_REGEX_OBJECT = (new RegExp\(`\^\$\{IP_V6_REGEX\}\$`\));/g,
        replace:
          'var IP_V6_PATTERN = $1;\nvar IP_V6_REGEX_OBJECT = { test: (value) => String(value).includes(":") && IP_V6_PATTERN.test(value) };',
        count: 1,
      },
    ],
    why: "tough-cookie tests every cookie's domain against a 1.7 kB IPv6 pattern, and V8 compiles that pattern on its first use: about 12 ms of a fresh apply, for a host name with no ':' in it",
  },
  {
    // signal-exit 3, which proper-lockfile brings (signal-exit 4 has no such line).
    file: /[\\/]signal-exit[\\/]index\.js$/,
    edits: [
      { find: /^ {2}var assert = require\('assert'\)\n/gm, replace: '', count: 1 },
      {
        find: /^ {4}assert\.equal\(typeof cb, 'function', ('[^']*')\)$/gm,
        replace: "    if (typeof cb !== 'function') require('assert').equal(typeof cb, 'function', $1)",
        count: 1,
      },
    ],
    why: "signal-exit loads Node's assert module (0.5 ms of every command that takes a lock) for one check of its argument, which proper-lockfile always passes",
  },
];

function startupPatches(): Plugin {
  return {
    name: 'spokesmith-startup-patches',
    transform(code, id) {
      const patch = STARTUP_PATCHES.find((p) => p.file.test(id));
      if (!patch) return null;
      return patch.edits.reduce((patched, { find, replace, count }) => {
        const found = patched.match(find)?.length ?? 0;
        if (found !== count)
          throw new Error(
            `${id}: expected ${count} of ${find}, found ${found} (patched because ${patch.why})`,
          );
        return patched.replace(find, replace);
      }, code);
    },
  };
}

const gotUnusedAliases = Object.fromEntries(
  GOT_UNUSED.map((pkg) => [pkg, resolve(`src/main/servicenow/unbundled/${pkg}.ts`)]),
);

/**
 * One chunk, `instance`, for the code an instance command runs before it talks to the instance: the CLI's
 * context (workspace, keychain, ServiceNow client) and what the apply command imports, with their imports,
 * up to the first dynamic import (zod's core, got, the lock, the workspace, the operations, the engine's
 * read side and the CLI's plumbing of those commands). Left to itself, rolldown cuts that code by which
 * commands share each module: a fresh `spokesmith apply` loaded 29 files of the bundle, and each costs the
 * launcher a resolve, two file reads, a hash and a code-cache lookup, and V8 a script of its own (issue 11;
 * README.md, "Benchmarks"). Now it loads 6.
 *
 * Left out: what the entry imports itself (every command loads that, `--help` included), and everything
 * behind a dynamic import (the engine's write path, the cookie jar, the queue, the simulator…), which stays
 * on demand. test/integration/cli/lazy-load.test.ts holds the bundle to both, and to the one chunk.
 */
function instanceChunk(): CodeSplittingGroup {
  const context = resolve('src/main/cli/context.ts');
  const apply = resolve('src/main/cli/commands/apply.ts');
  const entry = resolve('src/main/cli/index.ts');
  let members: Set<string> | undefined;
  return {
    name(id, chunking) {
      if (!members) {
        const everyCommand = staticImports(entry, chunking);
        const wanted = [context, ...staticImports(context, chunking), ...staticImports(apply, chunking)];
        members = new Set(wanted.filter((m) => !everyCommand.has(m) && !ZOD_JSON_SCHEMA.test(m)));
      }
      // The apply command's own module is not among them: each command keeps a chunk of its own.
      return members.has(id) ? 'instance' : null;
    },
  };
}

/**
 * zod's JSON-schema writer: zod's index imports it, so it counts as imported, but only `spokesmith schema`
 * runs it (through classic zod), and it stays with that command.
 */
const ZOD_JSON_SCHEMA = /[\\/]zod[\\/]v4[\\/]core[\\/](to-json-schema|json-schema-processors|memoizer)\.js$/;

/** The modules `from` imports statically, those modules' static imports, and so on (`from` itself not). */
function staticImports(from: string, chunking: ChunkingContext): Set<string> {
  const found = new Set<string>();
  const next = [...(chunking.getModuleInfo(from)?.importedIds ?? [])];
  for (let id = next.pop(); id !== undefined; id = next.pop()) {
    if (found.has(id)) continue;
    found.add(id);
    next.push(...(chunking.getModuleInfo(id)?.importedIds ?? []));
  }
  return found;
}

/**
 * The `spokesmith` command's own bundle, out/cli: CommonJS, so that resources/bin/code-cache.js can hand
 * each chunk to V8 with the code cache of its last run (Node 20 can do that for CommonJS only). Its
 * commands load their modules on demand, one chunk each, as in the ES-module build of the app.
 */
function cliBundle(): Plugin {
  return {
    name: 'spokesmith-cli-bundle',
    apply: 'build',
    async closeBundle() {
      rmSync(resolve('out/cli'), { recursive: true, force: true });
      const { output } = await rolldownBuild({
        input: { spokesmith: resolve('src/main/cli/index.ts') },
        platform: 'node',
        external: ['keytar'],
        resolve: { alias: { ...gotUnusedAliases, ...CLI_ALIASES } },
        plugins: [startupPatches()],
        logLevel: 'warn',
        output: {
          dir: resolve('out/cli'),
          format: 'cjs',
          entryFileNames: '[name].cjs',
          chunkFileNames: 'chunks/[name]-[hash].cjs',
          // `require` rather than `import()`: only CommonJS files go through the code cache.
          dynamicImportInCjs: false,
          codeSplitting: { includeDependenciesRecursively: false, groups: [instanceChunk()] },
          // ASCII only (other characters escaped): V8 keeps an ASCII source as one byte per character
          // where any other character makes the whole chunk two bytes per character, twice the memory to
          // read, hash and collect on every start.
          charset: 'ascii',
          // Doc comments are for reading the sources; in the bundle they are bytes every start reads, and
          // the ones with a '—' or '§' would undo the line above. Licence notices stay.
          comments: { legal: true, annotation: true, jsdoc: false },
          // Minified: every start reads, hashes (the code cache's key) and keeps each chunk it loads, and
          // V8 parses what the cache does not cover. 1.3 MB becomes 0.9. Function and class names are
          // kept: messages and `instanceof`-free checks that read `.name` stay as they are.
          minify: {
            compress: { keepNames: { function: true, class: true } },
            mangle: { keepNames: true },
            codegen: { removeWhitespace: true },
          },
        },
      });
      // Which source files went into which chunk, since a minified chunk no longer says: the lazy-load
      // test reads it to tell what a command loaded (test/integration/cli/lazy-load.test.ts).
      const modules = Object.fromEntries(
        output
          .filter((file) => file.type === 'chunk')
          .map((chunk) => [
            chunk.fileName,
            chunk.moduleIds
              .filter((id) => isAbsolute(id))
              .map((id) => relative(process.cwd(), id).split(sep).join('/'))
              .sort(),
          ]),
      );
      writeFileSync(resolve('out/cli/modules.json'), `${JSON.stringify(modules, null, 1)}\n`);
      // A package scope of its own: Node looks for the package.json above every file it resolves, and
      // without this one walks up to the project's for each chunk a command loads.
      writeFileSync(resolve('out/cli/package.json'), '{ "type": "commonjs" }\n');
    },
  };
}

// One build produces everything that runs: the Electron entry and the benchmark (Node/ESM in out/main),
// the CLI (CommonJS in out/cli, above), the sandboxed preload (CommonJS, out/preload/index.cjs) and the
// renderer.
export default defineConfig({
  main: {
    resolve: { alias: gotUnusedAliases },
    plugins: [startupPatches(), cliBundle()],
    build: {
      outDir: 'out/main',
      // Bundled, not loaded from node_modules at run time: resolving and parsing hundreds of small files
      // (got, zod and their helpers) was most of an up-to-date apply's start-up (issue 11). keytar stays
      // outside: it is a native addon.
      externalizeDeps: {
        exclude: [
          'commander',
          'got',
          'hpagent',
          'p-limit',
          'proper-lockfile',
          'proxy-from-env',
          'tough-cookie',
          'write-file-atomic',
          'zod',
        ],
      },
      rolldownOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          bench: resolve('src/main/bench/index.ts'),
          // The fleet benchmark's instances, in a process of their own (src/main/bench/fleet.ts).
          'bench-simulators': resolve('src/main/bench/simulators-child.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed preload cannot load ESM: it must be a single CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    resolve: { alias: { 'zod/locales': resolve('src/renderer/src/lib/zod-locale.ts') } },
    build: {
      outDir: resolve('out/renderer'),
      minify: true,
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [svelte({ configFile: resolve('svelte.config.js') }), renderBlockingEntry()],
  },
});
