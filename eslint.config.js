import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'module',
  'net',
  'os',
  'path',
  'process',
  'stream',
  'tls',
  'url',
  'util',
  'worker_threads',
  'zlib',
];

const noElectron = {
  name: 'electron',
  message: 'Only src/main/index.ts and src/main/electron/ may import electron.',
};
const noNode = [
  ...NODE_BUILTINS.map((name) => ({ name, message: 'This layer must not use Node built-ins.' })),
];
const nodePattern = { group: ['node:*'], message: 'This layer must not use Node built-ins.' };

/**
 * The layers inside src/main (docs/architecture.md): for each folder, the folders of src/main it may
 * import. Bottom: servicenow, storage, log, secrets, workspace ← engine ← operations ← fleet ← {app, cli,
 * bench}; app and cli never import each other; nothing imports src/renderer. The boundaries test
 * (test/unit/architecture/boundaries.test.ts) checks the source against this same table.
 */
// Each tier may import the tiers listed for it; the lists build on each other, so a tier added below is
// seen by every tier above it.
const CORE = ['servicenow', 'storage', 'log'];
const UNDER_OPERATIONS = ['engine', 'entra', ...CORE, 'secrets', 'workspace'];
const UNDER_FRONT_ENDS = ['fleet', 'operations', ...UNDER_OPERATIONS, 'simulator'];

export const MAIN_LAYERS = {
  log: [],
  storage: [],
  secrets: [],
  servicenow: ['log'],
  // The Entra app check: a token request with the client's transport (proxy, CA) rules.
  entra: ['servicenow', 'log'],
  workspace: ['storage'],
  // UNRESOLVED: the simulator's state file reads and writes through storage/json-file (the simulator is
  // not the core's to move); it imports nothing else of src/main.
  simulator: ['storage'],
  engine: CORE,
  operations: UNDER_OPERATIONS,
  fleet: ['operations', ...UNDER_OPERATIONS],
  ipc: ['operations'],
  electron: ['ipc', 'storage'],
  app: [...UNDER_FRONT_ENDS, 'ipc', 'electron'],
  cli: UNDER_FRONT_ENDS,
  bench: UNDER_FRONT_ENDS,
};

/** One config per folder of src/main: imports of the folders it may not use are errors. */
function layerConfigs() {
  const folders = Object.keys(MAIN_LAYERS);
  return folders.map((folder) => {
    const forbidden = folders.filter((f) => f !== folder && !MAIN_LAYERS[folder].includes(f));
    const patterns = [
      {
        regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
        message: `src/main/${folder} may import only ${MAIN_LAYERS[folder].join(', ') || 'src/shared'} of src/main (layers: docs/architecture.md).`,
      },
      { regex: '(^|/)renderer(/|$)', message: 'Nothing in src/main imports src/renderer.' },
    ];
    return {
      files: [`src/main/${folder}/**`],
      rules: {
        'no-restricted-imports': ['error', { paths: folder === 'electron' ? [] : [noElectron], patterns }],
      },
    };
  });
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.cache/**',
      'coverage/**',
      // Stryker's sandbox (a copy of the project with mutants in it) and its reports.
      '.stryker-tmp/**',
      'reports/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        projectService: false,
        extraFileExtensions: ['.svelte'],
        parser: tseslint.parser,
        svelteConfig,
      },
    },
  },
  // --- Process boundaries (see README "Architecture") ---
  {
    // Pure code shared by main, preload and renderer: no Electron, no Node, no DOM (tsconfig.shared.json
    // rejects DOM and Node globals; this rejects the imports).
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, ...noNode], patterns: [nodePattern] }],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, ...noNode], patterns: [nodePattern] }],
    },
  },
  {
    // Main-process services are plain Node: only the Electron entry and its adapter touch electron.
    files: ['src/main/**'],
    ignores: ['src/main/index.ts', 'src/main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  ...layerConfigs(),
  {
    // A sandboxed preload can only require electron and its own bundled files.
    files: ['src/preload/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!electron$|\\.{1,2}/)',
              message: 'The sandboxed preload may import only electron and relative files.',
            },
          ],
        },
      ],
    },
  },
  {
    // The `spokesmith` launcher and its code cache: plain CommonJS (resources/bin/package.json).
    files: ['resources/bin/**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**', '*.config.*'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
