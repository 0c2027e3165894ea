// Issue 11: `spokesmith --version`, `--help` and a usage error start only what they need. The built
// command runs in a child process that logs every module it loads — ES modules through a module.register
// resolve hook, the CLI bundle's CommonJS chunks from require.cache when it exits — and the test reads that
// list: what was loaded, not how long it took. A control run of a command that opens the workspace shows
// the same check catches the heavy modules when they do load. The same log counts the TLS contexts and
// Intl.ListFormat objects a run creates: an up-to-date apply over plain HTTP needs neither.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../src/main/simulator';

const bin = fileURLToPath(new URL('../../../resources/bin/spokesmith.js', import.meta.url));
const repository = fileURLToPath(new URL('../../../', import.meta.url));
const cliDir = join(repository, 'out', 'cli') + sep;
const built = join(cliDir, 'spokesmith.cjs');

/** Packages a start-up must not load: the HTTP client and its helpers, validation, the keychain, locks. */
const HEAVY_PACKAGES = [
  'got',
  'zod',
  'tough-cookie',
  'hpagent',
  'keytar',
  'proper-lockfile',
  'p-limit',
  'write-file-atomic',
];
/**
 * Source files that mark the layers a start-up must not load, whichever chunk the bundler puts them in: the
 * simulator, the engine, the workspace and the ServiceNow client.
 */
const HEAVY_SOURCES = [
  'src/main/simulator/index.ts',
  'src/main/engine/apply.ts',
  'src/main/workspace/workspace.ts',
  'src/main/servicenow/client.ts',
];

/**
 * Source files an up-to-date apply has no use for: the app's IPC schemas (zod schemas built at load), the
 * instance list's and templates' import/export, and the offline queue (an apply that reaches its instance
 * queues nothing). graceful-fs, which proper-lockfile brings, is left out of the CLI's build altogether
 * (electron.vite.config.ts, CLI_ALIASES). The build lists the source files of each chunk (out/cli/modules.json).
 */
const NOT_FOR_APPLY = [
  'src/shared/ipc/contract.ts',
  'src/main/workspace/transfer.ts',
  'src/shared/workspace/instance-transfer.ts',
  'src/shared/workspace/template-transfer.ts',
  'src/shared/workspace/csv.ts',
  'src/main/cli/commands/queue.ts',
  'src/main/fleet/offline-queue.ts',
  'node_modules/graceful-fs/graceful-fs.js',
  // Every schema on the apply's path is zod/mini: classic zod's layer (its methods on every schema class)
  // and the JSON-schema helpers it brings are left to the commands that still use them.
  'node_modules/zod/v4/classic/schemas.js',
  'node_modules/zod/v4/core/to-json-schema.js',
];

let dir: string;
let register: string;
let probe: string;

beforeAll(async () => {
  expect(existsSync(built), 'run `npx electron-vite build` first').toBe(true);
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-lazy-load-'));
  const hook = join(dir, 'hook.mjs');
  // Runs on the loader's thread: appends each resolved URL to the file given at registration.
  await writeFile(
    hook,
    [
      "import { appendFileSync } from 'node:fs';",
      'let log;',
      'export function initialize(data) { log = data.log; }',
      'export async function resolve(specifier, context, next) {',
      '  const resolved = await next(specifier, context);',
      "  appendFileSync(log, resolved.url + '\\n');",
      '  return resolved;',
      '}',
    ].join('\n'),
  );
  register = join(dir, 'register.mjs');
  await writeFile(
    register,
    [
      "import { register } from 'node:module';",
      `register(${JSON.stringify(pathToFileURL(hook).href)}, { data: { log: process.env.SPOKESMITH_TEST_RESOLVE_LOG } });`,
    ].join('\n'),
  );
  // Preloaded with --require: counts what is costly to create at start-up, and at exit logs the
  // CommonJS modules the run loaded and the counts.
  probe = join(dir, 'probe.cjs');
  await writeFile(
    probe,
    [
      "const { appendFileSync } = require('node:fs');",
      "const { pathToFileURL } = require('node:url');",
      "const tls = require('node:tls');",
      'const counts = { tls: 0, listFormat: 0, zodSchemas: 0, stdin: 0 };',
      // zod calls its global config's postProcessor once for every schema it builds.
      'globalThis.__zod_globalConfig = { postProcessor: () => counts.zodSchemas++ };',
      'const createSecureContext = tls.createSecureContext;',
      'tls.createSecureContext = (...args) => (counts.tls++, createSecureContext(...args));',
      'const ListFormat = Intl.ListFormat;',
      'Intl.ListFormat = class extends ListFormat { constructor(...args) { super(...args); counts.listFormat++; } };',
      // Node builds process.stdin on its first read; count the reads.
      "const stdin = Object.getOwnPropertyDescriptor(process, 'stdin');",
      "Object.defineProperty(process, 'stdin', { ...stdin, get() { counts.stdin++; return stdin.get.call(this); } });",
      // The built-in modules the command asked for by name. Not process.moduleLoadList: the resolve hook
      // registered above runs on a worker thread of Node's own, which loads worker_threads for it.
      "const Module = require('node:module');",
      'const builtins = new Set();',
      'const load = Module._load;',
      'Module._load = function (request, ...rest) {',
      "  const name = String(request).replace(/^node:/, '');",
      "  if (['child_process', 'worker_threads', 'assert'].includes(name)) builtins.add(name);",
      '  return load.call(this, request, ...rest);',
      '};',
      "process.on('exit', () => {",
      '  const urls = Object.keys(require.cache).map((file) => pathToFileURL(file).href);',
      "  appendFileSync(process.env.SPOKESMITH_TEST_RESOLVE_LOG, urls.map((url) => url + '\\n').join('') +",
      '    `#tls ${counts.tls}\\n#listFormat ${counts.listFormat}\\n#zodSchemas ${counts.zodSchemas}\\n#stdin ${counts.stdin}\\n` +',
      "    [...builtins].map((name) => '#builtin ' + name + '\\n').join(''));",
      '});',
    ].join('\n'),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let runs = 0;
interface Loaded {
  code: number | null;
  stdout: string;
  /** Every module the run resolved or required, as URLs. */
  urls: string[];
  /** TLS secure contexts, Intl.ListFormat objects and zod schemas the run created; reads of process.stdin. */
  created: { tls: number; listFormat: number; zodSchemas: number; stdin: number };
  /** Which of child_process, worker_threads and assert the run loaded. */
  builtins: string[];
}

/** Runs the built command; answers its exit code, the modules it loaded and what it created. */
async function loaded(args: string[], env: Record<string, string> = {}): Promise<Loaded> {
  const log = join(dir, `resolved-${++runs}.txt`);
  await writeFile(log, '');
  const workspace = join(dir, `workspace-${runs}`);
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, ['--require', probe, '--import', register, bin, ...args], {
      env: {
        ...env,
        PATH: process.env.PATH ?? '',
        HOME: dir,
        SPOKESMITH_WORKSPACE: workspace,
        SPOKESMITH_SECRET_STORE: 'memory',
        SPOKESMITH_TEST_RESOLVE_LOG: log,
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (exit) => resolve({ code: exit, stdout: out }));
  });
  const lines = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  const count = (name: string) => Number(lines.find((line) => line.startsWith(`#${name} `))?.split(' ')[1]);
  return {
    code,
    stdout,
    urls: lines.filter((line) => !line.startsWith('#')),
    created: {
      tls: count('tls'),
      listFormat: count('listFormat'),
      zodSchemas: count('zodSchemas'),
      stdin: count('stdin'),
    },
    builtins: lines
      .filter((line) => line.startsWith('#builtin '))
      .map((line) => line.slice('#builtin '.length)),
  };
}

/** Which source files went into which chunk of the CLI bundle (written by its build, electron.vite.config.ts). */
function bundleModules(): Record<string, string[]> {
  return JSON.parse(readFileSync(join(cliDir, 'modules.json'), 'utf8')) as Record<string, string[]>;
}

/** The source files (repository-relative) of the files a run loaded: a CLI chunk's from the build's list. */
function sourcesOf(urls: string[]): string[] {
  const modules = bundleModules();
  const found = new Set<string>();
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const file = fileURLToPath(url);
    if (file.startsWith(cliDir)) {
      const chunk = relative(cliDir, file).split(sep).join('/');
      expect(modules[chunk], `${chunk} is in out/cli/modules.json`).toBeDefined();
      for (const source of modules[chunk]!) found.add(source);
    } else found.add(relative(repository, file).split(sep).join('/'));
  }
  return [...found].sort();
}

/** What of the heavy list the run loaded: packages (from node_modules or bundled) and the layers' sources. */
function heavyModules(urls: string[]): string[] {
  const found = new Set<string>();
  for (const source of sourcesOf(urls)) {
    const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1];
    if (pkg && HEAVY_PACKAGES.includes(pkg)) found.add(pkg);
    if (HEAVY_SOURCES.includes(source)) found.add(source);
  }
  return [...found].sort();
}

describe('start only what the command needs', () => {
  it('--version loads neither got, zod, the simulator, the engine nor the workspace', async () => {
    const run = await loaded(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(heavyModules(run.urls)).toEqual([]);
  });

  it.each([[['--help']], [['apply', '--help']], [['instances', 'add', '--help']], [['frobnicate']]])(
    'spokesmith %j loads none of them either',
    async (args) => {
      const run = await loaded(args);
      expect(run.code).toBe(args[0] === 'frobnicate' ? 2 : 0);
      // The run really went through the CLI bundle, so an empty list means "not loaded", not "not run".
      expect(run.urls.some((url) => url.endsWith('/out/cli/spokesmith.cjs'))).toBe(true);
      expect(heavyModules(run.urls)).toEqual([]);
    },
  );

  it('a command that opens the workspace does load them: the check sees what it looks for', async () => {
    // No instance of that name: exit 2, but only after the workspace was opened to look for it.
    const run = await loaded(['history', 'no-such-instance']);
    expect(run.code).toBe(2);
    expect(heavyModules(run.urls)).toEqual(
      expect.arrayContaining(['src/main/workspace/workspace.ts', 'got', 'zod']),
    );
  });

  it('an up-to-date apply over HTTP creates no TLS context, no Intl.ListFormat nor stdin, nor loads child_process, worker_threads or assert', async () => {
    // got's HTTP/2 helper opened a TLS context when it was imported, and its type-check library built two
    // Intl.ListFormat objects (ICU's data loaded) to word messages: tens of ms of every start; commander
    // loaded child_process for executable subcommands, which the CLI has none of. All are left out or deferred by the build (electron.vite.config.ts); this run would see them come back.
    // process.stdin is built on first read (about 2 ms) and only a prompt needs it (src/main/cli/io.ts).
    // write-file-atomic loaded worker_threads for a thread id the one-thread command knows (0), and
    // signal-exit loaded assert for one argument check (electron.vite.config.ts).
    const sim = await startSimulator({ scenario: 'fresh', host: '127.0.0.1', port: 0 });
    try {
      const env = { SN_USERNAME: sim.users.admin.userName, SN_PASSWORD: sim.users.admin.password };
      expect((await loaded(['apply', sim.url, '--yes', '--json'], env)).code).toBe(0);
      const run = await loaded(['apply', sim.url, '--yes', '--json'], env);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('"status": "up_to_date"');
      expect(heavyModules(run.urls)).toContain('got');
      expect({ tls: run.created.tls, listFormat: run.created.listFormat, stdin: run.created.stdin }).toEqual({
        tls: 0,
        listFormat: 0,
        stdin: 0,
      });
      // Every schema is built when its module loads unless it is built on first use (z.lazy): the app's
      // IPC schemas, the plan/template/queue/snapshot files, the apply record and the journal's entries are
      // not needed here, and an up-to-date apply built 863 schemas when they still loaded. 281 today: the
      // budget leaves room for a new field or two, not for one of those sets coming back.
      expect(run.created.zodSchemas).toBeGreaterThan(0);
      expect(run.created.zodSchemas).toBeLessThanOrEqual(320);
      expect(run.builtins).toEqual([]);
      // The check reads the chunks' source lists: the workspace it did open is there, the rest is not.
      const sources = sourcesOf(run.urls);
      expect(sources).toContain('src/main/workspace/workspace.ts');
      expect(sources.filter((file) => NOT_FOR_APPLY.includes(file))).toEqual([]);
    } finally {
      await sim.close();
    }
  });
  it('keeps what an instance command runs before its first request in one chunk', () => {
    // electron.vite.config.ts, instanceChunk. Left to the bundler's own cuts, by which commands share each
    // module, these were five chunks of the 29 files a fresh apply loaded, each read, hashed and compiled
    // on its own by the launcher.
    const upFront = [
      'src/main/cli/context.ts',
      'src/main/workspace/workspace.ts',
      'src/main/operations/apply.ts',
      'src/main/servicenow/client.ts',
      'node_modules/got/dist/source/index.js',
      'node_modules/zod/v4/core/core.js',
      'node_modules/proper-lockfile/index.js',
    ];
    const modules = bundleModules();
    const chunks = upFront.map((source) =>
      Object.keys(modules).find((chunk) => modules[chunk]!.includes(source)),
    );
    expect(chunks[0]).toMatch(/^chunks\/instance-/);
    expect(new Set(chunks)).toEqual(new Set([chunks[0]]));
  });
  it('a plan reads the instance without loading the engine’s write path; an apply that writes loads it', async () => {
    // The journaled run, its batches and verification are loaded when an operation first writes
    // (src/main/operations/write-path.ts): a discovery, a plan or an up-to-date apply has nothing to write.
    const writePath = ['src/main/engine/run.ts', 'src/main/engine/verify.ts'];
    const sim = await startSimulator({ scenario: 'fresh', host: '127.0.0.1', port: 0 });
    try {
      const env = { SN_USERNAME: sim.users.admin.userName, SN_PASSWORD: sim.users.admin.password };
      const plan = await loaded(['plan', sim.url, '--json'], env);
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain('"create"');
      expect(sourcesOf(plan.urls)).toContain('src/main/engine/discover.ts');
      expect(sourcesOf(plan.urls).filter((file) => writePath.includes(file))).toEqual([]);
      const apply = await loaded(['apply', sim.url, '--yes', '--json'], env);
      expect(apply.code).toBe(0);
      expect(sourcesOf(apply.urls)).toEqual(expect.arrayContaining(writePath));
    } finally {
      await sim.close();
    }
  });
});
