// Next steps after an apply (URLs: shared/domain/next-steps.ts) and the token check: read-only, re-runnable.
import type { TokenStatus } from '../../shared/domain/apply';
import { TABLES } from '../../shared/servicenow/spoke';
import type { EngineClient } from './client';

export { authorizeUrl, buildNextSteps, credentialFormUrl } from '../../shared/domain/next-steps';

/**
 * oauth_credential holds the tokens ServiceNow fetched for a credential. The link from a token to its
 * credential (`oauth_requestor` = the credential's sys_id) and `expires` are modelled on the platform's
 * token table as far as the docs show it; UNCERTAIN on a live instance, so unknown shapes read as "no token".
 */
const TOKEN_FIELDS = ['sys_id', 'oauth_requestor', 'token_type', 'expires'];

export async function tokenStatus(
  client: EngineClient,
  credentials: readonly { name: string; sysId: string }[],
  now: () => Date = () => new Date(),
): Promise<TokenStatus[]> {
  if (!credentials.length) return [];
  const rows = await client.list(TABLES.token, {
    query: `oauth_requestorIN${credentials.map((c) => c.sysId).join(',')}`,
    fields: TOKEN_FIELDS,
    noDomain: true,
  });
  const checkedAt = now().toISOString();
  return credentials.map((c) => {
    const tokens = rows.filter((r) => r.oauth_requestor === c.sysId);
    const access = tokens.filter((t) => (t.token_type ?? '').toLowerCase().includes('access'));
    const latest = (access.length ? access : tokens)
      .map((t) => t.expires ?? '')
      .filter(Boolean)
      .sort()
      .pop();
    return {
      credentialName: c.name,
      credentialSysId: c.sysId,
      hasToken: tokens.length > 0,
      expiresAt: latest ?? null,
      checkedAt,
    };
  });
}
