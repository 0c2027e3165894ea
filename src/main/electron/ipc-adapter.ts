// The ONLY place that touches ipcMain: it hands every declared channel to the Electron-free router and
// sends progress events to the main window.
import type { IpcMain, WebContents } from 'electron';
import type { EventName, EventPayloads } from '../../shared/ipc/contract';
import type { IpcRouter } from '../ipc/router';

export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle'>, router: IpcRouter): void {
  for (const channel of router.channels) {
    ipcMain.handle(channel, (event, raw: unknown) => router.handle(channel, event, raw));
  }
}

export type EventSender = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

/** Events go to our window only, and are dropped while it is gone (closing it must not crash an apply). */
export function createEventSender(
  getContents: () => Pick<WebContents, 'send' | 'isDestroyed'> | null,
): EventSender {
  return (event, payload) => {
    const contents = getContents();
    if (contents && !contents.isDestroyed()) contents.send(event, payload);
  };
}
