// What the CLI needs from the rest of Spokesmith, as one narrow interface. Commands depend on this, not
// on the modules' internals; services-real.ts binds it to the simulator, client, engine, workspace and
// keychain modules. Keeping the seam here means a change in one of those modules is adapted in one file.
import type { ApplyProgress, ApplyRecord } from '../../shared/domain/apply';
import type { DesiredState, FieldIssue } from '../../shared/domain/desired-state';
import type { Plan } from '../../shared/domain/plan';
import type { NotReadyReason, Snapshot } from '../../shared/domain/snapshot';
import type { ServiceNowFailure } from '../../shared/servicenow/errors';

/** Apply progress as the engine reports it (the instance is known to the caller). */
export type ApplyStepProgress = Omit<ApplyProgress, 'instanceId'>;

export type ClientAuth =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'oauth'; clientId: string; clientSecret: string; username: string; password: string };

/** The ServiceNow client is opaque to the CLI: it is only handed to the engine. */
export type Client = object;

export type DiscoverOutcome =
  | { ok: true; snapshot: Snapshot }
  | { ok: false; reason: NotReadyReason; message: string; snapshot: Snapshot | null };

export interface SavedInstance {
  id: string;
  name: string;
  url: string;
  authMethod: 'basic' | 'oauth';
  username: string;
  clientId?: string;
}

export interface WorkspaceView {
  list(): Promise<SavedInstance[]>;
  /** By id or by name; null when there is none. */
  get(idOrName: string): Promise<SavedInstance | null>;
  instanceDir(id: string): string;
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
  message: string;
  record: ApplyRecord | null;
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
  planRollback(record: ApplyRecord, snapshot: Snapshot): Plan;
  applyRollback(input: RollbackInput): Promise<ApplyRecord>;
  renderReport(
    record: ApplyRecord,
    options: { format: 'html' | 'json'; instanceName: string },
  ): Promise<string>;
  /** Discover → plan → apply on each target, a few at a time; never throws for one instance's failure. */
  runMany(input: {
    targets: ManyTarget[];
    concurrency: number;
    workspaceDir: string;
    onProgress: (progress: ManyProgress) => void;
  }): Promise<ManyOutcome[]>;
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
