// The Playwright fixture every browser test uses: a fresh userData folder, memory secrets, the real built
// main started behind an Electron stand-in, the real built renderer served on 127.0.0.1 and loaded in
// Debian's Chromium, and the real built preload in the page. Only Electron's IPC transport is replaced.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type Page } from '@playwright/test';
import type { IpcHandler } from './electron-stand-in';
import { loadMain, type LoadedMain } from './load-main';
import { connectPage, type IpcExchange } from './page-bridge';
import { startRendererServer } from './renderer-server';

export interface HarnessApp {
  page: Page;
  main: LoadedMain;
  userDataDir: string;
  rendererUrl: string;
  /** Every IPC handler main registered, by channel. */
  handlers: Map<string, IpcHandler>;
  /** The options main passed to `new BrowserWindow` (the main window). */
  windowOptions: Record<string, unknown>;
  /** Every renderer → main call and main's answer, in order. */
  exchanges: IpcExchange[];
  /** What the save dialog answers next (a path, or null for Cancel). */
  setSavePath(path: string | null): void;
}

export const test = base.extend<{ app: HarnessApp }>({
  app: async ({ page }, use) => {
    const userDataDir = await mkdtemp(join(tmpdir(), 'spokesmith-e2e-'));
    let savePath: string | null = null;
    let main: LoadedMain | undefined;
    const server = await startRendererServer(() => main?.recorder.protocolHandlers.get('app'));
    try {
      main = await loadMain({
        userDataDir,
        documentsDir: userDataDir,
        savePath: () => savePath,
        rendererUrl: server.url,
        env: {
          // The switches below count only in a development run (src/main/electron/dev-switches.ts).
          SPOKESMITH_DEV: '1',
          SPOKESMITH_USER_DATA: userDataDir,
          SPOKESMITH_SECRET_STORE: 'memory',
          SPOKESMITH_RENDERER_URL: server.url,
          // The offline queue retries only when a journey clicks "Try now" (src/main/index.ts).
          SPOKESMITH_QUEUE_TIMER: 'manual',
        },
      });
      const window = main.recorder.windows[0];
      if (!window) throw new Error('main did not open a window');
      const exchanges: IpcExchange[] = [];
      await connectPage(page, main.recorder.ipcHandlers, window.webContents, exchanges);
      await page.goto(main.url);
      await use({
        page,
        main,
        userDataDir,
        rendererUrl: server.url,
        handlers: main.recorder.ipcHandlers,
        windowOptions: window.options,
        exchanges,
        setSavePath: (p) => (savePath = p),
      });
    } finally {
      await main?.quit();
      await server.close();
      await rm(userDataDir, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';

/** Runs in the page: calls `window.api[name](input)` through the real preload. */
export function callApi(page: Page, name: string, input?: unknown): Promise<unknown> {
  return page.evaluate(
    ([n, i]) => {
      const api = (globalThis as unknown as { api: Record<string, (input?: unknown) => Promise<unknown>> })
        .api;
      return api[n]!(i);
    },
    [name, input] as const,
  );
}
