// Security of the REAL built app in Chromium: everything here is read from the built main through the
// Electron stand-in (window options, guards, IPC handlers) or observed in the page (CSP, window.api).
import { RENDERER_CSP } from '../../src/main/electron/policy';
import { EXPECTED_API_KEYS } from '../fixtures/window-api-keys';
import { callApi, expect, test } from './harness/fixture';

test('main hardens its one window and the app before it opens it', async ({ app }) => {
  const { recorder } = app.main;
  expect(recorder.sandboxEnabled).toBe(true);
  expect(recorder.singleInstanceLockRequested).toBe(true);
  expect(recorder.windows).toHaveLength(1);
  expect(app.windowOptions.webPreferences).toMatchObject({
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    webSecurity: true,
    webviewTag: false,
    allowRunningInsecureContent: false,
  });
  expect((app.windowOptions.webPreferences as { preload: string }).preload).toMatch(
    /out[/\\]preload[/\\]index\.cjs$/,
  );
  expect(recorder.privilegedSchemes).toEqual([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
  // A development run (the fixture sets SPOKESMITH_DEV=1) offers DevTools; npm start and a packaged build do
  // not (test/e2e/dev-switches.spec.ts, test/unit/security/dev-switches.test.ts).
  expect(JSON.stringify(recorder.menuTemplate)).toContain('toggleDevTools');
});

test('the guards main installed deny navigation, popups, webviews, permissions and foreign requests', async ({
  app,
}) => {
  const { recorder } = app.main;
  const contents = recorder.windows[0]!.webContents;
  expect(contents.fire('will-navigate', 'https://evil.example/').defaultPrevented).toBe(true);
  expect(contents.fire('will-redirect', 'https://evil.example/').defaultPrevented).toBe(true);
  expect(contents.fire('will-attach-webview', {}, {}).defaultPrevented).toBe(true);
  expect(contents.windowOpenHandler!({ url: 'https://docs.example/' })).toEqual({ action: 'deny' });
  expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
  await expect
    .poll(() => recorder.openedExternally)
    .toEqual(['https://evil.example/', 'https://docs.example/']);

  let granted: boolean | undefined;
  recorder.guards.permissionRequest!({}, 'media', (g) => (granted = g));
  expect(granted).toBe(false);
  const cancelled = (url: string) => {
    let cancel: boolean | undefined;
    recorder.guards.beforeRequest!({ url }, (r) => (cancel = r.cancel));
    return cancel;
  };
  expect(cancelled(`${app.rendererUrl}assets/x.js`)).toBe(false);
  expect(cancelled('app://spokesmith/index.html')).toBe(false);
  expect(cancelled('https://acme.service-now.com/api/now/table/sys_user')).toBe(true);
});

test('the renderer carries the CSP as a meta tag and as a response header', async ({ app }) => {
  const response = await app.page.goto(app.rendererUrl);
  expect(response?.headers()['content-security-policy']).toBe(RENDERER_CSP);
  const meta = await app.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toBe(RENDERER_CSP);
  // And Chromium enforces it: an inline script does not run.
  const ran = await app.page.evaluate(() => {
    const g = globalThis as unknown as {
      document: {
        createElement(t: string): { textContent: string };
        body: { appendChild(n: unknown): void };
      };
      __inlineRan?: boolean;
    };
    const s = g.document.createElement('script');
    s.textContent = 'globalThis.__inlineRan = true';
    g.document.body.appendChild(s);
    return g.__inlineRan === true;
  });
  expect(ran).toBe(false);
});

test('window.api is exactly the reviewed list of functions, and nothing of Electron leaks into the page', async ({
  app,
}) => {
  const surface = await app.page.evaluate(() => {
    const g = globalThis as unknown as Record<string, unknown>;
    const api = g.api as Record<string, unknown>;
    return {
      keys: Object.keys(api).sort(),
      types: [...new Set(Object.values(api).map((v) => typeof v))],
      hasRequire: typeof g.require,
      hasProcess: typeof g.process,
      hasIpcRenderer: typeof g.ipcRenderer,
    };
  });
  expect(surface.keys).toEqual(EXPECTED_API_KEYS);
  expect(surface.types).toEqual(['function']);
  expect(surface).toMatchObject({
    hasRequire: 'undefined',
    hasProcess: 'undefined',
    hasIpcRenderer: 'undefined',
  });
  // Every channel has a real handler in main (the `on…` keys are event subscriptions, not channels).
  expect([...app.handlers.keys()].length).toBe(EXPECTED_API_KEYS.filter((k) => !/^on[A-Z]/.test(k)).length);
});

test("main's handlers refuse a foreign sender: another window, a subframe, another origin", async ({
  app,
}) => {
  const handler = app.handlers.get('app:instances:list')!;
  const contents = app.main.recorder.windows[0]!.webContents;
  const frame = (url: string, parent: unknown = null) => ({ url, parent });
  const foreign = [
    { sender: { id: contents.id + 1000 }, senderFrame: frame(app.rendererUrl) },
    { sender: contents, senderFrame: frame(app.rendererUrl, {}) },
    { sender: contents, senderFrame: frame('https://evil.example/') },
    { sender: contents, senderFrame: frame('app://spokesmith.evil/') },
  ];
  for (const event of foreign) {
    expect(await handler(event, {})).toMatchObject({ ok: false, code: 'forbidden_sender' });
  }
  // The same handler answers the real page (its main frame, on the trusted origin).
  expect(await callApi(app.page, 'instancesList')).toMatchObject({ ok: true });
});

test('a subframe in the page cannot use window.api', async ({ app }) => {
  // srcdoc frames are not fetched, so the CSP lets them exist; the harness's preload runs in them too,
  // which is stricter than Electron (no preload in subframes): main must still refuse them.
  await app.page.evaluate(() => {
    const d = (
      globalThis as unknown as {
        document: {
          createElement(t: string): Record<string, unknown>;
          body: { appendChild(n: unknown): void };
        };
      }
    ).document;
    const f = d.createElement('iframe');
    f.srcdoc = '<p>child</p>';
    d.body.appendChild(f);
  });
  const child = await expect
    .poll(() => app.page.frames().length)
    .toBe(2)
    .then(() => app.page.frames()[1]!);
  await child.waitForLoadState();
  const answer = await child.evaluate(async () => {
    const api = (globalThis as unknown as { api?: { instancesList(): Promise<unknown> } }).api;
    return api ? api.instancesList() : 'no api';
  });
  // Playwright runs init scripts (our preload) in every frame, so the subframe does have window.api.
  expect(answer).toMatchObject({ ok: false, code: 'forbidden_sender' });
});

test('malformed payloads from the page answer invalid_input', async ({ app }) => {
  for (const [name, input] of [
    ['discoverRun', { id: '../../etc' }],
    ['instancesSave', { name: 'x', url: 'y', authMethod: 'basic', username: 'u', extra: 1 }],
    ['linksOpen', 'https://example.com'],
    ['historyGet', { id: 'local-demo' }],
    ['fleetPlan', { ids: [] }],
    ['fleetApply', { ids: ['local-demo'], concurrency: 1000 }],
    ['templatesSave', { name: '../escape', variables: [], main: {}, clientCred: {} }],
    ['transferExport', { what: 'templates', format: 'csv' }],
    ['queueCancel', {}],
  ] as const) {
    expect(await callApi(app.page, name, input), name).toMatchObject({ ok: false, code: 'invalid_input' });
  }
});
