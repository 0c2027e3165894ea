// What the CLI needs from the rest of Spokesmith, as one narrow interface. Commands depend on this, not
// on the modules' internals; services-real.ts binds it to the simulator, client, engine, workspace and
// keychain modules. Keeping the seam here means a change in one of those modules is adapted in one file.
import type { ApplyProgress, ApplyRecord } from '../../shared/domain/apply';
import type { DesiredState, FieldIssue } from '../../shared/domain/desired-state';
import type { Plan } from '../../shared/domain/plan';
import type { RunBy } from '../../shared/domain/report';
import type { Snapshot } from '../../shared/domain/snapshot';
import type { DriftDifferenceView } from '../../shared/ipc/contract';
import type { ServiceNowFailure } from '../../shared/servicenow/errors';
import type { InstanceAuth as ClientAuth } from '../servicenow';
import type { DiscoverOutcome } from '../engine';

export type { ServiceNowFailure };

/** Apply progress as the engine reports it (the instance is known to the caller). */
export type ApplyStepProgress = Omit<ApplyProgress, 'instanceId'>;

/** How a client signs in: the client's own type (type-only: the seam stays free of the module). */
export type { InstanceAuth as ClientAuth } from '../servicenow';

/** The ServiceNow client is opaque to the CLI: it is only handed to the engine. */
export type Client = object;

export type { DiscoverOutcome } from '../engine';

export interface SavedInstance {
  id: string;
  name: string;
  url: string;
  authMethod: 'basic' | 'oauth';
  username: string;
  clientId?: string;
  /** Template variables of this instance (`{customer}` → `ACME`). */
  variables?: Record<string, string>;
  /** The template this instance is provisioned from, when it is. */
  template?: string;
  /** Machine-local status (not_checked, ready, provisioned, drift, failed, …). */
  status?: string;
}

/** What `instances add` stores: never a secret (those go to the keychain). */
export interface InstanceInput {
  name: string;
  url: string;
  authMethod: 'basic' | 'oauth';
  username: string;
  clientId?: string;
  variables?: Record<string, string>;
  template?: string;
}

/** A problem in an imported file: CSV row (header = 1) or JSON position; row 0 is the file itself. */
export interface TransferProblem {
  row: number;
  field: string;
  message: string;
}

export interface InstancesImport {
  added: string[];
  updated: string[];
  unchanged: string[];
  problems: TransferProblem[];
  /** The whole file was refused (e.g. a secret column); nothing was imported. */
  refused: string | null;
}

export interface TemplatesImport {
  saved: string[];
  problems: TransferProblem[];
  refused: string | null;
}

export interface TemplateView {
  name: string;
  description?: string;
  variables: Array<{ name: string; description?: string; default?: string }>;
}

export type RenderedTemplate =
  | { ok: true; desired: DesiredState; warnings: FieldIssue[] }
  | { ok: false; errors: Array<{ variable: string | null; message: string }> };

export type ListFormat = 'csv' | 'json';

export interface WorkspaceView {
  list(): Promise<SavedInstance[]>;
  /** By id or by name; null when there is none. */
  get(idOrName: string): Promise<SavedInstance | null>;
  instanceDir(id: string): string;
  /** Adds or (same URL) updates an instance entry. */
  save(input: InstanceInput): Promise<SavedInstance>;
  remove(id: string): Promise<boolean>;
  /** All or nothing: a file with any problem imports nothing. */
  importInstances(file: string, format?: ListFormat): Promise<InstancesImport>;
  exportInstances(file: string, format?: ListFormat): Promise<number>;
  templates(): TemplateView[];
  renderTemplate(name: string, variables: Record<string, string>): RenderedTemplate;
  /** All or nothing, like importInstances. */
  importTemplates(file: string): Promise<TemplatesImport>;
  exportTemplates(file: string, names?: string[]): Promise<number>;
}

export interface InstanceSecretsView {
  password?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface SecretsView {
  available: boolean;
  message: string;
  read(instanceId: string): Promise<InstanceSecretsView | null>;
  /** Stores the password (and OAuth client secret) under the instance id; rejects in plain words. */
  write(instanceId: string, secrets: { password: string; clientSecret?: string }): Promise<void>;
  remove(instanceId: string): Promise<boolean>;
}

export interface SimulatorOptions {
  scenario: string;
  port: number;
  host: string;
  latencyMs?: number;
  stateFile?: string;
  faults?: FaultSpecInput[];
}

/** `--fault KIND[:ARG]`, parsed; the simulator validates the kind. */
export interface FaultSpecInput {
  kind: string;
  [key: string]: unknown;
}

export interface SimulatorHandle {
  url: string;
  users: { admin: { userName: string; password: string } };
  close(): Promise<void>;
}

export interface RollbackInput {
  client: Client;
  dir: string;
  record: ApplyRecord;
  plan: Plan;
  onProgress?: (progress: ApplyStepProgress) => void;
}

export interface ManyTarget {
  id: string;
  client: Client;
  desired: DesiredState;
  dir: string;
}

export interface ManyProgress {
  instanceId: string;
  phase: string;
  step: number;
  total: number;
  message: string;
}

export interface ManyOutcome {
  instanceId: string;
  status: 'provisioned' | 'unchanged' | 'not_ready' | 'blocked' | 'unreachable' | 'failed' | 'cancelled';
  ok: boolean;
  /** The failure's code (network, timeout, hibernating, bad_credentials, …), when it failed. */
  code?: string | null;
  message: string;
  record: ApplyRecord | null;
}

export interface DriftTargetInput {
  id: string;
  client: Client;
  desired: DesiredState;
  dir: string;
}

/** One differing field (record, field, applied → current): the type the app shows too. */
export type { DriftDifferenceView };

export type DriftResult =
  | {
      instanceId: string;
      state: 'drift' | 'in_sync';
      applyId: string;
      appliedAt: string;
      differences: DriftDifferenceView[];
    }
  | { instanceId: string; state: 'never_applied' | 'error'; message: string };

/** One queued apply, as `queue list` shows it. */
export interface QueuedApply {
  id: string;
  instanceId: string;
  status: 'waiting' | 'running' | 'done' | 'failed' | 'cancelled';
  reason: string;
  requestedAt: string;
  attempts: number;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  lastError: string | null;
  applyId: string | null;
}

export interface QueueView {
  list(): QueuedApply[];
  /** One waiting apply per instance: a newer request replaces the older one. */
  enqueue(instanceId: string, desired: DesiredState, reason: string): Promise<QueuedApply>;
  /** Probes every waiting instance now and runs the applies of those that answer. */
  drainNow(): Promise<ManyOutcome[]>;
  clearFinished(): Promise<void>;
  stop(): Promise<void>;
}

export interface CliServices {
  defaultWorkspaceDir(): string;
  openWorkspace(dir: string): Promise<WorkspaceView>;
  instanceIdFromUrl(url: string): string;
  openSecrets(): Promise<SecretsView>;
  createClient(instanceUrl: string, auth: ClientAuth): Client;
  /** userName: who the client signs in as (lets discovery skip reading it). */
  discover(client: Client, desired: DesiredState, userName?: string): Promise<DiscoverOutcome>;
  checkAgainstSnapshot(desired: DesiredState, snapshot: Snapshot): FieldIssue[];
  buildPlan(snapshot: Snapshot, desired: DesiredState, now: Date): Plan;
  applyPlan(input: {
    client: Client;
    plan: Plan;
    dir: string;
    onProgress?: (progress: ApplyStepProgress) => void;
  }): Promise<ApplyRecord>;
  /** The newest apply (not rollback) record of an instance folder; null when it has none. */
  latestApply(dir: string): Promise<ApplyRecord | null>;
  /** Every apply and rollback record of an instance folder, newest first. */
  listApplies(dir: string): Promise<ApplyRecord[]>;
  getApply(dir: string, applyId: string): Promise<ApplyRecord | null>;
  /**
   * The id of an apply that did not finish (killed, crashed), or null. With `includeFailed`, also the latest
   * apply when it finished as failed (what an explicit `resume` takes up again). Reads local files only.
   */
  unfinishedApply(dir: string, options?: { includeFailed?: boolean }): Promise<string | null>;
  /**
   * Finishes the unfinished apply of the folder, if there is one, never sending a write twice; with
   * `reopenFailed`, takes up a failed latest apply again.
   */
  resumeApply(input: {
    client: Client;
    dir: string;
    onProgress?: (progress: ApplyStepProgress) => void;
    reopenFailed?: boolean;
  }): Promise<ApplyRecord | null>;
  /** One authenticated read: proves the credentials before they are stored. */
  verifyCredentials(client: Client): Promise<{ userName: string; roles: string[] }>;
  planRollback(record: ApplyRecord, snapshot: Snapshot): Plan;
  applyRollback(input: RollbackInput): Promise<ApplyRecord>;
  renderReport(
    record: ApplyRecord,
    options: { format: 'html' | 'json'; instanceName: string; runBy?: RunBy },
  ): Promise<string>;
  /** Discover → plan → apply on each target, a few at a time; never throws for one instance's failure. */
  runMany(input: {
    targets: ManyTarget[];
    concurrency: number;
    workspaceDir: string;
    onProgress: (progress: ManyProgress) => void;
  }): Promise<ManyOutcome[]>;
  /** Re-discovers each instance and compares it with its last successful apply. */
  detectDrift(input: { targets: DriftTargetInput[]; workspaceDir: string }): Promise<DriftResult[]>;
  /** The workspace's offline queue; `connect` opens a client for a saved instance when it runs. */
  openQueue(workspaceDir: string, connect: (instanceId: string) => Promise<Client>): Promise<QueueView>;
  startSimulator(options: SimulatorOptions): Promise<SimulatorHandle>;
  /** Closes every client this run created (kept-alive sockets would hold the process open). */
  closeAll(): void;
}

/** The plain-words failure inside an error thrown by the client or engine, if it carries one. */
export function failureOf(error: unknown): ServiceNowFailure | null {
  if (typeof error !== 'object' || error === null || !('failure' in error)) return null;
  const failure = (error as { failure: unknown }).failure;
  if (typeof failure !== 'object' || failure === null) return null;
  const { code, message } = failure as Partial<ServiceNowFailure>;
  return typeof code === 'string' && typeof message === 'string' ? (failure as ServiceNowFailure) : null;
}

/** Failures that mean "the instance is not there right now" (worth queueing), not a real answer. */
export const UNREACHABLE_CODES: readonly string[] = ['network', 'timeout', 'hibernating'];

export function unreachableFailure(error: unknown): ServiceNowFailure | null {
  const failure = failureOf(error);
  return failure && UNREACHABLE_CODES.includes(failure.code) ? failure : null;
}
