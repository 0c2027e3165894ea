// What the app services are given when main starts them: the workspace folder, the keychain, the demo
// instance, the offline queue, and the Electron-side edges (dialogs, shell, window events) that main
// injects so the services run without Electron in tests.
import type { EventName, EventPayloads } from '../../shared/ipc/contract';
import type { InstanceAuth } from '../operations';
import type { DemoEntra } from './demo';
import type { SecretStore } from '../secrets/secret-store';
import type { QueueHost } from './queue-host';
import type { WorkspaceHome } from './workspace-home';

/** The embedded demo instance (the simulator), when it runs. */
export interface DemoInstance {
  instanceId: string;
  url: string;
  auth: InstanceAuth;
  /** The simulator's stand-in for Entra ID: the demo instance's Entra check always asks it. */
  entra?: DemoEntra;
}

export interface AppLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  registerSecret(value: string | undefined | null): void;
}

export type EmitEvent = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

export type SaveFormat = 'html' | 'json' | 'csv';

export interface OpenRequest {
  what: 'instances' | 'templates';
  /** File types the dialog offers. */
  formats: ('csv' | 'json')[];
}

export interface AppDeps {
  /** Which folder the workspace is in (always read the current one: the user may switch it). */
  home: WorkspaceHome;
  /** The app's data folder: machine-local settings live there (settings.ts). */
  userDataDir: string;
  secrets: { store: SecretStore; available: boolean; message: string };
  demo: DemoInstance | null;
  logger: AppLogger;
  emit: EmitEvent;
  /** Applies waiting for their instance to answer. */
  queue: QueueHost;
  /** Asks the user where to save a file; null when they cancel. Injected: main owns the dialog. */
  chooseSavePath(suggestedName: string, format: SaveFormat): Promise<string | null>;
  /** Asks the user for a file to import; null when they cancel. */
  chooseOpenPath(request: OpenRequest): Promise<string | null>;
  /** Asks the user for a workspace folder (starting at `current`); null when they cancel. */
  chooseFolder(current: string): Promise<string | null>;
  /** Hands a link to the system browser. Injected: main owns `shell`. */
  openExternal(url: string): Promise<void>;
  now(): Date;
  version: string;
}
