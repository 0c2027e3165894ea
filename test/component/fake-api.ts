// The one boundary component tests replace: the renderer's `api` module (window.api behind it belongs to
// the preload and main). Every function is a vi.fn answering like main would; tests override per case.
import { vi, type Mock } from 'vitest';
import type {
  Api,
  FleetProgressEvent,
  QueueView,
  WorkspaceChangedEvent,
} from '../../src/shared/ipc/contract';
import type { ApplyProgress } from '../../src/shared/domain/apply';
import { appInfo, draftOf, instances, workspaceInfo } from './fixtures';

type FakeApi = { [K in keyof Api]: Mock<Api[K]> };

const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });

export const progressListeners = new Set<(p: ApplyProgress) => void>();
export const fleetListeners = new Set<(p: FleetProgressEvent) => void>();
export const queueListeners = new Set<(q: QueueView) => void>();
export const workspaceListeners = new Set<(e: WorkspaceChangedEvent) => void>();

function defaults(): FakeApi {
  return {
    infoGet: vi.fn(() => ok(appInfo())),
    instancesList: vi.fn(() => ok(instances())),
    instancesSave: vi.fn(),
    instancesRemove: vi.fn(() => ok({ removed: true })),
    instancesTest: vi.fn(),
    draftsGet: vi.fn(() => ok(draftOf())),
    draftsSave: vi.fn(() => ok({ savedAt: new Date().toISOString(), revision: 'aaaaaaaaaaaaaaaa' })),
    discoverRun: vi.fn(),
    planCreate: vi.fn(),
    applyRun: vi.fn(),
    applyResume: vi.fn(),
    rollbackPlan: vi.fn(),
    rollbackRun: vi.fn(),
    historyList: vi.fn(() => ok([])),
    historyGet: vi.fn(),
    reportExport: vi.fn(),
    tokensStatus: vi.fn(),
    linksOpen: vi.fn(() => ok({ opened: true })),
    snapshotGet: vi.fn(() => ok({ snapshot: null, snapshotAgeSeconds: null })),
    fleetPlan: vi.fn(),
    fleetApply: vi.fn(),
    queueList: vi.fn(() => ok({ items: [], network: [] })),
    queueCancel: vi.fn(() => ok({ cancelled: true })),
    queueDrain: vi.fn(() => ok({ items: [], network: [] })),
    queueClear: vi.fn(() => ok({ items: [], network: [] })),
    driftCheck: vi.fn(),
    templatesList: vi.fn(() => ok([])),
    templatesSave: vi.fn(),
    templatesRemove: vi.fn(() => ok({ removed: true })),
    templatesApply: vi.fn(),
    transferExport: vi.fn(),
    transferImport: vi.fn(),
    workspaceInfo: vi.fn(() => ok(workspaceInfo())),
    workspaceChoose: vi.fn(),
    entraStatus: vi.fn(() =>
      ok({
        secretStored: false,
        authority: 'https://login.microsoftonline.com',
        standIn: false,
        demoApp: null,
      }),
    ),
    entraSecret: vi.fn(() => ok({ secretStored: true })),
    entraForget: vi.fn(() => ok({ secretStored: false })),
    entraCheck: vi.fn(),
    entraDemo: vi.fn(),
    walkupCheck: vi.fn(() => ok({ flows: [], readAt: null })),
    settingsGet: vi.fn(() =>
      ok({
        entraAuthority: 'https://login.microsoftonline.com',
        defaultEntraAuthority: 'https://login.microsoftonline.com',
      }),
    ),
    settingsSave: vi.fn(),
    onApplyProgress: vi.fn((listener: (p: ApplyProgress) => void) => {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    }),
    onFleetProgress: vi.fn((listener: (p: FleetProgressEvent) => void) => {
      fleetListeners.add(listener);
      return () => fleetListeners.delete(listener);
    }),
    onQueueChanged: vi.fn((listener: (q: QueueView) => void) => {
      queueListeners.add(listener);
      return () => queueListeners.delete(listener);
    }),
    onWorkspaceChanged: vi.fn((listener: (e: WorkspaceChangedEvent) => void) => {
      workspaceListeners.add(listener);
      return () => workspaceListeners.delete(listener);
    }),
  } as FakeApi;
}

export const api = defaults();

export function resetApi(): FakeApi {
  progressListeners.clear();
  fleetListeners.clear();
  queueListeners.clear();
  workspaceListeners.clear();
  Object.assign(api, defaults());
  return api;
}

export { ok };
