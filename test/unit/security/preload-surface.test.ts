// The preload's window.api, run from source with `electron` mocked at the boundary (there is no Electron
// here). The e2e suite checks the same surface on the BUILT preload in Chromium.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EXPECTED_API_KEYS } from '../../fixtures/window-api-keys';

const exposed = new Map<string, unknown>();
const invoke = vi.fn(async (...args: unknown[]) => ({ ok: true, value: args }));
const listeners = new Map<string, Set<(...a: unknown[]) => void>>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer: {
    invoke,
    on: (channel: string, l: (...a: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
    },
    removeListener: (channel: string, l: (...a: unknown[]) => void) => listeners.get(channel)?.delete(l),
  },
}));

let api: Record<string, (...args: unknown[]) => unknown>;
beforeAll(async () => {
  await import('../../../src/preload/index');
  api = exposed.get('api') as typeof api;
});

describe('preload window.api', () => {
  it('exposes one object, `api`, with exactly the reviewed functions', () => {
    expect([...exposed.keys()]).toEqual(['api']);
    expect(Object.keys(api).sort()).toEqual(EXPECTED_API_KEYS);
    for (const key of EXPECTED_API_KEYS) expect(typeof api[key]).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('each function invokes its own channel with only its one argument', async () => {
    invoke.mockClear();
    await api.instancesSave!({ name: 'x' }, 'extra', 'args');
    await api.infoGet!();
    expect(invoke.mock.calls).toEqual([
      ['app:instances:save', { name: 'x' }],
      ['app:info:get', {}],
    ]);
  });

  it('onApplyProgress strips the IPC event and returns a working unsubscribe', () => {
    const received: unknown[][] = [];
    const off = api.onApplyProgress!((...args: unknown[]) => received.push(args)) as () => void;
    const [listener] = [...listeners.get('app:apply:progress')!];
    listener!({ sender: { secret: 'webContents' } }, { step: 1 });
    expect(received).toEqual([[{ step: 1 }]]);
    off();
    expect(listeners.get('app:apply:progress')!.size).toBe(0);
    expect(() => api.onApplyProgress!('not a function')).toThrow(TypeError);
  });

  it('every event subscription strips the IPC event and unsubscribes', () => {
    for (const [key, channel] of [
      ['onFleetProgress', 'app:fleet:progress'],
      ['onQueueChanged', 'app:queue:changed'],
      ['onWorkspaceChanged', 'app:workspace:changed'],
    ] as const) {
      const received: unknown[][] = [];
      const off = api[key]!((...args: unknown[]) => received.push(args)) as () => void;
      const [listener] = [...listeners.get(channel)!];
      listener!({ sender: { secret: 'webContents' } }, { instanceId: 'a' });
      expect(received).toEqual([[{ instanceId: 'a' }]]);
      off();
      expect(listeners.get(channel)!.size).toBe(0);
    }
  });

  it('the many-instance functions invoke their own channels', async () => {
    invoke.mockClear();
    await api.fleetApply!({ ids: ['a'] });
    await api.queueList!();
    await api.workspaceChoose!({ useDefault: true });
    expect(invoke.mock.calls).toEqual([
      ['app:fleet:apply', { ids: ['a'] }],
      ['app:queue:list', {}],
      ['app:workspace:choose', { useDefault: true }],
    ]);
  });
});
