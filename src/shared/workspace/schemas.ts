// The zod schemas of every file in a workspace folder, and their versions. Pure: the main process reads
// and writes the files (src/main/workspace), the renderer and CLI may validate imports with the same rules.
//
// Shareable (safe to commit to a team's git repository): instances.json, templates/*.json, drafts.
// Machine-local (listed in the workspace's .gitignore): per-instance state, snapshots, plans, the engine's
// journals and apply records, and the offline queue.
//
// Written with zod/mini, as the forms' rules are (src/shared/domain/desired-state.ts): classic zod's module
// and the methods it gives each schema cost every process that loads these schemas at start-up, the CLI
// included (issue 11). zod/mini loads no locale: src/shared/zod-english.ts sets the English one, so the
// messages zod writes itself read exactly as they did with classic zod.
import * as z from 'zod/mini';
import '../zod-english';
import type { InstanceStatus } from '../ipc/contract';
import { ConnectionFormSchema, EntraAppSchema } from '../domain/desired-state';
import { normalizeWorkspaceUrl } from './instance-id';
import { TemplateEntraSchema } from './template-rules';

// --- Kinds and versions (the envelope's `kind` and `version`) ---

export const FILE_KINDS = {
  instances: 'spokesmith.instances',
  instanceState: 'spokesmith.instance-state',
  draft: 'spokesmith.draft',
  snapshot: 'spokesmith.snapshot',
  plan: 'spokesmith.plan',
  template: 'spokesmith.template',
  queue: 'spokesmith.queue',
} as const;

export const FILE_VERSIONS = {
  instances: 2,
  instanceState: 1,
  draft: 1,
  snapshot: 1,
  plan: 1,
  template: 1,
  queue: 1,
} as const;

// --- Instances (instances.json, shareable) ---

export const INSTANCE_STATUSES = [
  'not_checked',
  'ready',
  'spoke_missing',
  'drift',
  'provisioned',
  'failed',
] as const satisfies readonly InstanceStatus[];

export const InstanceStatusSchema = z.enum(INSTANCE_STATUSES);

// --- Names (one rule each, also for the IPC inputs that take them: src/shared/ipc/contract.ts) ---

/** An instance's id is its folder's name under instances/ and its key in local-state.json. */
export const InstanceIdSchema = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Instance id must be lowercase letters, digits and dashes.'));

/** `{customer}` template variable names. */
export const VariableNameSchema = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z_][A-Za-z0-9_]{0,39}$/,
      'A variable name is letters, digits and _, starting with a letter.',
    ),
  );

/** A template's name is also its file name. */
export const TemplateNameSchema = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
      'A template name is letters, digits and _ . - (it is also its file name).',
    ),
  );

const IsoTime = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T/, 'must be an ISO date-time'));

/**
 * One instance as stored in instances.json: only what a team shares. No secret ever: passwords and
 * client secrets live in the OS keychain under the instance id. A strict object makes a hand-added
 * `password` key an error rather than something Spokesmith would quietly keep around.
 */
export const InstanceEntrySchema = z.strictObject({
  id: InstanceIdSchema,
  name: z.string().check(z.trim(), z.minLength(1, 'name is required'), z.maxLength(80)),
  url: z
    .string()
    .check(
      z.refine(
        (url) => normalizeWorkspaceUrl(url) === url,
        'must be an instance origin such as https://acme.service-now.com (lowercase, no path)',
      ),
    ),
  authMethod: z.enum(['basic', 'oauth']),
  username: z.string().check(z.trim(), z.minLength(1, 'username is required')),
  clientId: z.optional(z.string().check(z.trim(), z.minLength(1))),
  isDemo: z.boolean(),
  tags: z.optional(z.array(z.string().check(z.trim(), z.minLength(1)))),
  /** Per-instance template variables, e.g. `{ customer: 'ACME' }`. */
  variables: z.optional(z.record(VariableNameSchema, z.string())),
  /** The template this instance is provisioned from, when it is. */
  template: z.optional(TemplateNameSchema),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type InstanceEntry = z.infer<typeof InstanceEntrySchema>;

export const InstancesFileSchema = z.strictObject({ instances: z.array(InstanceEntrySchema) }).check(
  z.superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.instances.forEach((entry, index) => {
      if (seen.has(entry.id))
        ctx.addIssue({
          code: 'custom',
          path: ['instances', index, 'id'],
          message: `duplicate id "${entry.id}"`,
        });
      seen.add(entry.id);
    });
  }),
);
export type InstancesFile = z.infer<typeof InstancesFileSchema>;

/**
 * Version 1 of instances.json kept the host (`acme.service-now.com`) instead of the URL, and the
 * machine-local status inside the shared file. Version 2 stores the URL and moves status out (to
 * instances/<id>/state.json) so a shared instances.json does not change on every discovery.
 */
export function migrateInstancesV1(data: unknown): unknown {
  if (!isObject(data) || !Array.isArray(data.instances)) return data;
  return {
    instances: data.instances.map((entry: unknown) => {
      if (!isObject(entry)) return entry;
      const { host, status: _status, statusMessage: _message, lastDiscoveredAt: _last, ...rest } = entry;
      const url = typeof host === 'string' ? hostToUrl(host) : rest.url;
      return { ...rest, url, isDemo: rest.isDemo ?? false };
    }),
  };
}

function hostToUrl(host: string): string {
  const trimmed = host.trim().replace(/\/+$/, '');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)
    ? trimmed
    : /^(localhost|127\.|\[?::1)/i.test(trimmed)
      ? `http://${trimmed}`
      : `https://${trimmed}`;
  // Left as typed when it cannot be normalized: validation then names the entry and the field.
  return normalizeWorkspaceUrl(withScheme) ?? withScheme;
}

// --- Per-instance machine-local state (instances/<id>/state.json) ---

export const InstanceStateSchema = z.strictObject({
  status: InstanceStatusSchema,
  statusMessage: z.nullable(z.string()),
  lastDiscoveredAt: z.nullable(IsoTime),
});
export type InstanceState = z.infer<typeof InstanceStateSchema>;

// --- Drafts (instances/<id>/draft.json, shareable): a form as typed, valid or not ---

/** A partially filled form: any field may be missing or wrong; only the shape of values is checked. */
export const DraftFormSchema = z.record(
  z.string(),
  z.union([z.string(), z.boolean(), z.number(), z.array(z.string()), z.null()]),
);
export const DraftSchema = z.strictObject({
  main: DraftFormSchema,
  clientCred: DraftFormSchema,
  // The Entra app as typed (issue 10): tenant, client ID, secret expiry — never the secret. Optional:
  // drafts saved before it, and instances without an Entra app, have none.
  entra: z.optional(DraftFormSchema),
  updatedAt: IsoTime,
});
export type Draft = z.infer<typeof DraftSchema>;

// The plan, template and queue files' schemas are built on first use (z.lazy): only the commands that
// read such a file need them, and each schema zod builds costs every process that loads this module time
// at start-up (issue 11: an up-to-date `spokesmith apply` reads none of them).

// --- Plans (instances/<id>/plan.json, machine-local); mirrors src/shared/domain/plan.ts ---

export const PlanSchema = z.lazy(() => {
  const GrantSchema = z.enum(['authorization_code', 'client_credentials']);
  const FieldChangeSchema = z.object({ before: z.nullable(z.string()), after: z.nullable(z.string()) });
  const PlanActionSchema = z.object({
    id: z.string(),
    kind: z.enum(['credential', 'connection']),
    table: z.enum(['oauth_2_0_credentials', 'http_connection']),
    alias: z.enum(['main', 'clientCred']),
    name: z.string(),
    op: z.enum(['create', 'update', 'noop', 'blocked', 'delete']),
    sysId: z.nullable(z.string()),
    changes: z.record(z.string(), FieldChangeSchema),
    body: z.record(z.string(), z.string()),
    dependsOn: z.array(z.string()),
    reason: z.optional(z.string()),
    adoptedFrom: z.optional(z.string()),
    notes: z.array(z.string()),
    before: z.optional(z.nullable(z.record(z.string(), z.string()))),
    oauth: z.optional(
      z.object({
        grant: z.nullable(GrantSchema),
        profileSysId: z.nullable(z.string()),
      }),
    ),
  });
  /** A registry update (issue 10): only non-secret fields, and what happens to the secret — never its value. */
  const RegistryActionSchema = z.object({
    id: z.string(),
    kind: z.literal('registry'),
    table: z.literal('oauth_entity'),
    grant: GrantSchema,
    name: z.string(),
    op: z.enum(['update', 'noop', 'blocked']),
    sysId: z.nullable(z.string()),
    changes: z.record(z.string(), FieldChangeSchema),
    body: z.record(z.string(), z.string()),
    secret: z.nullable(z.enum(['set', 'replace', 'unchanged'])),
    before: z.nullable(z.record(z.string(), z.string())),
    reason: z.optional(z.string()),
    notes: z.array(z.string()),
  });
  const EntraCheckSummarySchema = z.object({
    status: z.enum(['passed', 'failed', 'skipped', 'not_run']),
    authority: z.string(),
    message: z.string(),
    field: z.optional(z.enum(['tenant', 'clientId', 'clientSecret', 'authority', 'entraApp'])),
    roles: z.optional(z.array(z.string())),
  });
  return z.object({
    version: z.literal(1),
    instanceUrl: z.string(),
    createdAt: IsoTime,
    snapshotAt: IsoTime,
    actions: z.array(PlanActionSchema),
    // Kept in plan.json too, so the registries' before/after and the check's verdict are there to inspect.
    registries: z.optional(z.array(RegistryActionSchema)),
    entraCheck: z.optional(EntraCheckSummarySchema),
  });
});

// --- Templates (templates/<name>.json, shareable) ---

export const TemplateSchema = z.lazy(() =>
  z.strictObject({
    name: TemplateNameSchema,
    description: z.optional(z.string()),
    variables: z.array(
      z.strictObject({
        name: VariableNameSchema,
        description: z.optional(z.string()),
        /** Used when an instance gives no value. */
        default: z.optional(z.string()),
      }),
    ),
    /** Fields that differ from the procedure's defaults; string values may hold `{variable}`. */
    main: DraftFormSchema,
    clientCred: DraftFormSchema,
    /**
     * Optional (issue 10): the Entra app the registries are derived from, as per-instance variables (its
     * rules are shared with the IPC input: template-rules.ts).
     */
    entra: z.optional(TemplateEntraSchema),
  }),
);
export type Template = z.infer<typeof TemplateSchema>;
export type TemplateVariable = Template['variables'][number];

// --- Offline queue (queue.json, machine-local) ---

export const QueueFileSchema = z.lazy(() => {
  /** The desired state a queued apply runs with: the two forms and the Entra app, never its secret. */
  const QueuedDesiredSchema = z.object({
    main: ConnectionFormSchema,
    clientCred: ConnectionFormSchema,
    entra: z.optional(EntraAppSchema),
  });
  const QueueEntrySchema = z.strictObject({
    id: z.string().check(z.minLength(1)),
    instanceId: InstanceIdSchema,
    /** Only applies are queued: everything else works offline. */
    action: z.literal('apply'),
    desired: QueuedDesiredSchema,
    /**
     * Optional (issue 10): where the Entra app is checked when the apply runs, as asked when it was
     * queued; `false`: the person declined the check. Absent: the running process's setting.
     */
    entraCheck: z.optional(z.union([z.strictObject({ authority: z.string() }), z.literal(false)])),
    /** Why it waits: the last failure's code (`network`, `timeout`, `hibernating`) or `offline`. */
    reason: z.string(),
    status: z.enum(['waiting', 'running', 'done', 'failed', 'cancelled']),
    requestedAt: IsoTime,
    attempts: z.int().check(z.gte(0)),
    lastAttemptAt: z.nullable(IsoTime),
    nextAttemptAt: z.nullable(IsoTime),
    lastError: z.nullable(z.string()),
    applyId: z.nullable(z.string()),
    finishedAt: z.nullable(IsoTime),
  });
  return z.strictObject({ entries: z.array(QueueEntrySchema) });
});
export type QueueFile = z.infer<typeof QueueFileSchema>;
export type QueueEntry = QueueFile['entries'][number];
export type QueueStatus = QueueEntry['status'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
