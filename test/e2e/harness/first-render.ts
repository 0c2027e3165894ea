// Measures the first render of the main screen in the browser harness (the UI benchmark runs this in a
// child process: `node --import tsx test/e2e/harness/first-render.ts --runs 7`, so Playwright is never
// bundled into out/main/bench.js). Each load gets a fresh browser context (cold cache) on the same real
// main, preload and renderer the browser tests use; the page's own performance timeline says when, after
// navigation start, the Instances heading and then the instance list were rendered (the mark is set when
// the element enters the DOM; "painted" after the next frame). Prints one JSON line.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../../playwright.config';
import { loadMain, type LoadedMain } from './load-main';
import { connectPage, type IpcExchange } from './page-bridge';
import { startRendererServer } from './renderer-server';

export interface FirstRenderSample {
  /** ms from navigation start until the Instances heading was in the DOM and a frame had passed. */
  headingMs: number;
  /** The same for the first instance card (the list answered through IPC). */
  listedMs: number;
  /** ms from navigation start to the load event's end. */
  loadEventMs: number;
  firstContentfulPaintMs: number | null;
}

const MARKS = `(() => {
  const done = new Set();
  const mark = (name) => {
    if (done.has(name)) return;
    done.add(name);
    performance.mark(name);
    requestAnimationFrame(() => setTimeout(() => performance.mark(name + '-painted')));
  };
  const check = () => {
    if ([...document.querySelectorAll('h2')].some((h) => h.textContent.trim() === 'Instances')) mark('instances-heading');
    if (document.querySelector('article[aria-labelledby^="inst-"]')) mark('instances-listed');
    if (done.size === 2) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
})();`;

const READ_SAMPLE = `(() => {
  const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    headingMs: at('instances-heading-painted'),
    listedMs: at('instances-listed-painted'),
    loadEventMs: nav ? nav.loadEventEnd : NaN,
    firstContentfulPaintMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
  };
})()`;

export async function measureFirstRender(runs: number): Promise<FirstRenderSample[]> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'spokesmith-bench-render-'));
  let main: LoadedMain | undefined;
  const server = await startRendererServer(() => main?.recorder.protocolHandlers.get('app'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    main = await loadMain({
      userDataDir,
      documentsDir: userDataDir,
      rendererUrl: server.url,
      env: {
        // The switches below count only in a development run (src/main/electron/dev-switches.ts).
        SPOKESMITH_DEV: '1',
        SPOKESMITH_USER_DATA: userDataDir,
        SPOKESMITH_SECRET_STORE: 'memory',
        SPOKESMITH_RENDERER_URL: server.url,
      },
    });
    const window = main.recorder.windows[0];
    if (!window) throw new Error('main did not open a window');
    const samples: FirstRenderSample[] = [];
    for (let i = 0; i < runs; i += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const page = await context.newPage();
        const exchanges: IpcExchange[] = [];
        await connectPage(page, main.recorder.ipcHandlers, window.webContents, exchanges);
        await page.addInitScript({ content: MARKS });
        await page.goto(main.url, { waitUntil: 'load' });
        await page.waitForFunction(
          () => performance.getEntriesByName('instances-listed-painted').length > 0,
          undefined,
          { timeout: 15_000 },
        );
        // A string, not a function: tsx's name-keeping helpers do not exist in the page.
        samples.push((await page.evaluate(READ_SAMPLE)) as FirstRenderSample);
      } finally {
        await context.close();
      }
    }
    return samples;
  } finally {
    await browser.close();
    await main?.quit();
    await server.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.filename === process.argv[1];
if (invokedDirectly) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
  const samples = await measureFirstRender(Math.max(1, Number(values.runs) || 7));
  process.stdout.write(`${JSON.stringify({ samples })}\n`);
  // Main's timers (the demo instance, the offline queue) would keep the process alive.
  process.exit(0);
}
