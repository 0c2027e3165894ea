// The standard application menu: File / Edit / View / Window / Help, with reload and DevTools only in a
// development run (src/main/electron/dev-switches.ts).
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  /** From devSwitches(): false in every packaged build and every run without the development flag. */
  devTools: boolean;
  platform: NodeJS.Platform;
  appName: string;
  openHelp(): void;
}

export const HELP_URL = 'https://github.com/spokesmith/spokesmith#readme';

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (options.devTools) {
    view.unshift(
      { role: 'reload' },
      { role: 'forceReload' },
      { role: 'toggleDevTools' },
      { type: 'separator' },
    );
  }
  return [
    ...(mac ? [{ label: options.appName, role: 'appMenu' as const }] : []),
    { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    { label: 'Edit', role: 'editMenu' },
    { label: 'View', submenu: view },
    { label: 'Window', role: 'windowMenu' },
    {
      label: 'Help',
      role: 'help',
      submenu: [{ label: 'Spokesmith documentation', click: () => options.openHelp() }],
    },
  ];
}
