// The composition root: Electron lifecycle and wiring only. Every decision lives in a module that can be
// tested without Electron (src/main/electron/policy.ts, src/main/ipc, src/main/app).
import { join, resolve } from 'node:path';
import {
  BrowserWindow,
  Menu,
  app,
  dialog,
  ipcMain,
  protocol,
  screen,
  session,
  shell,
  type OpenDialogOptions,
} from 'electron';
import { startAppCore, type AppCore } from './app/bootstrap';
import { startDemoSimulator } from './app/demo-simulator';
import { devSwitches } from './electron/dev-switches';
import { installGuards } from './electron/guards';
import { createEventSender, registerIpcHandlers } from './electron/ipc-adapter';
import { HELP_URL, buildMenuTemplate } from './electron/menu';
import { APP_ENTRY_URL, isAllowedExternalUrl, trustedRendererOrigins } from './electron/policy';
import { registerAppScheme, serveRenderer } from './electron/protocol';
import { MIN_HEIGHT, MIN_WIDTH, mainWindowOptions } from './electron/window';
import { clampToDisplays, loadWindowState, trackWindowState } from './electron/window-state';
import { createIpcRouter } from './ipc/router';
import { createSenderCheck } from './ipc/sender';

const SAVE_FILTER_NAMES = { html: 'HTML report', json: 'JSON file', csv: 'CSV spreadsheet' } as const;

// --- Before ready ---

// Development and test overrides: only an unpackaged run started with --spokesmith-dev or SPOKESMITH_DEV=1
// honours them, a packaged build never (src/main/electron/dev-switches.ts).
const dev = devSwitches({ isPackaged: app.isPackaged, argv: process.argv, env: process.env });
if (dev.userDataDir) app.setPath('userData', resolve(dev.userDataDir));
const rendererUrl = dev.rendererUrl;
const trustedOrigins = trustedRendererOrigins(rendererUrl);

app.enableSandbox();
registerAppScheme(protocol);

let mainWindow: BrowserWindow | null = null;
let core: AppCore | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) void openMainWindow();
  });
  let closing = false;
  app.on('will-quit', (event) => {
    if (closing || !core) return;
    // Stop the demo simulator and flush the log before the process goes.
    event.preventDefault();
    closing = true;
    void core.close().finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      dialog.showErrorBox(
        'Spokesmith could not start',
        error instanceof Error ? error.message : String(error),
      );
      app.exit(1);
    });
}

// --- Ready ---

async function start(): Promise<void> {
  const userDataDir = app.getPath('userData');
  core = await startAppCore({
    userDataDir,
    version: app.getVersion(),
    forceMemorySecrets: dev.memorySecrets,
    startDemo: startDemoSimulator,
    emit: createEventSender(() => mainWindow?.webContents ?? null),
    chooseSavePath: async (suggestedName, format) => {
      const options = {
        defaultPath: join(app.getPath('documents'), suggestedName),
        filters: [{ name: SAVE_FILTER_NAMES[format], extensions: [format] }],
      };
      const result = mainWindow
        ? await dialog.showSaveDialog(mainWindow, options)
        : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    chooseOpenPath: async ({ what, formats }) => {
      const options: OpenDialogOptions = {
        defaultPath: app.getPath('documents'),
        properties: ['openFile'],
        filters: [{ name: what === 'instances' ? 'Instance list' : 'Templates', extensions: formats }],
      };
      const result = mainWindow
        ? await dialog.showOpenDialog(mainWindow, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    chooseFolder: async (current) => {
      const options: OpenDialogOptions = {
        title: 'Choose the workspace folder',
        defaultPath: current,
        properties: ['openDirectory', 'createDirectory'],
      };
      const result = mainWindow
        ? await dialog.showOpenDialog(mainWindow, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    openExternal: (url) => shell.openExternal(url),
    // The browser journeys drive the queue with "Try now" only, so its backoff never races their checks.
    ...(dev.manualQueueTimer ? { queueSchedule: () => () => undefined } : {}),
  });
  const logger = core.logger;
  if (dev.ignored.length) logger.warn('development switches ignored', { switches: dev.ignored.join(', ') });

  installGuards({ app, session: session.defaultSession, shell, trustedOrigins, logger });
  serveRenderer(protocol, join(import.meta.dirname, '../renderer'));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        devTools: dev.devTools,
        platform: process.platform,
        appName: app.name,
        openHelp: () => {
          if (isAllowedExternalUrl(HELP_URL)) void shell.openExternal(HELP_URL);
        },
      }),
    ),
  );

  const router = createIpcRouter({
    services: core.services,
    isTrustedSender: createSenderCheck({
      isOurWebContents: (id) =>
        mainWindow !== null && !mainWindow.isDestroyed() && mainWindow.webContents.id === id,
      trustedOrigins,
    }),
    logger,
  });
  registerIpcHandlers(ipcMain, router);
  await openMainWindow();
}

async function openMainWindow(): Promise<void> {
  const userDataDir = app.getPath('userData');
  const stateFile = join(userDataDir, 'window-state.json');
  const saved = await loadWindowState(stateFile);
  const state = clampToDisplays(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
    { width: MIN_WIDTH, height: MIN_HEIGHT },
  );
  const { maximized, ...bounds } = state;
  const window = new BrowserWindow(
    mainWindowOptions({
      preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
      bounds,
      devTools: dev.devTools,
    }),
  );
  mainWindow = window;
  trackWindowState(window, stateFile, (error) =>
    core?.logger.warn('Window state not saved', { error: String(error) }),
  );
  window.once('ready-to-show', () => {
    if (maximized) window.maximize();
    window.show();
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  await window.loadURL(rendererUrl ?? APP_ENTRY_URL);
}
