// The sandboxed preload: exposes ONE object, `window.api`, with one named function per IPC channel and
// one subscription per event. Never `ipcRenderer` itself, never a generic `invoke(channel, …)`
// (Electron security checklist item 20). It bundles only the zod-free channel list; main validates
// every payload, so nothing here trusts the renderer either.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  apiName,
  eventApiName,
  isChannelName,
  isEventName,
  type ChannelName,
  type EventName,
} from '../shared/ipc/channels';

function invoke(channel: ChannelName, input: unknown): Promise<unknown> {
  // Belt and braces: the table below only holds known channels, but refuse anything else outright.
  if (!isChannelName(channel)) return Promise.reject(new Error('Unknown IPC channel.'));
  // Channels without parameters take `{}`; let the renderer call them with no argument.
  return ipcRenderer.invoke(channel, input === undefined ? {} : input);
}

function subscribe(event: EventName, listener: unknown): () => void {
  if (!isEventName(event)) throw new Error('Unknown IPC event.');
  if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
  // Strip the IpcRendererEvent: it carries `sender`, which must never reach page code.
  const wrapped = (_event: IpcRendererEvent, payload: unknown) => (listener as (p: unknown) => void)(payload);
  ipcRenderer.on(event, wrapped);
  return () => {
    ipcRenderer.removeListener(event, wrapped);
  };
}

const api: Record<string, unknown> = {};
for (const channel of CHANNEL_NAMES) {
  api[apiName(channel)] = (input?: unknown) => invoke(channel, input);
}
for (const event of EVENT_NAMES) {
  api[eventApiName(event)] = (listener: unknown) => subscribe(event, listener);
}

contextBridge.exposeInMainWorld('api', Object.freeze(api));
