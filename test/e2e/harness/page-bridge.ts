// Runs the REAL built preload (out/preload/index.cjs) in the page with a stand-in `require('electron')`,
// and carries its ipcRenderer.invoke calls to the handlers the real main registered — the one piece of
// Electron replaced. Every response is recorded (the no-leak tests read them).
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { FakeWebContents, IpcHandler } from './electron-stand-in';
import { OUT_PRELOAD } from './paths';

export interface IpcExchange {
  channel: string;
  input: unknown;
  response: unknown;
}

const BINDING = '__spokesmithIpcInvoke';
const DELIVER = '__spokesmithIpcDeliver';

/** Page-side stand-in for `electron` inside the preload: contextBridge and ipcRenderer only. */
function preloadScript(preloadSource: string): string {
  return `(() => {
  const listeners = new Map();
  const electron = {
    contextBridge: {
      exposeInMainWorld(key, value) {
        Object.defineProperty(window, key, { value, enumerable: true, configurable: false, writable: false });
      },
    },
    ipcRenderer: {
      invoke: (channel, ...args) => window[${JSON.stringify(BINDING)}](channel, args[0]),
      on(channel, listener) {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel).add(listener);
        return electron.ipcRenderer;
      },
      removeListener(channel, listener) {
        listeners.get(channel)?.delete(listener);
        return electron.ipcRenderer;
      },
    },
  };
  electron.ipcRenderer.off = electron.ipcRenderer.removeListener;
  Object.defineProperty(window, ${JSON.stringify(DELIVER)}, {
    value: (channel, payload) => {
      const event = { sender: null };
      for (const l of [...(listeners.get(channel) ?? [])]) l(event, payload);
    },
  });
  const require = (name) => {
    if (name === 'electron') return electron;
    throw new Error('The sandboxed preload may require only electron, not ' + name);
  };
  const module = { exports: {} };
  (function (require, module, exports) {
${preloadSource}
  })(require, module, module.exports);
})();`;
}

export async function connectPage(
  page: Page,
  handlers: Map<string, IpcHandler>,
  contents: FakeWebContents,
  exchanges: IpcExchange[],
): Promise<void> {
  // Events main sent before it answered an invoke reach the page before that answer, as over Electron's
  // one IPC pipe: each delivery is chained, and an answer waits for the deliveries queued before it.
  let delivered: Promise<unknown> = Promise.resolve();
  await page.exposeBinding(BINDING, async ({ frame }, channel: unknown, input: unknown) => {
    const handler = typeof channel === 'string' ? handlers.get(channel) : undefined;
    if (!handler) throw new Error(`No handler for IPC channel ${String(channel)}`);
    // What Electron's IpcMainInvokeEvent would say about this sender: our window, and the real frame.
    const event = {
      sender: contents,
      senderFrame: { url: frame.url(), parent: frame.parentFrame() ? {} : null },
    };
    const response = await handler(event, input);
    exchanges.push({ channel: String(channel), input, response });
    await delivered;
    return response;
  });
  contents.deliver = (channel, payload) => {
    delivered = delivered
      .then(() =>
        page.evaluate(
          ([name, ch, p]) =>
            (globalThis as unknown as Record<string, (c: string, p: unknown) => void>)[name]!(ch, p),
          [DELIVER, channel, payload] as const,
        ),
      )
      .catch(() => undefined);
  };
  await page.addInitScript({ content: preloadScript(readFileSync(OUT_PRELOAD, 'utf8')) });
}
