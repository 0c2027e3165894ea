// What the app services need from the rest of Spokesmith, as narrow interfaces. Services depend on these;
// engine-port.ts and workspace-port.ts bind them to the engine, client, workspace and simulator modules, so
// a change in one of those is adapted in one file and the services are tested with the real modules behind.
import type { ApplyProgress, ApplyRecord, TokenStatus } from '../../shared/domain/apply';
import type { DesiredState, FieldIssue } from '../../shared/domain/desired-state';
import type { Plan } from '../../shared/domain/plan';
import type { RunBy } from '../../shared/domain/report';
import type { Snapshot } from '../../shared/domain/snapshot';
import type { EventName, EventPayloads, InstanceStatus } from '../../shared/ipc/contract';
import type { SecretStore } from '../secrets/secret-store';
import type { Workspace } from '../workspace';
import type { QueueHost } from './queue-host';
import type { WorkspaceHome } from './workspace-home';
import type { InstanceAuth as ClientAuth } from '../servicenow';
import type { DiscoverOutcome } from '../engine';

export interface InstanceRecord {
  id: string;
  name: string;
  /** The instance origin, e.g. https://acme.service-now.com. */
  url: string;
  authMethod: 'basic' | 'oauth';
  username: string;
  clientId?: string;
  isDemo: boolean;
  /** Template variables, e.g. `{ customer: 'ACME' }`. */
  variables?: Record<string, string>;
  /** The template last applied to this instance's drafts. */
  template?: string;
  createdAt: string;
  updatedAt: string;
}

export interface InstanceState {
  status: InstanceStatus;
  statusMessage: string | null;
  lastDiscoveredAt: string | null;
}

/** A form as typed: any field may be missing or wrong. */
export type DraftForm = Record<string, string | boolean | number | string[] | null>;
export interface StoredDraft {
  main: DraftForm;
  clientCred: DraftForm;
  updatedAt: string;
}

export interface WorkspacePort {
  listInstances(): Promise<InstanceRecord[]>;
  getInstance(id: string): Promise<InstanceRecord | null>;
  saveInstance(record: InstanceRecord): Promise<void>;
  removeInstance(id: string): Promise<boolean>;
  getState(id: string): Promise<InstanceState>;
  setState(id: string, state: InstanceState): Promise<void>;
  getDraft(id: string): Promise<StoredDraft | null>;
  saveDraft(id: string, draft: StoredDraft): Promise<void>;
  latestSnapshot(id: string): Promise<Snapshot | null>;
  saveSnapshot(id: string, snapshot: Snapshot): Promise<void>;
  /** The folder where the engine keeps this instance's journals and apply records. */
  instanceDir(id: string): string;
  /** The instance id a URL gets (a slug of its host). */
  instanceIdFromUrl(url: string): string;
  /**
   * The workspace store itself, for the fleet, templates and import/export modules that take it whole.
   * Always the current one: the user may point the workspace at another folder while the app runs.
   */
  store(): Workspace;
}

/** How a client signs in: the client's own type (type-only: the seam stays free of the module). */
export type { InstanceAuth as ClientAuth } from '../servicenow';

/** The client is opaque to the services: it is only handed back to the engine. */
export type Client = object;

export type { DiscoverOutcome } from '../engine';

export interface EnginePort {
  /** A normalized instance origin, or a plain-words reason it is not one. */
  normalizeInstanceUrl(input: string): { ok: true; url: string } | { ok: false; message: string };
  createClient(instanceUrl: string, auth: ClientAuth): Client;
  /** Releases the client's kept-alive sockets; it is not used afterwards. */
  closeClient(client: Client): void;
  /** The one authenticated call that proves credentials work; throws the client's ServiceNowError. */
  whoami(client: Client): Promise<{ userName: string; roles: string[] }>;
  discover(client: Client, desired: DesiredState): Promise<DiscoverOutcome>;
  checkAgainstSnapshot(desired: DesiredState, snapshot: Snapshot): FieldIssue[];
  buildPlan(snapshot: Snapshot, desired: DesiredState, now: Date): Plan;
  applyPlan(input: {
    client: Client;
    plan: Plan;
    dir: string;
    onProgress: (progress: ApplyProgress) => void;
  }): Promise<ApplyRecord>;
  /** Finishes an interrupted apply, or takes up a failed one again; null when there is nothing to resume. */
  resumeApply(input: {
    client: Client;
    dir: string;
    onProgress: (progress: ApplyProgress) => void;
  }): Promise<ApplyRecord | null>;
  planRollback(record: ApplyRecord, snapshot: Snapshot): Plan;
  applyRollback(input: {
    client: Client;
    dir: string;
    record: ApplyRecord;
    plan: Plan;
    onProgress: (progress: ApplyProgress) => void;
  }): Promise<ApplyRecord>;
  /** Newest first. */
  listRecords(dir: string): Promise<ApplyRecord[]>;
  getRecord(dir: string, applyId: string): Promise<ApplyRecord | null>;
  renderReport(
    record: ApplyRecord,
    options: { format: 'html' | 'json'; instanceName: string; runBy?: RunBy },
  ): Promise<string>;
  tokenStatus(client: Client, snapshot: Snapshot | null, records: ApplyRecord[]): Promise<TokenStatus[]>;
}

/** The embedded demo instance (the simulator), when it runs. */
export interface DemoInstance {
  instanceId: string;
  url: string;
  auth: ClientAuth;
}

export interface AppLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  registerSecret(value: string | undefined | null): void;
}

export type EmitEvent = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

export interface AppDeps {
  workspace: WorkspacePort;
  engine: EnginePort;
  secrets: { store: SecretStore; available: boolean; message: string };
  demo: DemoInstance | null;
  logger: AppLogger;
  emit: EmitEvent;
  /** Which folder the workspace is in, and pointing it at another one. */
  home: WorkspaceHome;
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

export type SaveFormat = 'html' | 'json' | 'csv';

export interface OpenRequest {
  what: 'instances' | 'templates';
  /** File types the dialog offers. */
  formats: ('csv' | 'json')[];
}
