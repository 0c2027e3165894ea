// The config file's format (`--config FILE`) as a JSON Schema, for editors, scripts and the README.
// Generated from the zod schemas that validate the file (src/shared/domain/desired-state.ts), so the
// published schema (resources/schema/desired-state.schema.json, `spokesmith schema`) cannot drift from
// what the CLI accepts.
import { z } from 'zod';
import { ALIASES, ALIAS_KEYS, GRAPH_URL } from '../servicenow/spoke';
import { ConfigFileSchema, ConnectionFormSchema, EntraAppSchema } from './desired-state';

type FormField = keyof typeof ConnectionFormSchema.shape;

/** What each field means, in the words of the procedure's tables (Table 1 and Table 2). */
const FIELD_HELP: Record<Exclude<FormField, 'alias'>, string> = {
  name: 'Name of the HTTP(s) connection (http_connection.name).',
  credential:
    'Name of the OAuth 2.0 credential; created and bound to the spoke OAuth profile when the instance has none by that name.',
  urlBuilder: 'URL builder check box: the procedure says leave it unchecked (false).',
  connectionUrl: `Connection URL; the procedure uses ${GRAPH_URL}.`,
  useMid: 'Use MID server.',
  midSelection: 'How the MID Server is chosen when useMid is true.',
  midServer: 'MID Server name (ecc_agent.name) when midSelection is "server".',
  midCluster: 'MID cluster name when midSelection is "cluster".',
  midCapabilities: 'MID capabilities, e.g. ["ALL"].',
  active: 'Whether the connection is active.',
  domain: 'Domain of the connection: "global" or a domain name.',
  grant: "Which of the spoke's OAuth profiles a newly created credential is bound to.",
};

type EntraFieldName = keyof typeof EntraAppSchema.shape;

/** The Entra app's fields, in the words of Entra's "App registrations" page (docs/servicenow.md §8). */
const ENTRA_HELP: Record<EntraFieldName, string> = {
  tenant: 'Directory (tenant) ID: a GUID, or the tenant domain such as contoso.onmicrosoft.com.',
  clientId: 'Application (client) ID of the Entra app registration: a GUID.',
  secretExpires:
    'When the client secret expires (YYYY-MM-DD, "Certificates & secrets" in Entra), if known: drift warns 30 days before.',
};

export function configFileJsonSchema(): Record<string, unknown> {
  const aliasNames = ALIAS_KEYS.map((k) => ALIASES[k].name) as [string, ...string[]];
  // Every field but the alias is optional: a form lists only what differs from the defaults.
  const fields = Object.fromEntries(
    Object.entries(FIELD_HELP).map(([field, help]) => [
      field,
      z.optional(ConnectionFormSchema.shape[field as FormField]).describe(help),
    ]),
  );
  const alias = z
    .enum(aliasNames)
    .describe(
      `Which form: ${ALIAS_KEYS.map((k) => `${ALIASES[k].name} (Table ${ALIASES[k].table})`).join(' or ')}.`,
    );
  const form = z
    .object({ alias, ...fields })
    .strict()
    .describe('One connection form: its alias and the fields that differ from the documented defaults.');
  const file = z
    .object({
      // The form schemas are zod/mini ones (src/shared/domain/desired-state.ts): described with checks.
      version: ConfigFileSchema.shape.version.check(z.describe('Format version: 1.')),
      connections: z
        .array(form)
        .describe('The forms to change, at most one per alias; a form not listed keeps its defaults.'),
      entra: entraApp(),
    })
    .strict()
    .meta({ title: 'Spokesmith desired state (--config FILE)' });
  return z.toJSONSchema(file, { io: 'input' });
}

/**
 * The optional `entra` object. The client secret is not a field (additionalProperties false): it is given
 * through ENTRA_CLIENT_SECRET or a hidden prompt and kept only in the OS keychain.
 */
function entraApp() {
  const fields = Object.fromEntries(
    Object.entries(ENTRA_HELP).map(([field, help]) => [
      field,
      field === 'secretExpires'
        ? EntraAppSchema.shape.secretExpires.check(z.meta({ description: help, format: 'date' }))
        : EntraAppSchema.shape[field as EntraFieldName].check(z.describe(help)),
    ]),
  );
  return z
    .object(fields)
    .strict()
    .optional()
    .describe(
      "The customer's Entra app the two Application Registries are filled from (optional: without it they are left alone). " +
        'The client secret is never in this file: set ENTRA_CLIENT_SECRET or enter it when asked; it is kept in the OS keychain.',
    );
}
