// Every IPC channel, declared once: its input schema (checked in main with zod) and its result type.
// Main registers a handler per channel from this table; the preload exposes one named function per
// channel on `window.api`; the renderer is typed from it. Names follow `app:<noun>:<verb>`.
import { z } from 'zod';
import type { Result } from '../result';
import type { Plan, PlanOp } from '../domain/plan';
import type { Snapshot, NotReadyReason } from '../domain/snapshot';
import type { ApplyProgress, ApplyRecord, StepCounts, TokenStatus } from '../domain/apply';
import type { ConnectionFormInput, FieldIssue } from '../domain/desired-state';
import type { EntraDraftFields } from '../domain/entra-draft';
import type { SecretExpiry, WalkupFlowStatus } from '../domain/walkup-status';
import type { ServiceNowErrorCode } from '../servicenow/errors';
import type { ApiKey, ChannelName, EventApiKey, EventName } from './channels';
import { TemplateEntraSchema, type TemplateEntra } from '../workspace/template-rules';
// The workspace's name rules (instance ids are folder names, template names file names) live with its files.
import { InstanceIdSchema, TemplateNameSchema, VariableNameSchema } from '../workspace/schemas';

export { CHANNEL_NAMES, EVENT_NAMES, apiName, eventApiName, isChannelName, isEventName } from './channels';
export type { ApiKey, ChannelName, EventApiKey, EventName } from './channels';

// --- Inputs ---

/**
 * What main's views carry as `revision` (a short hex hash of the stored content: templates, drafts,
 * instance entries) and an editor sends back as `basedOn`, so main can refuse a save (code `conflict`)
 * when another process changed what the editor opened.
 */
export const RevisionSchema = z.string().regex(/^[0-9a-f]{16}$/);

export const AuthMethodSchema = z.enum(['basic', 'oauth']);
export type AuthMethod = z.infer<typeof AuthMethodSchema>;

/** Add or edit an instance. Secrets are optional on edit: absent means "keep the stored one". */
export const InstanceInputSchema = z
  .object({
    id: z.optional(InstanceIdSchema),
    name: z.string().trim().min(1, 'Name is required.').max(80, 'Name must be at most 80 characters.'),
    url: z.string().trim().min(1, 'Instance URL is required.'),
    authMethod: AuthMethodSchema,
    username: z.string().trim().min(1, 'User name is required.'),
    password: z.string().min(1).optional(),
    clientId: z.string().trim().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    /**
     * Template variables of this instance, e.g. `{ customer: 'ACME' }` (not secrets: they are stored in the
     * shareable workspace). Absent on edit means "keep the stored ones"; `{}` clears them.
     */
    variables: z.record(VariableNameSchema, z.string().max(200)).optional(),
    /**
     * The `revision` of the instance the editor opened; absent when adding one. Main refuses the save
     * (code `conflict`), storing nothing (no secret either), when another process changed it since.
     */
    basedOn: RevisionSchema.optional(),
  })
  .strict();
export type InstanceInput = z.infer<typeof InstanceInputSchema>;

const ById = z.object({ id: InstanceIdSchema }).strict();
/** `entra` absent: the desired state has no Entra app (the registries are left alone). */
const FormsInput = z
  .object({ id: InstanceIdSchema, main: z.unknown(), clientCred: z.unknown(), entra: z.unknown().optional() })
  .strict();
/**
 * The forms as typed, to keep as the instance's draft. `basedOn`: the `revision` of the draft the forms
 * were loaded from (null: there was none); main refuses the save (code `conflict`) when the stored draft
 * is no longer that one. Absent: the forms replace the stored draft.
 */
const DraftSaveInput = FormsInput.extend({ basedOn: RevisionSchema.nullable().optional() }).strict();
const Empty = z.object({}).strict();

/** Instances selected for a fleet action; duplicates are ignored. */
const InstanceIds = z.array(InstanceIdSchema).min(1, 'Select at least one instance.').max(2000);
const FleetIdsInput = z.object({ ids: InstanceIds }).strict();
const FleetApplyInput = z
  .object({
    ids: InstanceIds,
    /** Instances worked on at the same time (default 8). Per instance, writes stay at one or two in flight. */
    concurrency: z.number().int().min(1).max(32).optional(),
  })
  .strict();
/** One instance, several, or (ids absent) all of them. */
const OptionalIdsInput = z.object({ ids: InstanceIds.optional() }).strict();
const QueueEntryInput = z.object({ id: z.string().min(1).max(100) }).strict();

/**
 * The Entra client secret, sent renderer → main once and kept in the keychain. Not trimmed: a secret's
 * value is what Entra showed, spaces and all; only an all-blank one is refused.
 */
const EntraSecretInput = z
  .object({
    id: InstanceIdSchema,
    secret: z
      .string()
      .max(1024, 'The client secret is longer than Entra makes them.')
      .refine((s) => s.trim() !== '', 'Client secret is required.'),
  })
  .strict();
/** Checks the Entra app as typed (tenant and client ID) with the secret stored for the instance. */
const EntraCheckInput = z
  .object({ id: InstanceIdSchema, tenant: z.string().max(256), clientId: z.string().max(256) })
  .strict();
/** `fresh`: read the instance again; otherwise the last stored discovery (no network). */
const WalkupInput = z.object({ id: InstanceIdSchema, fresh: z.boolean().optional() }).strict();
const SettingsInput = z
  .object({
    /** null: back to https://login.microsoftonline.com. */
    entraAuthority: z.string().max(2048).nullable(),
  })
  .strict();

const DraftFieldValue = z.union([
  z.string().max(4096),
  z.boolean(),
  z.number(),
  z.array(z.string().max(256)).max(64),
  z.null(),
]);
/**
 * A template as the renderer sends it. Main validates it again with the workspace's TemplateSchema (the
 * stored form) and answers invalid_input with the field when that refuses it.
 */
export const TemplateInputSchema = z
  .object({
    name: TemplateNameSchema,
    description: z.string().max(500).optional(),
    variables: z
      .array(
        z
          .object({
            name: VariableNameSchema,
            description: z.string().max(500).optional(),
            default: z.string().max(200).optional(),
          })
          .strict(),
      )
      .max(50),
    /** Only the fields that differ from the procedure's defaults; text may hold `{variable}`. */
    main: z.record(z.string().max(64), DraftFieldValue),
    clientCred: z.record(z.string().max(64), DraftFieldValue),
    /**
     * The Entra app (issue 10): tenant and client ID as per-instance `{variable}`s, never a secret. Absent:
     * the template has none (the input is the whole template, so leaving it out removes a stored one).
     */
    entra: z.optional(TemplateEntraSchema),
    /**
     * The `revision` of the template the editor opened; absent for a new template. Main refuses the save
     * (code `conflict`) when the stored template is no longer that one: another process changed it.
     */
    basedOn: RevisionSchema.optional(),
  })
  .strict();
export type TemplateInput = z.infer<typeof TemplateInputSchema>;
const TemplateNameInput = z.object({ name: TemplateNameSchema }).strict();
const TemplateApplyInput = z.object({ name: TemplateNameSchema, ids: InstanceIds }).strict();

const TransferWhat = z.enum(['instances', 'templates']);
const TransferExportInput = z
  .object({ what: TransferWhat, format: z.enum(['csv', 'json']) })
  .strict()
  .refine((i) => !(i.what === 'templates' && i.format === 'csv'), {
    message: 'Templates are exported as JSON only.',
    path: ['format'],
  });
const TransferImportInput = z.object({ what: TransferWhat }).strict();
const WorkspaceChooseInput = z
  .object({
    /** Go back to the default workspace in the app's data folder instead of asking for a folder. */
    useDefault: z.boolean().optional(),
  })
  .strict();

// --- Views (what the renderer receives; never a secret) ---

export type InstanceStatus = 'not_checked' | 'ready' | 'spoke_missing' | 'drift' | 'provisioned' | 'failed';

export interface InstanceView {
  id: string;
  name: string;
  url: string;
  authMethod: AuthMethod;
  username: string;
  /** Whether a password/secret is stored: the secret itself never leaves main. */
  secretConfigured: boolean;
  status: InstanceStatus;
  statusMessage: string | null;
  lastDiscoveredAt: string | null;
  isDemo: boolean;
  /** Template variables of this instance (always filled by main; optional for older fixtures). */
  variables?: Record<string, string>;
  /** The template last applied to this instance's drafts, if any. */
  template?: string | null;
  /** When the Entra client secret of the instance's draft expires, if that date is known. */
  secretExpiry?: SecretExpiry | null;
  /** Identifies the stored entry (not its status): the instance editor sends it back as `basedOn`. */
  revision: string;
}

export interface AppInfo {
  version: string;
  keychain: { available: boolean; message: string };
  demoInstanceId: string | null;
}

export interface ConnectionTestView {
  ok: boolean;
  code: ServiceNowErrorCode | 'invalid' | null;
  message: string;
  userName: string | null;
  roles: string[];
}

/** The Entra app as typed (any field may be empty or wrong); never the secret. */
export type EntraDraft = EntraDraftFields;

export interface DraftView {
  main: ConnectionFormInput;
  clientCred: ConnectionFormInput;
  /** null: no Entra app typed for this instance. */
  entra: EntraDraft | null;
  updatedAt: string | null;
  /** The stored draft's revision (null: none stored); the forms send it back as `basedOn`. */
  revision: string | null;
}

export interface DraftSavedView {
  savedAt: string;
  /** The stored draft's revision now: the next save is based on it. */
  revision: string;
}

// --- Entra app (issue 10) ---

/** What the window may know about an instance's Entra client secret: whether one is stored. */
export interface EntraSecretView {
  secretStored: boolean;
}

export interface EntraStatusView extends EntraSecretView {
  /** The authority the check asks (the settings', or the demo instance's stand-in). */
  authority: string;
  /** True for the demo instance: the check goes to the embedded stand-in for Entra ID. */
  standIn: boolean;
  /** The demo instance only: the stand-in's demo app, to fill in (its secret is stored by `app:entra:demo`). */
  demoApp: { tenant: string; clientId: string } | null;
}

/** Which input a check result is about; `entraApp` is the app's registration in Entra (consent, permissions). */
export type EntraCheckField = 'tenant' | 'clientId' | 'clientSecret' | 'authority' | 'entraApp';

export interface EntraCheckView {
  ok: boolean;
  /** null when ok. */
  problem: string | null;
  field: EntraCheckField | null;
  /** Plain words, naming what to do (never the secret). */
  message: string;
  /** The Microsoft Graph application permissions the token carried. */
  roles: string[];
  missingRoles: string[];
  authority: string;
  /** What was checked, so the window can tell when the typed values changed since. */
  tenant: string;
  clientId: string;
  checkedAt: string;
}

export interface SettingsView {
  /** The authority the Entra check asks (https, or http on loopback). */
  entraAuthority: string;
  defaultEntraAuthority: string;
}

/** The two Walk-up flows, read-only (docs/servicenow.md §8). */
export interface WalkupView {
  flows: WalkupFlowStatus[];
  /** When the flows were read (the discovery's time); null when the instance was never discovered. */
  readAt: string | null;
}

export interface DiscoverView {
  snapshot: Snapshot | null;
  notReady: { reason: NotReadyReason; message: string } | null;
}

export interface PlanView {
  plan: Plan | null;
  issues: FieldIssue[];
  /** Age of the snapshot the plan was made from, in seconds. */
  snapshotAgeSeconds: number | null;
}

/** One row of History; the counts are countSteps' (src/shared/domain/apply.ts), as in the CLI's history. */
export interface ApplySummary extends StepCounts {
  applyId: string;
  kind: 'apply' | 'rollback';
  status: ApplyRecord['status'];
  startedAt: string;
  finishedAt: string | null;
}

export interface ExportView {
  path: string | null;
}

/** The last stored snapshot (offline-first: no network), and how old it is. */
export interface SnapshotView {
  snapshot: Snapshot | null;
  /** Seconds since that snapshot was discovered; null when there is none. */
  snapshotAgeSeconds: number | null;
}

// --- Many instances ---

export type FleetPhase =
  | 'waiting'
  | 'resuming'
  | 'discovering'
  | 'planning'
  | 'applying'
  | 'done'
  | 'failed'
  /** The instance did not answer: the apply waits in the offline queue. */
  | 'queued';

/** `app:fleet:progress`: one bar per instance. `step` of `total` while applying, 0 of 0 otherwise. */
export interface FleetProgressEvent {
  instanceId: string;
  phase: FleetPhase;
  step: number;
  total: number;
  message: string;
}

export type FleetNotReadyReason =
  | NotReadyReason
  | ServiceNowErrorCode
  /** The saved draft has errors (see `issues`). */
  | 'invalid_draft'
  /** Never discovered and cannot be asked (no credentials): nothing to plan from. */
  | 'no_snapshot'
  /** The plan has blocked actions. */
  | 'blocked'
  | 'keychain';

export interface FleetPlanItem {
  instanceId: string;
  name: string;
  /** True when the plan can be applied (no blocked action, valid draft). */
  ready: boolean;
  notReady: { reason: FleetNotReadyReason; message: string } | null;
  counts: Record<PlanOp, number> | null;
  /** The before/after of every record; null when nothing could be planned. */
  plan: Plan | null;
  /** Age of the snapshot the plan was made from, in seconds (0 when discovered just now). */
  snapshotAgeSeconds: number | null;
  /** The instance did not answer: the plan comes from the last stored snapshot. */
  offline: boolean;
  /**
   * Not discovered yet and not answering: nothing to plan from now, but an apply can be asked for; it is
   * queued and planned when the instance answers (ready, with no plan and no counts).
   */
  plannedWhenAnswers?: boolean;
  /** Field problems of the draft (or of it against the snapshot). */
  issues: FieldIssue[];
  /** Where the desired state came from. */
  source: 'draft' | 'defaults';
  /** When the Entra client secret of the desired state expires, if that date is known. */
  secretExpiry?: SecretExpiry | null;
}

export interface FleetPlanView {
  instances: FleetPlanItem[];
  totals: Record<PlanOp, number>;
}

export type FleetOutcomeStatus =
  | 'provisioned'
  | 'unchanged'
  | 'not_ready'
  | 'blocked'
  | 'failed'
  | 'cancelled'
  /** Unreachable (offline, hibernating, timing out): queued, it runs when the instance answers. */
  | 'queued';

export interface FleetApplyItem {
  instanceId: string;
  name: string;
  status: FleetOutcomeStatus;
  ok: boolean;
  code: string | null;
  /** Plain words: what happened, or why it failed. */
  message: string;
  counts: Record<PlanOp, number> | null;
  applyId: string | null;
  /** Set when status is 'queued'. */
  queueEntryId: string | null;
}

export interface FleetApplyView {
  /** In the order of the ids asked for. */
  outcomes: FleetApplyItem[];
  succeeded: string[];
  /** Ids to offer for "Retry failed" (not the queued ones: those run by themselves). */
  failed: string[];
  queued: string[];
}

// --- Offline queue ---

export interface QueueItemView {
  id: string;
  instanceId: string;
  instanceName: string;
  status: 'waiting' | 'running' | 'done' | 'failed' | 'cancelled';
  /** Why it waits: `network`, `timeout`, `hibernating`, `offline`, `requested`. */
  reason: string;
  requestedAt: string;
  attempts: number;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  lastError: string | null;
  applyId: string | null;
  finishedAt: string | null;
}

export interface NetworkStateView {
  instanceId: string;
  /** null: not probed yet in this run. */
  reachable: boolean | null;
  code: string | null;
  message: string | null;
  checkedAt: string | null;
}

/** `app:queue:list`, and the payload of the `app:queue:changed` event. */
export interface QueueView {
  items: QueueItemView[];
  network: NetworkStateView[];
}

/**
 * The `app:workspace:changed` event: another process (a CLI run, a script, a second app) changed the
 * workspace's instances, templates or queue, or a saved instance's draft was written; main has re-read
 * them, and the window reloads its lists (and the shown draft, if another process wrote it).
 */
export interface WorkspaceChangedEvent {
  /**
   * Workspace-relative files that changed, e.g. `instances.json`, `templates/acme.json`,
   * `instances/acme/draft.json`.
   */
  files: string[];
}

/** `details` of an `app:apply:run` answered with code 'queued'. */
export interface QueuedDetails {
  queueEntryId: string;
  reason: string;
}

// --- Drift ---

export interface DriftDifferenceView {
  record: string;
  table: string;
  field: string;
  applied: string | null;
  current: string | null;
}

export interface DriftItem {
  instanceId: string;
  name: string;
  state: 'drift' | 'matches' | 'never_applied' | 'error';
  message: string;
  differences: DriftDifferenceView[];
  appliedAt: string | null;
  checkedAt: string | null;
  /** When the Entra client secret of the instance's draft expires, if that date is known. */
  secretExpiry?: SecretExpiry | null;
}

export interface DriftView {
  instances: DriftItem[];
  drifted: string[];
}

// --- Templates ---

export interface TemplateView {
  name: string;
  description: string | null;
  variables: { name: string; description: string | null; default: string | null }[];
  main: Record<string, string | boolean | number | string[] | null>;
  clientCred: Record<string, string | boolean | number | string[] | null>;
  /** The Entra app's fields (tenant, clientId, secretExpires; never a secret), or null when it has none. */
  entra: TemplateEntra | null;
  /** Every variable the fields use, with the fields (`main.name`, `entra.tenant`). */
  usage: { variable: string; fields: string[] }[];
  /** Identifies the stored content: an editor sends it back as `basedOn` when it saves. */
  revision: string;
}

export interface TemplateErrorView {
  form: 'main' | 'clientCred' | null;
  field: string;
  variable: string | null;
  /** Names the variable and the field, e.g. "Variable {customer} (used in main.name) has no value…". */
  message: string;
}

export interface TemplateApplyItem {
  instanceId: string;
  name: string;
  ok: boolean;
  /** When the draft was saved (ok only). */
  savedAt: string | null;
  errors: TemplateErrorView[];
}

export interface TemplateApplyView {
  instances: TemplateApplyItem[];
  applied: string[];
  failed: string[];
}

// --- Import / export ---

export interface TransferExportView {
  /** null: the user cancelled the save dialog. */
  path: string | null;
  count: number;
}

export interface TransferProblem {
  /** CSV: the spreadsheet row (header is row 1); JSON: 1-based position; 0: the file as a whole. */
  row: number;
  field: string;
  message: string;
}

export interface TransferImportView {
  /** null: the user cancelled the open dialog (nothing imported). */
  path: string | null;
  added: string[];
  updated: string[];
  unchanged: string[];
  problems: TransferProblem[];
  /** Set when the whole file was refused (e.g. it holds a password column). */
  refused: string | null;
}

// --- Workspace ---

export interface WorkspaceProblemView {
  file: string;
  reason: 'corrupt' | 'unknown_version' | 'invalid' | 'wrong_kind';
  message: string;
  /** Where the unusable file was moved aside to. */
  movedTo: string | null;
}

export interface WorkspaceInfoView {
  dir: string;
  /** True for the default folder in the app's data folder. */
  isDefault: boolean;
  problems: WorkspaceProblemView[];
}

export interface WorkspaceChooseView extends WorkspaceInfoView {
  /** False when the user cancelled the folder dialog (nothing changed). */
  changed: boolean;
}

// --- The table ---

/** A channel: its input schema and (phantom) result type. */
interface Channel<I extends z.ZodType, O> {
  input: I;
  /** Never read at run time; carries the output type. */
  output?: O;
}
const channel = <I extends z.ZodType, O>(input: I): Channel<I, O> => ({ input });

export const CHANNELS = {
  'app:info:get': channel<typeof Empty, AppInfo>(Empty),
  'app:instances:list': channel<typeof Empty, InstanceView[]>(Empty),
  'app:instances:save': channel<typeof InstanceInputSchema, InstanceView>(InstanceInputSchema),
  'app:instances:remove': channel<typeof ById, { removed: boolean }>(ById),
  'app:instances:test': channel<typeof ById, ConnectionTestView>(ById),
  'app:drafts:get': channel<typeof ById, DraftView>(ById),
  'app:drafts:save': channel<typeof DraftSaveInput, DraftSavedView>(DraftSaveInput),
  'app:discover:run': channel<typeof ById, DiscoverView>(ById),
  'app:plan:create': channel<typeof FormsInput, PlanView>(FormsInput),
  'app:apply:run': channel<typeof FormsInput, ApplyRecord>(FormsInput),
  'app:apply:resume': channel<typeof ById, ApplyRecord>(ById),
  'app:rollback:plan': channel<typeof ById, Plan>(ById),
  'app:rollback:run': channel<typeof ById, ApplyRecord>(ById),
  'app:history:list': channel<typeof ById, ApplySummary[]>(ById),
  'app:history:get': channel<z.ZodObject<{ id: typeof InstanceIdSchema; applyId: z.ZodString }>, ApplyRecord>(
    z.object({ id: InstanceIdSchema, applyId: z.string().min(1) }).strict(),
  ),
  'app:report:export': channel<
    z.ZodObject<{
      id: typeof InstanceIdSchema;
      applyId: z.ZodString;
      format: z.ZodEnum<{ html: 'html'; json: 'json' }>;
    }>,
    ExportView
  >(
    z.object({ id: InstanceIdSchema, applyId: z.string().min(1), format: z.enum(['html', 'json']) }).strict(),
  ),
  'app:tokens:status': channel<typeof ById, TokenStatus[]>(ById),
  /**
   * Opens a link in the system browser. `https:` only, or the given instance's own origin (the demo
   * instance runs on http loopback).
   */
  'app:links:open': channel<
    z.ZodObject<{ url: z.ZodString; instanceId: z.ZodOptional<typeof InstanceIdSchema> }>,
    { opened: boolean }
  >(z.object({ url: z.string().max(2048), instanceId: z.optional(InstanceIdSchema) }).strict()),
  /** The last stored snapshot, without network. */
  'app:snapshot:get': channel<typeof ById, SnapshotView>(ById),
  /** Plans each instance from its saved draft (or the defaults); offline ones from their last snapshot. */
  'app:fleet:plan': channel<typeof FleetIdsInput, FleetPlanView>(FleetIdsInput),
  /** Applies to each instance (events `app:fleet:progress`); unreachable ones are queued. */
  'app:fleet:apply': channel<typeof FleetApplyInput, FleetApplyView>(FleetApplyInput),
  'app:queue:list': channel<typeof Empty, QueueView>(Empty),
  'app:queue:cancel': channel<typeof QueueEntryInput, { cancelled: boolean }>(QueueEntryInput),
  /** Probes every waiting instance now (ignoring the backoff) and runs those that answer. */
  'app:queue:drain': channel<typeof Empty, QueueView>(Empty),
  /** Removes finished (done, failed, cancelled) entries. */
  'app:queue:clear': channel<typeof Empty, QueueView>(Empty),
  'app:drift:check': channel<typeof OptionalIdsInput, DriftView>(OptionalIdsInput),
  'app:templates:list': channel<typeof Empty, TemplateView[]>(Empty),
  'app:templates:save': channel<typeof TemplateInputSchema, TemplateView>(TemplateInputSchema),
  'app:templates:remove': channel<typeof TemplateNameInput, { removed: boolean }>(TemplateNameInput),
  /** Renders the template with each instance's variables and saves each instance's drafts. */
  'app:templates:apply': channel<typeof TemplateApplyInput, TemplateApplyView>(TemplateApplyInput),
  'app:transfer:export': channel<typeof TransferExportInput, TransferExportView>(TransferExportInput),
  'app:transfer:import': channel<typeof TransferImportInput, TransferImportView>(TransferImportInput),
  'app:workspace:info': channel<typeof Empty, WorkspaceInfoView>(Empty),
  /** Points the workspace at another folder (asks with a folder dialog) and reopens it. */
  'app:workspace:choose': channel<typeof WorkspaceChooseInput, WorkspaceChooseView>(WorkspaceChooseInput),
  /** Whether an Entra client secret is stored for the instance, and where the check goes. */
  'app:entra:status': channel<typeof ById, EntraStatusView>(ById),
  /** Stores the Entra client secret in the keychain; the answer only says that one is stored. */
  'app:entra:secret': channel<typeof EntraSecretInput, EntraSecretView>(EntraSecretInput),
  /** Forgets the stored Entra client secret (and what was last written with it). */
  'app:entra:forget': channel<typeof ById, EntraSecretView>(ById),
  /** Asks Entra for a client-credentials token with the stored secret and says what is wrong. */
  'app:entra:check': channel<typeof EntraCheckInput, EntraCheckView>(EntraCheckInput),
  /** Demo instance only: stores the stand-in's demo secret and answers its tenant and client ID. */
  'app:entra:demo': channel<typeof ById, EntraSecretView & { tenant: string; clientId: string }>(ById),
  /** The two Walk-up flows (active or not, with the link that opens each), read only. */
  'app:walkup:check': channel<typeof WalkupInput, WalkupView>(WalkupInput),
  'app:settings:get': channel<typeof Empty, SettingsView>(Empty),
  'app:settings:save': channel<typeof SettingsInput, SettingsView>(SettingsInput),
} as const;

// channels.ts (zod-free, for the preload) and this table must name exactly the same channels.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelListsAgree: Same<keyof typeof CHANNELS, ChannelName> = true;
void channelListsAgree;
export type ChannelInput<C extends ChannelName> = z.input<(typeof CHANNELS)[C]['input']>;
export type ChannelOutput<C extends ChannelName> = NonNullable<(typeof CHANNELS)[C]['output']>;

/** Error codes an IPC call can answer with. */
export type IpcErrorCode =
  | 'invalid_input'
  | 'forbidden_sender'
  | 'not_found'
  | 'not_ready'
  | 'keychain'
  | 'busy'
  /** Another process changed what the save was based on since it was read; nothing was written. */
  | 'conflict'
  /** The instance did not answer: the apply was queued (details: QueuedDetails) and runs when it does. */
  | 'queued'
  /** The Entra app failed its check before anything was written (details: `{ field }`). */
  | 'entra_check_failed'
  | ServiceNowErrorCode
  | 'internal';

export type ChannelResult<C extends ChannelName> = Result<ChannelOutput<C>, IpcErrorCode>;

/** Events main sends to the renderer. */
export interface EventPayloads {
  'app:apply:progress': ApplyProgress;
  'app:fleet:progress': FleetProgressEvent;
  'app:queue:changed': QueueView;
  'app:workspace:changed': WorkspaceChangedEvent;
}
const eventListsAgree: Same<keyof EventPayloads, EventName> = true;
void eventListsAgree;

/** window.api: one async function per channel, plus event subscriptions that return an unsubscribe. */
export type Api = {
  [C in ChannelName as ApiKey<C>]: (input: ChannelInput<C>) => Promise<ChannelResult<C>>;
} & {
  [E in EventName as EventApiKey<E>]: (listener: (payload: EventPayloads[E]) => void) => () => void;
};

/** What a channel's service receives: the input after zod parsing (defaults applied, strings trimmed). */
export type ChannelParsedInput<C extends ChannelName> = z.output<(typeof CHANNELS)[C]['input']>;
