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
import type { IpcHandler } from './electron-stand-in';
import { connectPage, type IpcExchange } from './page-bridge';
import { startRendererServer } from './renderer-server';

export interface FirstRenderSample {
  /**
   * "First render": ms from navigation start until the main screen's Instances heading (an h2) was in the
   * DOM and the next frame had been produced (requestAnimationFrame, then a task).
   */
  headingMs: number;
  /** The same for the first instance card (the list answered through IPC). */
  listedMs: number;
  /** ms from navigation start to the load event's end. */
  loadEventMs: number;
  firstContentfulPaintMs: number | null;
  phases: FirstRenderPhases;
}

/** Where the time went, all in ms from navigation start (NaN when the page did not report it). */
export interface FirstRenderPhases {
  /** index.html received. */
  documentMs: number;
  /**
   * The last byte of the first script (index.html's module script) received. Only that one: the chunk of the
   * other screens is fetched while the page is idle after the first paint (src/renderer/src/lib/screens.ts).
   */
  scriptsLoadedMs: number;
  /** Bytes of that first script transferred. */
  scriptBytes: number;
  /** The first script compiled and its evaluation begun (src/renderer/src/lib/started-mark.ts). */
  evaluationStartedMs: number;
  /** The bundle's modules evaluated (main.ts's mark before mount). */
  evaluatedMs: number;
  /** App mounted (main.ts's mark after mount). */
  mountedMs: number;
  /** The Instances heading entered the DOM. */
  headingInDomMs: number;
  /** The first IPC call started / the last one of the start-up answered, as the page saw them. */
  firstIpcMs: number;
  lastIpcMs: number;
  /** Every IPC call of the load, as the page saw it. */
  ipc: { channel: string; startMs: number; endMs: number }[];
  /** Every IPC call of the load, as main's handler took it (the rest is the harness's transport). */
  handlers: HandlerTiming[];
  /**
   * CPU time of the page's main thread from navigation until just after the heading was painted (read over
   * CDP right then, so a little later): the renderer's own work, which the machine's load barely changes,
   * unlike the wall-clock figures above it.
   */
  mainThreadBusyMs: number;
  /** The part of it spent running JavaScript. */
  mainThreadScriptMs: number;
}

/**
 * Chromium's own browser UI that an Electron window does not have. Every new context opens a window whose
 * omnibox popup is a WebUI page (chrome://omnibox-popup.top-chrome, ~25 modules in a renderer of its own);
 * a trace of one load showed that renderer busy for ~1.7 s of main-thread time while our page loaded, on
 * the same two cores. Switched off here so the figure is our renderer's, not Chromium's address bar.
 */
const BENCH_ONLY_ARGS = ['--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup'];

const MARKS = `(() => {
  // Every IPC call the renderer makes, timed in the page (the preload looks the binding up per call).
  const BINDING = '__spokesmithIpcInvoke';
  const raw = window[BINDING];
  window.__benchIpcPending = 0;
  if (typeof raw === 'function') {
    window[BINDING] = async (channel, input) => {
      const start = performance.now();
      window.__benchIpcPending += 1;
      try {
        return await raw(channel, input);
      } finally {
        window.__benchIpcPending -= 1;
        performance.measure('ipc:' + channel, { start, end: performance.now() });
      }
    };
  }
  const done = new Set();
  const mark = (name) => {
    if (done.has(name)) return;
    done.add(name);
    performance.mark(name);
    requestAnimationFrame(() =>
      setTimeout(() => {
        performance.mark(name + '-painted');
        if (name === 'instances-heading') window.__benchHeadingPainted?.();
      }),
    );
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
  const entry = document.querySelector('script[type="module"][src]')?.src;
  const script = performance.getEntriesByType('resource').find((r) => r.name === entry);
  const ipc = performance.getEntriesByType('measure').filter((m) => m.name.startsWith('ipc:'))
    .map((m) => ({ channel: m.name.slice(4), startMs: m.startTime, endMs: m.startTime + m.duration }));
  return {
    headingMs: at('instances-heading-painted'),
    listedMs: at('instances-listed-painted'),
    loadEventMs: nav ? nav.loadEventEnd : NaN,
    firstContentfulPaintMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    phases: {
      documentMs: nav ? nav.responseEnd : NaN,
      scriptsLoadedMs: script ? script.responseEnd : NaN,
      scriptBytes: script ? script.encodedBodySize : NaN,
      evaluationStartedMs: at('spokesmith:evaluation-started'),
      evaluatedMs: at('spokesmith:modules-evaluated'),
      mountedMs: at('spokesmith:mounted'),
      headingInDomMs: at('instances-heading'),
      firstIpcMs: ipc.length ? Math.min(...ipc.map((c) => c.startMs)) : NaN,
      lastIpcMs: ipc.length ? Math.max(...ipc.map((c) => c.endMs)) : NaN,
      ipc,
    },
  };
})()`;

export interface HandlerTiming {
  channel: string;
  /** Time main's handler took, measured around it in the harness process. */
  ms: number;
}

/** Main's handlers, each wrapped to time itself: where main spends its part of each IPC call. */
function timedHandlers(handlers: Map<string, IpcHandler>, into: HandlerTiming[]): Map<string, IpcHandler> {
  const timed = new Map<string, IpcHandler>();
  for (const [channel, handler] of handlers) {
    timed.set(channel, async (...args) => {
      const start = performance.now();
      try {
        return await handler(...args);
      } finally {
        into.push({ channel, ms: Math.round((performance.now() - start) * 10) / 10 });
      }
    });
  }
  return timed;
}

export interface FirstRenderRun {
  samples: FirstRenderSample[];
  /**
   * ms from importing main until it loaded its window (keychain probe, workspace, demo instance, queue):
   * what someone starting the app waits for before navigation starts. Once per run, module loading included.
   */
  mainStartMs: number;
}

export async function measureFirstRender(runs: number): Promise<FirstRenderRun> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'spokesmith-bench-render-'));
  let main: LoadedMain | undefined;
  const server = await startRendererServer(() => main?.recorder.protocolHandlers.get('app'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...BENCH_ONLY_ARGS],
  });
  try {
    const mainStarted = performance.now();
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
    const mainStartMs = Math.round(performance.now() - mainStarted);
    const window = main.recorder.windows[0];
    if (!window) throw new Error('main did not open a window');
    const samples: FirstRenderSample[] = [];
    for (let i = 0; i < runs; i += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const page = await context.newPage();
        const exchanges: IpcExchange[] = [];
        const handled: HandlerTiming[] = [];
        await connectPage(
          page,
          timedHandlers(main.recorder.ipcHandlers, handled),
          window.webContents,
          exchanges,
        );
        // The page says when the heading was painted through a binding it calls. Waiting with Playwright's
        // waitForFunction instead put Playwright's own injected script on the page's main thread between the
        // load event and the paint mark (about 30 ms in a Chromium trace): the harness's work, not the app's.
        let painted = (): void => undefined;
        const headingPainted = new Promise<void>((resolve) => (painted = resolve));
        await page.exposeBinding('__benchHeadingPainted', () => painted());
        await page.addInitScript({ content: MARKS });
        const cdp = await context.newCDPSession(page);
        await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
        await page.goto(main.url, { waitUntil: 'commit' });
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          headingPainted,
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error('the Instances heading was not painted in 15 s')),
              15_000,
            );
          }),
        ]).finally(() => clearTimeout(timer));
        const { metrics } = await cdp.send('Performance.getMetrics');
        const cpuMs = (name: string) =>
          Math.round((metrics.find((m) => m.name === name)?.value ?? NaN) * 1000);
        // Rendered, and the start-up's IPC calls (the selected instance's draft and snapshot) answered.
        await page.waitForFunction(
          () =>
            performance.getEntriesByName('instances-listed-painted').length > 0 &&
            (globalThis as { __benchIpcPending?: number }).__benchIpcPending === 0,
          undefined,
          { timeout: 15_000 },
        );
        // A string, not a function: tsx's name-keeping helpers do not exist in the page.
        const sample = (await page.evaluate(READ_SAMPLE)) as FirstRenderSample;
        samples.push({
          ...sample,
          phases: {
            ...sample.phases,
            handlers: handled,
            mainThreadBusyMs: cpuMs('TaskDuration'),
            mainThreadScriptMs: cpuMs('ScriptDuration'),
          },
        });
      } finally {
        await context.close();
      }
    }
    return { samples, mainStartMs };
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
  const run = await measureFirstRender(Math.max(1, Number(values.runs) || 7));
  process.stdout.write(`${JSON.stringify(run)}\n`);
  // Main's timers (the demo instance, the offline queue) would keep the process alive.
  process.exit(0);
}
