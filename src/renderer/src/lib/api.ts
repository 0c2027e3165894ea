// The renderer's only door to main. Components import `api` from here (never `window.api` directly) so
// component tests mock this one module, and so a broken IPC call (preload missing, main crashed) becomes
// the same `{ ok: false }` result every caller already handles instead of an exception.
import type { Api } from '../../../shared/ipc/contract';

type Bridge = Record<string, (...args: unknown[]) => unknown>;

function bridge(): Bridge {
  const found = (globalThis as unknown as { api?: Api }).api;
  if (!found) throw new Error('The app bridge is missing: the preload script did not run.');
  return found as unknown as Bridge;
}

async function invoke(name: string, input: unknown): Promise<unknown> {
  try {
    return await bridge()[name]!(input);
  } catch (error) {
    return {
      ok: false,
      code: 'internal',
      message: error instanceof Error ? error.message : 'The app could not reach its main process.',
    };
  }
}

export const api: Api = new Proxy({} as Api, {
  get(_target, key) {
    if (typeof key !== 'string') return undefined;
    // Event subscriptions (onApplyProgress, onQueueChanged, onWorkspaceChanged…): a missing bridge or an
    // older preload without the event means "no events", never an exception in a component.
    if (/^on[A-Z]/.test(key)) {
      return (listener: unknown) => {
        try {
          const unsubscribe = bridge()[key]!(listener);
          return typeof unsubscribe === 'function' ? unsubscribe : () => {};
        } catch {
          return () => {};
        }
      };
    }
    return (input: unknown) => invoke(key, input);
  },
});
