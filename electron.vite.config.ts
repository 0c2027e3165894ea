import { resolve } from 'node:path';
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

// One build produces everything that runs: the Electron entry, the CLI and the benchmark (all
// Node/ESM in out/main), the sandboxed preload (CommonJS, out/preload/index.cjs) and the renderer.
export default defineConfig({
  main: {
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
          cli: resolve('src/main/cli/index.ts'),
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
    build: {
      outDir: resolve('out/renderer'),
      minify: true,
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [svelte({ configFile: resolve('svelte.config.js') }), renderBlockingEntry()],
  },
});
