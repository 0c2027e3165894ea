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
    await import(`${pathToFileURL(OUT_MAIN_ENTRY).href}?harness=${id}`);
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
