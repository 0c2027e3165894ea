// Loads the REAL built main (out/main/index.js) in the test process with `electron` resolved to a
// stand-in, then lets it start: its ipcMain.handle handlers, window options and guards are recorded.
import { register } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createElectronStandIn, type ElectronStandIn, type StandInOptions } from './electron-stand-in';
import { OUT_MAIN, OUT_MAIN_ENTRY, ROOT } from './paths';

declare global {
  var __spokesmithElectronStandIns: Map<string, ElectronStandIn['electron']> | undefined;
  var __spokesmithHarnessHooks: boolean | undefined;
}

function registerHooksOnce(): void {
  if (globalThis.__spokesmithHarnessHooks) return;
  globalThis.__spokesmithHarnessHooks = true;
  register(pathToFileURL(join(import.meta.dirname, 'loader-hooks.mjs')), {
    data: {
      outMainUrl: pathToFileURL(OUT_MAIN).href + '/',
      standInUrl: pathToFileURL(join(import.meta.dirname, 'electron-stand-in.mjs')).href,
    },
  });
}

let nextId = 1;

type ProcessExit = { reallyExit: (code?: number) => never };
type Listener = (...args: unknown[]) => void;

/**
 * What loading a main added to `process`: signal-exit (which proper-lockfile registers with when it is
 * imported) listens to every signal of its platform's list (SIGUNUSED among them, which `os.constants`
 * does not name, hence the event names) and wraps `process.emit` and `process.reallyExit`. The app loads
 * main once; the tests load a fresh copy of it per test in one process, and each copy would leave its
 * listeners behind (Node warns once a signal has more than ten). Taken right after the load, undone when
 * that main has quit, so another main loaded meanwhile keeps its own.
 */
async function addedToProcess(load: () => Promise<unknown>): Promise<() => void> {
  const signals = () => process.eventNames().filter((e) => typeof e === 'string' && e.startsWith('SIG'));
  const listeners = (signal: string | symbol) => process.listeners(signal as NodeJS.Signals) as Listener[];
  const before = new Map(signals().map((s) => [s, new Set(listeners(s))]));
  const emit = process.emit;
  const exit = (process as unknown as ProcessExit).reallyExit;
  await load();
  const added = signals().flatMap((s) =>
    listeners(s)
      .filter((l) => !before.get(s)?.has(l))
      .map((l) => [s, l] as const),
  );
  const emitNow = process.emit;
  const exitNow = (process as unknown as ProcessExit).reallyExit;
  return () => {
    for (const [signal, listener] of added) process.removeListener(signal, listener);
    if (process.emit === emitNow) process.emit = emit;
    if ((process as unknown as ProcessExit).reallyExit === exitNow)
      (process as unknown as ProcessExit).reallyExit = exit;
  };
}

export interface LoadedMain extends ElectronStandIn {
  /** The URL main loaded into its window. */
  url: string;
  quit(): Promise<void>;
}

export interface LoadMainOptions extends Omit<StandInOptions, 'version'> {
  rendererUrl: string;
  /** Environment for this main; main reads it while it loads and starts. */
  env: Record<string, string>;
}

export async function loadMain(options: LoadMainOptions): Promise<LoadedMain> {
  registerHooksOnce();
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
  const standIn = createElectronStandIn({ ...options, version });
  const id = `${process.pid}-${nextId++}`;
  globalThis.__spokesmithElectronStandIns ??= new Map();
  globalThis.__spokesmithElectronStandIns.set(id, standIn.electron);

  // Tests in one worker run one after another, so setting the environment around the start is safe.
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(options.env)) {
    saved.set(k, process.env[k]);
    process.env[k] = v;
  }
  try {
    const undoProcessHooks = await addedToProcess(
      () => import(`${pathToFileURL(OUT_MAIN_ENTRY).href}?harness=${id}`),
    );
    standIn.ready();
    const url = await Promise.race([
      standIn.loaded,
      standIn.quitted.then(() => {
        const box = standIn.recorder.errorBoxes[0];
        throw new Error(`main quit while starting${box ? `: ${box.title}: ${box.content}` : ''}`);
      }),
    ]);
    return {
      ...standIn,
      url,
      async quit() {
        standIn.electron.app.quit();
        await standIn.quitted;
        undoProcessHooks();
        globalThis.__spokesmithElectronStandIns?.delete(id);
      },
    };
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
