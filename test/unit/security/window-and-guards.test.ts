import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardWebContents, installGuards } from '../../../src/main/electron/guards';
import { buildMenuTemplate } from '../../../src/main/electron/menu';
import { RENDERER_CSP } from '../../../src/main/electron/policy';
import { mainWindowOptions } from '../../../src/main/electron/window';

type Handler = (...args: never[]) => unknown;

class FakeContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h;
  }
  fire(name: string, ...args: unknown[]) {
    const e = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    this.emit(name, e, ...args);
    return e.prevented;
  }
}

function fakes() {
  const opened: string[] = [];
  const warnings: string[] = [];
  const session: Record<string, Handler | undefined> = {};
  const webRequest: Record<string, Handler | undefined> = {};
  const app = new EventEmitter();
  const fakeSession = {
    setPermissionRequestHandler: (h: Handler) => (session.request = h),
    setPermissionCheckHandler: (h: Handler) => (session.check = h),
    setDevicePermissionHandler: (h: Handler) => (session.device = h),
    webRequest: {
      onBeforeRequest: (h: Handler) => (webRequest.before = h),
      onHeadersReceived: (h: Handler) => (webRequest.headers = h),
    },
  };
  installGuards({
    app: app as never,
    session: fakeSession as never,
    shell: { openExternal: async (url: string) => void opened.push(url) },
    trustedOrigins: ['app://spokesmith'],
    logger: { warn: (m) => void warnings.push(m) },
  });
  return { opened, warnings, session, webRequest, app };
}

describe('main window options', () => {
  it('are hardened: sandbox, context isolation, no node, web security, no webview', () => {
    const options = mainWindowOptions({
      preloadPath: '/app/out/preload/index.cjs',
      bounds: { width: 1000, height: 700 },
      devTools: false,
    });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
  });

  it('allow DevTools only when the development switches say so', () => {
    const input = { preloadPath: '/p.cjs', bounds: { width: 1000, height: 700 } };
    expect(mainWindowOptions({ ...input, devTools: false }).webPreferences?.devTools).toBe(false);
    expect(mainWindowOptions({ ...input, devTools: true }).webPreferences?.devTools).toBe(true);
  });
});

describe('guards', () => {
  it('deny navigation, redirects, webviews and window.open; open only https links externally', async () => {
    const { app, opened } = fakes();
    const contents = new FakeContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.fire('will-navigate', 'https://docs.example/page')).toBe(true);
    expect(contents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.fire('will-redirect', 'https://elsewhere.example/')).toBe(true);
    expect(contents.fire('will-attach-webview', {}, {})).toBe(true);
    expect(contents.openHandler!({ url: 'https://docs.example/other' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'http://plain.example/' })).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(opened).toEqual(['https://docs.example/page', 'https://docs.example/other']);
  });

  it('deny every permission request and check', () => {
    const { session } = fakes();
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal']) {
      let granted: boolean | undefined;
      (session.request as (c: unknown, p: string, cb: (g: boolean) => void) => void)(
        {},
        permission,
        (g) => (granted = g),
      );
      expect(granted, permission).toBe(false);
    }
    expect((session.check as () => boolean)()).toBe(false);
    expect((session.device as () => boolean)()).toBe(false);
  });

  it('cancel renderer requests to anything but the app itself, and add the CSP header', () => {
    const { webRequest } = fakes();
    const before = webRequest.before as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void;
    const answer = (url: string) => {
      let cancel: boolean | undefined;
      before({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(answer('app://spokesmith/index.html')).toBe(false);
    expect(answer('https://acme.service-now.com/api/now/table/incident')).toBe(true);
    expect(answer('http://127.0.0.1:9999/')).toBe(true);
    let headers: Record<string, string[]> | undefined;
    (
      webRequest.headers as (
        d: unknown,
        cb: (r: { responseHeaders: Record<string, string[]> }) => void,
      ) => void
    )(
      { url: 'app://spokesmith/', responseHeaders: { 'X-Other': ['1'] } },
      (r) => (headers = r.responseHeaders),
    );
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [RENDERER_CSP] });
  });

  it('guardWebContents can be applied to a single webContents', () => {
    const contents = new FakeContents();
    const urls: string[] = [];
    guardWebContents(contents as never, (url) => void urls.push(url), { warn: () => undefined });
    expect(contents.fire('will-navigate', 'https://x.example/')).toBe(true);
    expect(urls).toEqual(['https://x.example/']);
  });
});

describe('application menu', () => {
  const labels = (devTools: boolean) =>
    JSON.stringify(
      buildMenuTemplate({
        devTools,
        platform: 'linux',
        appName: 'Spokesmith',
        openHelp: () => {},
      }),
    );

  it('has File, Edit, View, Window, Help and offers DevTools only in a development run', () => {
    const template = buildMenuTemplate({
      devTools: false,
      platform: 'linux',
      appName: 'Spokesmith',
      openHelp: () => {},
    });
    expect(template.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(labels(false)).not.toContain('toggleDevTools');
    expect(labels(true)).toContain('toggleDevTools');
  });
});
