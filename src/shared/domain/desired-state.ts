// The desired state: the two HTTP(s) Connection forms of the ServiceNow procedure
// (docs/servicenow.md §2: the procedure's Table 1 and Table 2), as a zod schema with messages a consultant
// understands, each tied to its field.
//
// Written with zod/mini, not classic zod: the renderer validates both forms on every keystroke with these
// schemas, and classic zod's method-laden schemas are most of the renderer's first script (issue 11). The
// mini schemas share zod's core with classic ones, so main parses with them and composes them into its
// classic schemas unchanged. zod/mini loads no locale: the English one is set by src/shared/zod-english.ts
// so the messages zod writes itself (a field of the wrong type) read exactly as they do with classic zod.
import * as z from 'zod/mini';
import '../zod-english';
import { ALIASES, ALIAS_KEYS, GRAPH_URL, aliasKeyByName, type AliasKey } from '../servicenow/spoke';
import { defaultForm } from './default-forms';
import { isGuid, isTenant } from './entra';

// The documented defaults live in a module of their own, free of zod, so the renderer's first screen can
// build empty forms without loading the rules (src/renderer/src/lib/form-rules.svelte.ts).
export { defaultForm, defaultDesiredState } from './default-forms';

/** Characters ServiceNow names may hold here: letters, digits, space, `_ - . ( )`. */
const NAME_PATTERN = /^[A-Za-z0-9_ .()-]+$/;
const NAME_MAX = 80;

function recordName(label: string) {
  return z
    .string({ error: `${label} is required.` })
    .check(
      z.trim(),
      z.minLength(1, `${label} is required.`),
      z.maxLength(NAME_MAX, `${label} must be at most ${NAME_MAX} characters.`),
      z.regex(NAME_PATTERN, `${label} may contain only letters, digits, spaces and _ - . ( ).`),
    );
}

export const MidSelectionSchema = z.enum(['auto', 'server', 'cluster'], {
  error: 'MID selection must be auto, a specific MID Server or a specific MID cluster.',
});

export const GrantTypeSchema = z.enum(['authorization_code', 'client_credentials'], {
  error: 'OAuth profile must be authorization_code or client_credentials.',
});

/** One HTTP(s) Connection form, field by field in the procedure's order. */
export const ConnectionFormSchema = z
  .strictObject({
    /** Connection alias (sys_alias.name); fixed per form. */
    alias: z.string({ error: 'Connection alias is required.' }),
    name: recordName('Name'),
    /** Credential name; created as an OAuth 2.0 credential when the instance does not have it. */
    credential: recordName('Credential'),
    /** The procedure says: do not select the check box. */
    urlBuilder: z.boolean({ error: 'URL builder must be true or false.' }),
    connectionUrl: z
      .string({ error: 'Connection URL is required.' })
      .check(z.trim(), z.minLength(1, 'Connection URL is required.')),
    useMid: z.boolean({ error: 'Use MID server must be true or false.' }),
    midSelection: z.optional(MidSelectionSchema),
    /** MID Server name (ecc_agent.name), for a specific MID Server. */
    midServer: z.optional(z.string().check(z.trim())),
    /** MID cluster name, for a specific MID cluster. */
    midCluster: z.optional(z.string().check(z.trim())),
    /** MID capabilities, e.g. ["ALL"]. */
    midCapabilities: z._default(
      z.array(z.string().check(z.trim(), z.minLength(1, 'A capability cannot be empty.'))),
      [],
    ),
    active: z.boolean({ error: 'Active must be true or false.' }),
    /** Domain the connection belongs to: `global` or a domain name. */
    domain: recordName('Domain'),
    /** Which of the spoke's OAuth profiles a newly created credential is bound to. */
    grant: GrantTypeSchema,
  })
  .check(
    z.superRefine((form, ctx) => {
      const issue = (path: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: [path], message });
      if (!aliasKeyByName(form.alias)) {
        issue(
          'alias',
          `Unknown connection alias "${form.alias}": use ${ALIAS_KEYS.map((k) => ALIASES[k].name).join(' or ')}.`,
        );
      }
      if (form.urlBuilder)
        issue('urlBuilder', 'URL builder must stay unchecked: the procedure says not to select it.');
      const url = parseUrl(form.connectionUrl);
      if (!url) issue('connectionUrl', `Connection URL "${form.connectionUrl}" is not a valid URL.`);
      else if (url.protocol !== 'https:')
        issue('connectionUrl', `Connection URL must use https (enter ${GRAPH_URL}).`);
      if (form.useMid) {
        if (!form.midSelection)
          issue('midSelection', 'Use MID server is checked: choose how the MID Server is selected.');
        if (form.midSelection === 'server' && !form.midServer)
          issue('midServer', 'Choose the MID Server to use.');
        if (form.midSelection === 'cluster' && !form.midCluster)
          issue('midCluster', 'Choose the MID cluster to use.');
      }
    }),
  );

export type ConnectionForm = z.infer<typeof ConnectionFormSchema>;
export type ConnectionFormInput = z.input<typeof ConnectionFormSchema>;
export type ConnectionField = keyof ConnectionForm;

/**
 * The customer's Entra app (issue 10, docs/servicenow.md §2 step 2–3, §8): what the two Application
 * Registries are derived from. The client secret is deliberately not here: it lives only in the OS
 * keychain, so a desired state can be saved, templated and shown anywhere.
 */
export const EntraAppSchema = z.strictObject({
  /** Directory (tenant) ID: a GUID or a `*.onmicrosoft.com` domain; kept lower-case (Entra ignores case). */
  tenant: z.string({ error: 'Tenant ID is required.' }).check(
    z.trim(),
    z.toLowerCase(),
    z.minLength(1, 'Tenant ID is required.'),
    z.refine(
      (v) => v === '' || isTenant(v), // empty: "is required" above says it
      'Tenant ID must be the Directory (tenant) ID, a GUID, or a domain such as contoso.onmicrosoft.com.',
    ),
  ),
  /** Application (client) ID, a GUID. */
  clientId: z.string({ error: 'Client ID is required.' }).check(
    z.trim(),
    z.toLowerCase(),
    z.minLength(1, 'Client ID is required.'),
    z.refine(
      (v) => v === '' || isGuid(v),
      'Client ID must be the Application (client) ID, a GUID such as 1a2b3c4d-…-…-…-….',
    ),
  ),
  /** When the client secret expires (YYYY-MM-DD, from Entra's "Certificates & secrets"), if known. */
  secretExpires: z.optional(
    z
      .string({ error: 'Client secret expiry must be a date such as 2027-06-30.' })
      .check(z.trim(), z.refine(isIsoDate, 'Client secret expiry must be a date such as 2027-06-30.')),
  ),
});

export type EntraApp = z.infer<typeof EntraAppSchema>;
export type EntraAppInput = z.input<typeof EntraAppSchema>;
export type EntraField = keyof EntraApp;

/** Keys that would carry the secret; named so the message can say where the secret belongs instead. */
const SECRET_KEYS = ['clientSecret', 'secret', 'client_secret'];

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/**
 * Validates the Entra app as typed. `now` decides whether the expiry date is in the past (a date equal to
 * today's UTC date still counts: the secret works until the end of that day). Issues are reported with
 * form null and field `entra.<field>`.
 */
export function validateEntraApp(input: unknown, now: Date): { entra?: EntraApp; issues: FieldIssue[] } {
  const issue = (field: string, message: string): FieldIssue => ({
    form: null,
    field: `entra.${field}`,
    message,
    severity: 'error',
  });
  const issues: FieldIssue[] = [];
  let candidate = input;
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    const record = input as Record<string, unknown>;
    for (const key of SECRET_KEYS.filter((k) => k in record)) {
      issues.push(
        issue(
          key,
          'The client secret is never part of the desired state: enter it in the app or the CLI, which keep it in the keychain.',
        ),
      );
    }
    candidate = Object.fromEntries(Object.entries(record).filter(([k]) => !SECRET_KEYS.includes(k)));
  }
  const parsed = EntraAppSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const field = i.code === 'unrecognized_keys' ? (i.keys[0] ?? 'entra') : String(i.path[0] ?? 'entra');
      const message =
        i.code === 'unrecognized_keys'
          ? `Unknown field "${field}": the Entra app has tenant, clientId and secretExpires.`
          : i.message;
      issues.push(issue(field, message));
    }
    return { issues };
  }
  const expires = parsed.data.secretExpires;
  if (expires && expires < now.toISOString().slice(0, 10)) {
    issues.push(
      issue(
        'secretExpires',
        `Client secret expiry ${expires} is in the past: create a new client secret in Entra and enter its expiry.`,
      ),
    );
  }
  return issues.length ? { issues } : { entra: parsed.data, issues };
}

/** Both forms, keyed by alias, and optionally the Entra app the registries are derived from. */
export interface DesiredState {
  main: ConnectionForm;
  clientCred: ConnectionForm;
  /** Optional: a desired state without it (every one saved before issue 10) leaves the registries alone. */
  entra?: EntraApp;
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

// --- Validation results ---

export interface FieldIssue {
  /** Which form: the alias key, or null for problems of the file as a whole. */
  form: AliasKey | null;
  /** The form field (ConnectionField) or a config-file path such as `connections[2]`. */
  field: string;
  message: string;
  severity: 'error' | 'warning' | 'info';
}

export function formatIssue(issue: FieldIssue): string {
  const where = issue.form ? `${ALIASES[issue.form].name}.${issue.field}` : issue.field;
  return `${where}: ${issue.message}`;
}

/** Validates one form as typed; returns every problem at once. */
export function validateForm(key: AliasKey, input: unknown): { form?: ConnectionForm; issues: FieldIssue[] } {
  const parsed = ConnectionFormSchema.safeParse(input);
  const issues: FieldIssue[] = [];
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      issues.push({ form: key, field: String(i.path[0] ?? 'form'), message: i.message, severity: 'error' });
    }
  } else {
    if (parsed.data.alias !== ALIASES[key].name && aliasKeyByName(parsed.data.alias)) {
      issues.push({
        form: key,
        field: 'alias',
        message: `Table ${ALIASES[key].table} belongs to alias ${ALIASES[key].name}, not ${parsed.data.alias}.`,
        severity: 'error',
      });
    }
    if (parsed.data.connectionUrl.replace(/\/+$/, '') !== GRAPH_URL) {
      issues.push({
        form: key,
        field: 'connectionUrl',
        message: `The procedure uses ${GRAPH_URL}; check that this URL is intended.`,
        severity: 'warning',
      });
    }
  }
  return { form: parsed.success ? parsed.data : undefined, issues };
}

/**
 * Validates both forms, the Entra app when given, and the rules between them. `now` only matters for the
 * Entra app's secret expiry.
 */
export function validateDesiredState(
  input: { main: unknown; clientCred: unknown; entra?: unknown },
  now: Date = new Date(),
): {
  desired?: DesiredState;
  issues: FieldIssue[];
} {
  const main = validateForm('main', input.main);
  const clientCred = validateForm('clientCred', input.clientCred);
  const entra = input.entra === undefined ? null : validateEntraApp(input.entra, now);
  const issues = [...main.issues, ...clientCred.issues, ...(entra?.issues ?? [])];
  if (main.form && clientCred.form) {
    if (main.form.name === clientCred.form.name) {
      issues.push({
        form: 'clientCred',
        field: 'name',
        message: 'The two connections need different names.',
        severity: 'error',
      });
    }
    if (main.form.credential === clientCred.form.credential && main.form.active && clientCred.form.active) {
      issues.push({
        form: 'clientCred',
        field: 'credential',
        message: 'A credential can be used by only one active connection: give each form its own credential.',
        severity: 'error',
      });
    }
  }
  const ok = main.form && clientCred.form && !issues.some((i) => i.severity === 'error');
  const desired: DesiredState | undefined = ok
    ? { main: main.form!, clientCred: clientCred.form!, ...(entra?.entra ? { entra: entra.entra } : {}) }
    : undefined;
  return { desired, issues };
}

// --- Config file (`spokesmith … --config FILE`) ---

/** "a list", "a string", … for messages about a value of the wrong kind. */
function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const FORM_EXAMPLE = '{ "alias": "Microsoft_Exchange_Online", "name": "…" }';

/** A config file overrides the documented defaults, form by form. Its JSON Schema: `spokesmith schema`. */
export const ConfigFileSchema = z.strictObject(
  {
    version: z._default(z.literal(1, { error: 'version must be 1.' }), 1),
    /**
     * The customer's Entra app (EntraAppSchema; validated with validateEntraApp so a `clientSecret` key
     * is refused with a message saying where the secret goes).
     */
    entra: z.optional(z.unknown()),
    connections: z.array(
      z.record(z.string(), z.unknown(), {
        error: (iss) => `must be a form (an object) such as ${FORM_EXAMPLE}, not ${kindOf(iss.input)}.`,
      }),
      {
        error: (iss) =>
          iss.input === undefined
            ? `required: the list of forms to change, e.g. [${FORM_EXAMPLE}] (an empty list keeps the documented defaults).`
            : `must be a list of forms such as [${FORM_EXAMPLE}], not ${kindOf(iss.input)}.`,
      },
    ),
  },
  {
    error: (iss) => {
      if (iss.code === 'invalid_type')
        return `The file must hold one JSON object, { "version": 1, "connections": [${FORM_EXAMPLE}] }, not ${kindOf(iss.input)}.`;
      if (iss.code === 'unrecognized_keys')
        return `Unknown key${iss.keys.length === 1 ? '' : 's'} ${iss.keys.map((k) => `"${k}"`).join(', ')}: the file holds only "version", "connections" and "entra".`;
      return undefined;
    },
  },
);

/** `connections[1].alias`: where in the file, in the notation of a JSON path. */
function configPath(path: readonly PropertyKey[]): string {
  if (!path.length) return 'top level';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
    .join('');
}

/**
 * Merges a parsed config file over the defaults and validates the result. Every problem is reported at
 * once, each with its path, so the CLI can list them all and send nothing.
 */
export function desiredStateFromConfig(
  raw: unknown,
  now: Date = new Date(),
): { desired?: DesiredState; issues: FieldIssue[] } {
  const file = ConfigFileSchema.safeParse(raw);
  if (!file.success) {
    return {
      issues: file.error.issues.map((i) => ({
        form: null,
        field: configPath(i.path),
        message: i.message,
        severity: 'error' as const,
      })),
    };
  }
  const merged: Record<AliasKey, Record<string, unknown>> = {
    main: { ...defaultForm('main') },
    clientCred: { ...defaultForm('clientCred') },
  };
  const issues: FieldIssue[] = [];
  const seen = new Set<AliasKey>();
  file.data.connections.forEach((entry, index) => {
    const aliasName = typeof entry.alias === 'string' ? entry.alias : undefined;
    const key = aliasName ? aliasKeyByName(aliasName) : undefined;
    if (!key) {
      issues.push({
        form: null,
        field: `connections[${index}].alias`,
        message: aliasName
          ? `Unknown connection alias "${aliasName}": use ${ALIAS_KEYS.map((k) => ALIASES[k].name).join(' or ')}.`
          : `Each connection needs an alias: ${ALIAS_KEYS.map((k) => ALIASES[k].name).join(' or ')}.`,
        severity: 'error',
      });
      return;
    }
    if (seen.has(key)) {
      issues.push({
        form: null,
        field: `connections[${index}].alias`,
        message: `${aliasName} is listed twice.`,
        severity: 'error',
      });
      return;
    }
    seen.add(key);
    merged[key] = { ...merged[key], ...entry };
  });
  const entra = file.data.entra === undefined ? {} : { entra: file.data.entra };
  const result = validateDesiredState({ ...merged, ...entra }, now);
  return { desired: issues.length ? undefined : result.desired, issues: [...issues, ...result.issues] };
}
