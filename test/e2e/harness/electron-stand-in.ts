// A stand-in for the `electron` module, for running the REAL built main (out/main/index.js) in the test
// process. It implements just what main calls and records everything security-relevant (window options,
// guards, protocol handlers, IPC handlers), so tests read them from the real main. Only Electron's IPC
// transport is replaced: the page bridge (page-bridge.ts) calls the handlers main registered here.
import { EventEmitter } from 'node:events';

/** An event object with preventDefault, as Electron passes to `will-navigate` and friends. */
export interface RecordedEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}
export const makeEvent = (): RecordedEvent => {
  const e = { defaultPrevented: false, preventDefault: () => (e.defaultPrevented = true) };
  return e;
};

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };
type Listener = (...args: unknown[]) => unknown;

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  windowOpenHandler: WindowOpenHandler | null = null;
  destroyed = false;
  readonly sent: { channel: string; payload: unknown }[] = [];
  /** Set by the page bridge: delivers main → renderer events into the page. */
  deliver: ((channel: string, payload: unknown) => void) | null = null;

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
    this.deliver?.(channel, payload);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Fires a listener the way Electron would and says whether it was prevented. */
  fire(event: string, ...args: unknown[]): RecordedEvent {
    const e = makeEvent();
    this.emit(event, e, ...args);
    return e;
  }
}

export interface RecordedGuards {
  permissionRequest:
    ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null;
  permissionCheck: ((...args: unknown[]) => boolean) | null;
  devicePermission: ((...args: unknown[]) => boolean) | null;
  beforeRequest: ((details: { url: string }, callback: (r: { cancel: boolean }) => void) => void) | null;
  headersReceived:
    | ((
        details: { url: string; responseHeaders?: Record<string, string[]> },
        callback: (r: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void)
    | null;
}

export interface StandInOptions {
  userDataDir: string;
  documentsDir: string;
  version: string;
  /** What the save dialog answers (a path, or null for Cancel). */
  savePath?: () => string | null;
}

export type IpcHandler = (event: unknown, ...args: unknown[]) => unknown;

export function createElectronStandIn(options: StandInOptions) {
  const recorder = {
    sandboxEnabled: false,
    singleInstanceLockRequested: false,
    privilegedSchemes: [] as unknown[],
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    ipcHandlers: new Map<string, IpcHandler>(),
    windows: [] as FakeBrowserWindow[],
    guards: {
      permissionRequest: null,
      permissionCheck: null,
      devicePermission: null,
      beforeRequest: null,
      headersReceived: null,
    } as RecordedGuards,
    menuTemplate: null as unknown,
    openedExternally: [] as string[],
    errorBoxes: [] as { title: string; content: string }[],
    exitCode: null as number | null,
  };

  let resolveLoaded!: (url: string) => void;
  const loaded = new Promise<string>((r) => (resolveLoaded = r));
  let resolveReady!: () => void;
  const readyPromise = new Promise<void>((r) => (resolveReady = r));
  let resolveQuit!: () => void;
  const quitPromise = new Promise<void>((r) => (resolveQuit = r));

  const paths = new Map<string, string>([
    ['userData', options.userDataDir],
    ['documents', options.documentsDir],
  ]);

  class AppStandIn extends EventEmitter {
    readonly isPackaged = false;
    readonly name = 'Spokesmith';
    enableSandbox() {
      recorder.sandboxEnabled = true;
    }
    requestSingleInstanceLock() {
      recorder.singleInstanceLockRequested = true;
      return true;
    }
    whenReady() {
      return readyPromise;
    }
    getPath(name: string) {
      const p = paths.get(name);
      if (!p) throw new Error(`stand-in: no path "${name}"`);
      return p;
    }
    setPath(name: string, value: string) {
      paths.set(name, value);
    }
    getVersion() {
      return options.version;
    }
    quit() {
      this.emit('before-quit', makeEvent());
      const e = makeEvent();
      this.emit('will-quit', e);
      if (!e.defaultPrevented) {
        this.emit('quit', makeEvent(), 0);
        resolveQuit();
      }
    }
    exit(code = 0) {
      recorder.exitCode = code;
      resolveQuit();
    }
  }
  const app = new AppStandIn();

  class FakeBrowserWindow extends EventEmitter {
    static getAllWindows() {
      return recorder.windows.filter((w) => !w.destroyed);
    }
    readonly webContents = new FakeWebContents();
    loadedUrl: string | null = null;
    destroyed = false;
    shown = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      recorder.windows.push(this);
      app.emit('web-contents-created', makeEvent(), this.webContents);
    }
    async loadURL(url: string) {
      this.loadedUrl = url;
      this.emit('ready-to-show');
      resolveLoaded(url);
    }
    show() {
      this.shown = true;
    }
    maximize() {}
    isMaximized() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
    isDestroyed() {
      return this.destroyed;
    }
    getNormalBounds() {
      const o = this.options as { x?: number; y?: number; width: number; height: number };
      return { x: o.x ?? 0, y: o.y ?? 0, width: o.width, height: o.height };
    }
    close() {
      this.emit('close', makeEvent());
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
  }

  const on =
    (key: keyof RecordedGuards) =>
    (handler: unknown): void => {
      (recorder.guards as unknown as Record<string, unknown>)[key] = handler;
    };

  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle(channel: string, handler: IpcHandler) {
        if (recorder.ipcHandlers.has(channel))
          throw new Error(`Attempted to register a second handler for '${channel}'`);
        recorder.ipcHandlers.set(channel, handler);
      },
      on() {
        throw new Error('stand-in: main must use ipcMain.handle (invoke/handle only)');
      },
    },
    protocol: {
      registerSchemesAsPrivileged(schemes: unknown[]) {
        recorder.privilegedSchemes.push(...schemes);
      },
      handle(scheme: string, handler: (request: Request) => Promise<Response>) {
        recorder.protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: on('permissionRequest'),
        setPermissionCheckHandler: on('permissionCheck'),
        setDevicePermissionHandler: on('devicePermission'),
        webRequest: { onBeforeRequest: on('beforeRequest'), onHeadersReceived: on('headersReceived') },
      },
    },
    shell: {
      async openExternal(url: string) {
        recorder.openedExternally.push(url);
      },
    },
    Menu: {
      buildFromTemplate(template: unknown) {
        return { template };
      },
      setApplicationMenu(menu: { template: unknown } | null) {
        recorder.menuTemplate = menu?.template ?? null;
      },
    },
    screen: {
      getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
    },
    dialog: {
      async showSaveDialog(..._args: unknown[]) {
        const path = options.savePath?.() ?? null;
        return path ? { canceled: false, filePath: path } : { canceled: true, filePath: '' };
      },
      showErrorBox(title: string, content: string) {
        recorder.errorBoxes.push({ title, content });
      },
    },
  };

  return {
    electron,
    recorder,
    /** Resolves with the URL main loads into its window. */
    loaded,
    /** Resolves once main has quit (or exited). */
    quitted: quitPromise,
    ready: () => resolveReady(),
  };
}

export type ElectronStandIn = ReturnType<typeof createElectronStandIn>;
export type FakeBrowserWindow = ElectronStandIn['recorder']['windows'][number];
export type { Listener };
