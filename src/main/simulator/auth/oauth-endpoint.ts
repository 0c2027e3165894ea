// POST /oauth_token.do (docs/servicenow.md §3.6): form-urlencoded password and refresh_token grants.
// Error bodies follow what instances send for a refused grant (`{"error_description":"access_denied",
// "error":"server_error"}` with 401); UNCERTAIN beyond that.
import type { SimDatabase } from '../db/database';
import { json, type SimResponse } from '../http/response';
import { checkPassword } from './authenticate';
import { DEMO_OAUTH_CLIENT } from './credentials';
import type { TokenStore } from './tokens';

const denied = (): SimResponse => json(401, { error_description: 'access_denied', error: 'server_error' });

export function handleOAuthToken(
  db: SimDatabase,
  tokens: TokenStore,
  method: string,
  contentType: string | undefined,
  body: Buffer | null,
): { response: SimResponse; userName: string | null } {
  if (method !== 'POST') return { response: json(405, { error: 'invalid_request' }), userName: null };
  if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return {
      response: json(400, { error: 'invalid_request', error_description: 'form body required' }),
      userName: null,
    };
  }
  const form = new URLSearchParams(body?.toString('utf8') ?? '');
  if (
    form.get('client_id') !== DEMO_OAUTH_CLIENT.clientId ||
    form.get('client_secret') !== DEMO_OAUTH_CLIENT.clientSecret
  ) {
    return { response: denied(), userName: null };
  }
  const grantType = form.get('grant_type');
  if (grantType === 'password') {
    const user = checkPassword(db, form.get('username') ?? '', form.get('password') ?? '');
    if (!user) return { response: denied(), userName: null };
    return { response: json(200, tokens.issue(user.sys_id ?? '')), userName: user.user_name ?? null };
  }
  if (grantType === 'refresh_token') {
    const grant = tokens.redeem(form.get('refresh_token') ?? '');
    return grant ? { response: json(200, grant), userName: null } : { response: denied(), userName: null };
  }
  return {
    response: json(400, { error: 'unsupported_grant_type', error_description: 'unsupported grant type' }),
    userName: null,
  };
}
