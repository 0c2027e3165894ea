// Every IPC channel, declared once: its input schema (checked in main with zod) and its result type.
// Main registers a handler per channel from this table; the preload exposes one named function per
// channel on `window.api`; the renderer is typed from it. Names follow `app:<noun>:<verb>`.
import { z } from 'zod';
import type { Result } from '../result';
import type { Plan } from '../domain/plan';
import type { Snapshot, NotReadyReason } from '../domain/snapshot';
import type { ApplyProgress, ApplyRecord, TokenStatus } from '../domain/apply';
import type { ConnectionFormInput, FieldIssue } from '../domain/desired-state';
import type { ServiceNowErrorCode } from '../servicenow/errors';
import type { ApiKey, ChannelName, EventName } from './channels';

export { CHANNEL_NAMES, EVENT_NAMES, apiName, eventApiName, isChannelName, isEventName } from './channels';
export type { ApiKey, ChannelName, EventName } from './channels';

// --- Inputs ---

export const InstanceIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Instance id must be lowercase letters, digits and dashes.');

export const AuthMethodSchema = z.enum(['basic', 'oauth']);
export type AuthMethod = z.infer<typeof AuthMethodSchema>;

/** Add or edit an instance. Secrets are optional on edit: absent means "keep the stored one". */
export const InstanceInputSchema = z
  .object({
    id: InstanceIdSchema.optional(),
    name: z.string().trim().min(1, 'Name is required.').max(80, 'Name must be at most 80 characters.'),
    url: z.string().trim().min(1, 'Instance URL is required.'),
    authMethod: AuthMethodSchema,
    username: z.string().trim().min(1, 'User name is required.'),
    password: z.string().min(1).optional(),
    clientId: z.string().trim().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
  })
  .strict();
export type InstanceInput = z.infer<typeof InstanceInputSchema>;

const ById = z.object({ id: InstanceIdSchema }).strict();
const FormsInput = z.object({ id: InstanceIdSchema, main: z.unknown(), clientCred: z.unknown() }).strict();
const Empty = z.object({}).strict();

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

export interface DraftView {
  main: ConnectionFormInput;
  clientCred: ConnectionFormInput;
  updatedAt: string | null;
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

export interface ApplySummary {
  applyId: string;
  kind: 'apply' | 'rollback';
  status: ApplyRecord['status'];
  startedAt: string;
  finishedAt: string | null;
  created: number;
  updated: number;
  failed: number;
}

export interface ExportView {
  path: string | null;
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
  'app:drafts:save': channel<typeof FormsInput, { savedAt: string }>(FormsInput),
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
  >(z.object({ url: z.string().max(2048), instanceId: InstanceIdSchema.optional() }).strict()),
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
  | ServiceNowErrorCode
  | 'internal';

export type ChannelResult<C extends ChannelName> = Result<ChannelOutput<C>, IpcErrorCode>;

/** Events main sends to the renderer. */
export interface EventPayloads {
  'app:apply:progress': ApplyProgress;
}
const eventListsAgree: Same<keyof EventPayloads, EventName> = true;
void eventListsAgree;

/** window.api: one async function per channel, plus event subscriptions that return an unsubscribe. */
export type Api = {
  [C in ChannelName as ApiKey<C>]: (input: ChannelInput<C>) => Promise<ChannelResult<C>>;
} & {
  onApplyProgress(listener: (progress: ApplyProgress) => void): () => void;
};

/** What a channel's service receives: the input after zod parsing (defaults applied, strings trimmed). */
export type ChannelParsedInput<C extends ChannelName> = z.output<(typeof CHANNELS)[C]['input']>;
