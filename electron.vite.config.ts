import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

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
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
  },
});
