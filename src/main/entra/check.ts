// The Entra check (issue 10, docs/servicenow.md §8): before anything is written to an instance, ask the
// customer's tenant for a client-credentials token and read which Microsoft Graph application permissions
// it carries. Every answer is put in plain words naming the field to fix. The secret goes into the form
// body only: never into a URL, a message, a log line or a thrown error.
import got, { type Response } from 'got';
import { createTransport, requestOptions } from '../servicenow/transport';
import {
  ENTRA_LOGIN_AUTHORITY,
  GRAPH_DEFAULT_SCOPE,
  REQUIRED_GRAPH_ROLES,
  entraEndpoint,
  isGuid,
  isTenant,
} from '../../shared/domain/entra';
import type { EntraCheckField } from '../../shared/domain/plan';
import { normalizeWorkspaceUrl } from '../../shared/workspace/instance-id';

export type EntraProblem =
  | 'invalid_input'
  | 'unknown_tenant'
  | 'unknown_client'
  | 'invalid_secret'
  | 'expired_secret'
  | 'consent_missing'
  | 'permission_missing'
  | 'html'
  | 'timeout'
  | 'unreachable'
  | 'unexpected';

/** Which input the person should look at: a desired-state field, the secret, the authority, or the app in Entra. */
export type EntraField = EntraCheckField;

/** What Entra said, for the customer's Entra admin to look up (never the secret). */
export interface EntraErrorInfo {
  error: string;
  codes: number[];
  traceId: string | null;
  correlationId: string | null;
  timestamp: string | null;
}

export type EntraCheckResult =
  | { ok: true; roles: string[]; message: string }
  | {
      ok: false;
      problem: EntraProblem;
      field: EntraField;
      message: string;
      /** For permission_missing: the required roles the token lacks. */
      missingRoles?: string[];
      /** The roles the token did carry (consent_missing: none). */
      roles?: string[];
      entra?: EntraErrorInfo;
    };

export interface EntraCheckInput {
  tenant: string;
  clientId: string;
  clientSecret: string;
}

export interface EntraCheckOptions {
  /** Default https://login.microsoftonline.com; https only, plain http for loopback (the simulator). */
  authority?: string;
  /** Default REQUIRED_GRAPH_ROLES. */
  requiredRoles?: readonly string[];
  /** Defaults 10 s to connect, 20 s to the first byte, 30 s in all: Entra answers in about a second. */
  timeouts?: { connectMs?: number; responseMs?: number; requestMs?: number };
  /** For the proxy and extra CA variables (default process.env). */
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_TIMEOUTS = { connectMs: 10_000, responseMs: 20_000, requestMs: 30_000 };
/** A token is a few KB and an error body less; anything bigger is not Entra answering. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * The authority as `<origin><path>` without a trailing slash, or null. The scheme/host rule is the repo's
 * one (normalizeWorkspaceUrl: https, or http for loopback only); on top an authority must be written with
 * its scheme and carry no credentials, query or fragment.
 */
export function normalizeAuthority(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.username || url.password || url.search || url.hash) return null;
  const origin = normalizeWorkspaceUrl(url.origin);
  if (!origin) return null;
  return `${origin}${url.pathname.replace(/\/+$/, '')}`;
}

type Failure = Extract<EntraCheckResult, { ok: false }>;
const fail = (
  problem: EntraProblem,
  field: EntraField,
  message: string,
  extra: Partial<Failure> = {},
): Failure => ({
  ok: false,
  problem,
  field,
  message,
  ...extra,
});

/** The normalized authority, or why the input cannot be checked (nothing is sent then). */
function validateInput(input: EntraCheckInput, given: string): { authority: string } | Failure {
  const authority = normalizeAuthority(given);
  if (!authority)
    return fail(
      'invalid_input',
      'authority',
      `Entra authority "${given}" is not usable: give an https URL such as ${ENTRA_LOGIN_AUTHORITY} (plain http only for this computer).`,
    );
  if (!isTenant(input.tenant.trim()))
    return fail(
      'invalid_input',
      'tenant',
      'Tenant ID must be the Directory (tenant) ID, a GUID, or a domain such as contoso.onmicrosoft.com.',
    );
  if (!isGuid(input.clientId.trim()))
    return fail('invalid_input', 'clientId', 'Client ID must be the Application (client) ID, a GUID.');
  if (input.clientSecret.trim() === '')
    return fail('invalid_input', 'clientSecret', 'Client secret is required to check the Entra app.');
  return { authority };
}

export async function checkEntraApp(
  input: EntraCheckInput,
  options: EntraCheckOptions = {},
): Promise<EntraCheckResult> {
  const valid = validateInput(input, options.authority ?? ENTRA_LOGIN_AUTHORITY);
  if ('problem' in valid) return valid;
  const tenant = input.tenant.trim();
  const clientId = input.clientId.trim();
  const url = entraEndpoint(valid.authority, tenant, 'token');

  const sent = await post(url, { clientId, clientSecret: input.clientSecret }, options);
  if ('problem' in sent) return sent;
  const required = options.requiredRoles ?? REQUIRED_GRAPH_ROLES;
  return interpret(sent.response, { tenant, clientId, authority: valid.authority, required });
}

type Sent = { response: Response<string> } | Failure;

async function post(
  url: string,
  credentials: { clientId: string; clientSecret: string },
  options: EntraCheckOptions,
): Promise<Sent> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const transport = createTransport(new URL(url).origin, options.env ?? process.env);
  const request = got.post(url, {
    ...requestOptions(transport, timeouts),
    form: {
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      scope: GRAPH_DEFAULT_SCOPE,
    },
    headers: { accept: 'application/json', 'user-agent': 'Spokesmith' },
  });
  let tooLarge = false;
  request.on('downloadProgress', (progress: { transferred: number }) => {
    if (progress.transferred > MAX_RESPONSE_BYTES && !tooLarge) {
      tooLarge = true;
      request.cancel();
    }
  });
  try {
    return { response: await request };
  } catch (error) {
    // got's errors carry the request options (the form body with the secret): only their code is used.
    const code = (error as { code?: unknown }).code;
    const host = new URL(url).host;
    if (tooLarge)
      return fail(
        'unexpected',
        'authority',
        `Entra at ${host} answered more than ${MAX_RESPONSE_BYTES / 1024} KB: that is not a token answer.`,
      );
    if (code === 'ETIMEDOUT')
      return fail(
        'timeout',
        'authority',
        `Entra at ${host} did not answer in time: check the network or the Entra authority, then try again.`,
      );
    return fail(
      'unreachable',
      'authority',
      `Entra at ${host} could not be reached${typeof code === 'string' ? ` (${code})` : ''}: check the network, the proxy or the Entra authority.`,
    );
  } finally {
    transport.close();
  }
}

interface Context {
  tenant: string;
  clientId: string;
  authority: string;
  required: readonly string[];
}

interface EntraErrorBody {
  error?: unknown;
  error_description?: unknown;
  error_codes?: unknown;
  trace_id?: unknown;
  correlation_id?: unknown;
  timestamp?: unknown;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function interpret(response: Response<string>, ctx: Context): EntraCheckResult {
  const host = new URL(ctx.authority).host;
  const body = parseJson(response.body);
  const contentType = String(response.headers['content-type'] ?? '');
  if (body === undefined || typeof body !== 'object' || body === null) {
    if (/html/i.test(contentType) || /^\s*</.test(response.body))
      return fail(
        'html',
        'authority',
        `Entra at ${host} answered with a web page instead of a token (HTTP ${response.statusCode}): a proxy or sign-in page is in the way, or the Entra authority is wrong.`,
      );
    return fail(
      'unexpected',
      'authority',
      `Entra at ${host} answered HTTP ${response.statusCode} without a readable body.`,
    );
  }
  if (response.statusCode === 200) return readToken(body as { access_token?: unknown }, ctx);
  return explainError(body as EntraErrorBody, response.statusCode, ctx);
}

/**
 * The granted application permissions are the access token's `roles` claim. The JWT's payload is only
 * decoded, not verified: the token came straight from the authority over TLS in answer to this request,
 * it is used for nothing but reading what Entra granted, and Microsoft Graph tokens are meant to be
 * opaque to clients (their signature is not verifiable by an app), so a check would add a key fetch and
 * prove nothing more.
 */
export function rolesOfToken(token: string): string[] | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  const claims = parseJson(Buffer.from(payload, 'base64url').toString('utf8'));
  if (!claims || typeof claims !== 'object') return null;
  const roles = (claims as { roles?: unknown }).roles;
  if (roles === undefined) return [];
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
}

function readToken(body: { access_token?: unknown }, ctx: Context): EntraCheckResult {
  const roles = typeof body.access_token === 'string' ? rolesOfToken(body.access_token) : null;
  if (roles === null)
    return fail('unexpected', 'authority', 'Entra answered without a readable access token.');
  if (roles.length === 0)
    return fail(
      'consent_missing',
      'entraApp',
      `Admin consent is missing: the token for client ${ctx.clientId} carries no application permission. In Entra, open the app's API permissions, add Microsoft Graph ${ctx.required.join(', ')} as an Application permission and choose "Grant admin consent".`,
      { roles },
    );
  const missing = ctx.required.filter((r) => !roles.includes(r));
  if (missing.length)
    return fail(
      'permission_missing',
      'entraApp',
      `The Entra app lacks the Microsoft Graph application permission${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (granted: ${roles.join(', ')}). Add ${missing.length > 1 ? 'them' : 'it'} under API permissions as Application permission${missing.length > 1 ? 's' : ''} and grant admin consent.`,
      { roles, missingRoles: missing },
    );
  return { ok: true, roles, message: `The Entra app works: Microsoft Graph granted ${roles.join(', ')}.` };
}

function explainError(body: EntraErrorBody, status: number, ctx: Context): Failure {
  const codes = Array.isArray(body.error_codes)
    ? body.error_codes.filter((c): c is number => typeof c === 'number')
    : [];
  const error = typeof body.error === 'string' ? body.error : '';
  const info: EntraErrorInfo = {
    error,
    codes,
    traceId: typeof body.trace_id === 'string' ? body.trace_id : null,
    correlationId: typeof body.correlation_id === 'string' ? body.correlation_id : null,
    timestamp: typeof body.timestamp === 'string' ? body.timestamp : null,
  };
  // Microsoft warns that codes and texts change (docs/servicenow.md §8): the AADSTS number only words a hint,
  // the `error` value is the fallback.
  const ref = `(AADSTS${codes[0] ?? '?'}${info.traceId ? `; trace ID ${info.traceId}` : ''}${info.correlationId ? `, correlation ID ${info.correlationId}` : ''})`;
  const has = (code: number) => codes.includes(code);
  const extra = { entra: info };
  if (has(90002) || has(900023))
    return fail(
      'unknown_tenant',
      'tenant',
      `Tenant ID: Entra knows no tenant "${ctx.tenant}". Check the Directory (tenant) ID on the app's Overview page ${ref}.`,
      extra,
    );
  if (has(700016) || (error === 'unauthorized_client' && !codes.length))
    return fail(
      'unknown_client',
      'clientId',
      `Client ID: no application ${ctx.clientId} exists in tenant "${ctx.tenant}". Check the Application (client) ID, and that it belongs to this tenant ${ref}.`,
      extra,
    );
  if (has(7000222))
    return fail(
      'expired_secret',
      'clientSecret',
      `Client secret: it has expired. Create a new client secret under Certificates & secrets and enter its value ${ref}.`,
      extra,
    );
  if (has(7000215) || error === 'invalid_client')
    return fail(
      'invalid_secret',
      'clientSecret',
      `Client secret: Entra refused it. Enter the secret's Value (not its Secret ID), copied when it was created ${ref}.`,
      extra,
    );
  if (has(65001))
    return fail(
      'consent_missing',
      'entraApp',
      `Admin consent is missing for the Entra app: grant admin consent to its Microsoft Graph application permissions ${ref}.`,
      extra,
    );
  return fail(
    'unexpected',
    'entraApp',
    `Entra refused the token request (HTTP ${status}${error ? `, ${error}` : ''}) ${ref}.`,
    extra,
  );
}
