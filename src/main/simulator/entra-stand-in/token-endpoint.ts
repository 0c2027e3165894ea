// POST /entra/{tenant}/oauth2/v2.0/token: a stand-in for the Microsoft identity platform's client-credentials
// token endpoint (docs/servicenow.md §8), so the app's demo and every test can check an Entra app without a
// tenant. Errors are answered as Microsoft answers them: `error`, `error_description` starting with the
// AADSTS code and ending with the trace/correlation IDs and timestamp, `error_codes`, `timestamp`,
// `trace_id`, `correlation_id`, `error_uri`. The AADSTS numbers beyond 90002, 700016, 7000215 and 7000222
// (which docs/servicenow.md §8 names) follow Microsoft's error-code reference and are UNCERTAIN.
import { randomUUID } from 'node:crypto';
import { html, json, type SimResponse } from '../http/response';
import type { EntraFault } from '../types';
import type { EntraApp } from './app';
import { appOnlyToken } from './jwt';

const TOKEN_LIFETIME_SECONDS = 3599;

/** The `timestamp` field's format: `2026-12-06 15:49:43Z`. */
function entraTimestamp(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function entraError(status: number, error: string, code: number, message: string): SimResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = entraTimestamp(new Date());
  return json(
    status,
    {
      error,
      error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
    { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' },
  );
}

const unknownTenant = (tenant: string): SimResponse =>
  entraError(
    400,
    'invalid_request',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  );

const unknownClient = (clientId: string, tenant: string): SimResponse =>
  entraError(
    400,
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  );

const wrongSecret = (clientId: string): SimResponse =>
  entraError(
    401,
    'invalid_client',
    7000215,
    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  );

const expiredSecret = (clientId: string): SimResponse =>
  entraError(
    401,
    'invalid_client',
    7000222,
    `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
  );

const missingParameter = (name: string): SimResponse =>
  entraError(
    400,
    'invalid_request',
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  );

/** What a sign-in page, proxy or captive portal sends where JSON was expected. */
export function entraHtmlPage(): SimResponse {
  return html(
    200,
    '<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body><form method="post"><h1>Sign in</h1><input type="email" name="loginfmt"></form></body></html>',
  );
}

export interface EntraRequest {
  method: string;
  tenant: string;
  contentType: string | undefined;
  body: Buffer | null;
}

/** The answer, or null when the endpoint must never answer (the `hang` fault). */
export function handleEntraToken(app: EntraApp, req: EntraRequest): SimResponse | null {
  const config = app.config;
  const forced = config.fault;
  if (forced === 'hang') return null;
  if (forced === 'html') return entraHtmlPage();
  if (req.method !== 'POST')
    return entraError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
  if (!req.contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded'))
    return missingParameter('grant_type');
  const form = new URLSearchParams(req.body?.toString('utf8') ?? '');
  const clientId = form.get('client_id') ?? '';
  const secret = form.get('client_secret') ?? '';

  if (forced === 'unknown_tenant' || !app.isTenant(req.tenant)) return unknownTenant(req.tenant);
  const grant = form.get('grant_type');
  if (!grant) return missingParameter('grant_type');
  if (grant !== 'client_credentials')
    return entraError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grant}'.`,
    );
  if (!clientId) return missingParameter('client_id');
  if (forced === 'wrong_client_id' || clientId.toLowerCase() !== config.clientId.toLowerCase())
    return unknownClient(clientId, req.tenant);
  if (!secret)
    return entraError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  if (forced === 'wrong_secret' || !app.secretIs(secret)) return wrongSecret(clientId);
  if (forced === 'expired_secret' || config.secretExpired) return expiredSecret(clientId);
  const scope = form.get('scope') ?? '';
  if (!scope) return missingParameter('scope');
  if (!scope.endsWith('/.default'))
    return entraError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  return json(
    200,
    {
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_SECONDS,
      ext_expires_in: TOKEN_LIFETIME_SECONDS,
      access_token: appOnlyToken({
        tenantId: config.tenantId,
        clientId: config.clientId,
        audience: scope.slice(0, -'/.default'.length),
        roles: grantedRoles(forced, config.adminConsented, config.roles),
        lifetimeSeconds: TOKEN_LIFETIME_SECONDS,
      }),
    },
    { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' },
  );
}

/**
 * The `roles` claim: none at all without admin consent (docs/servicenow.md §8: no error is returned for that,
 * the token simply lacks the role); the `permission_missing` fault drops Calendars.ReadWrite only.
 */
function grantedRoles(
  forced: EntraFault | null,
  consented: boolean,
  roles: readonly string[],
): string[] | null {
  if (forced === 'consent_missing' || !consented) return null;
  const granted =
    forced === 'permission_missing' ? roles.filter((r) => r !== 'Calendars.ReadWrite') : [...roles];
  if (forced === 'permission_missing' && granted.length === 0) granted.push('User.Read.All');
  return granted.length > 0 ? granted : null;
}
