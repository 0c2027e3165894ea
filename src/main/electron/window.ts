// The one main window: its options (hardened webPreferences) and its creation.
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';

export interface MainWindowOptionsInput {
  preloadPath: string;
  bounds: Partial<Rectangle> & { width: number; height: number };
  title?: string;
  /** From devSwitches(): DevTools cannot be opened at all (not even by shortcut) unless this is true. */
  devTools: boolean;
}

export const MIN_WIDTH = 900;
export const MIN_HEIGHT = 600;

export function mainWindowOptions(input: MainWindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    ...input.bounds,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    title: input.title ?? 'Spokesmith',
    // Shown once the first paint is ready, so no white flash.
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: input.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click opens links in new windows without window.open (1Password electron-secure-defaults).
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      navigateOnDragDrop: false,
      devTools: input.devTools,
    },
  };
}
