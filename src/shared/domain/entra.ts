// The Microsoft Entra ID facts Spokesmith relies on, in one place (docs/servicenow.md §1.4, §8): the
// shape of tenant and client IDs, the login authority the registries name, the token endpoint's URL and
// the Graph application permissions the spoke needs.

/** What the registries always name, whatever authority the Entra check was pointed at. */
export const ENTRA_LOGIN_AUTHORITY = 'https://login.microsoftonline.com';

/** The client-credentials scope for Microsoft Graph application permissions (docs/servicenow.md §1.4). */
export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

/**
 * The Graph application permissions the app-only token must carry. `Calendars.ReadWrite` is what the Walk-up
 * calendar integration and WCS normal mode name (docs/servicenow.md §1.4); whether the spoke's Walk-up flows need
 * more is UNCERTAIN — the Walk-up doc's permission list is a screenshot (docs/servicenow.md §1.4 "Graph
 * permissions"). A list, so a confirmed addition changes one line.
 */
export const REQUIRED_GRAPH_ROLES: readonly string[] = ['Calendars.ReadWrite'];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A tenant's initial domain: one DNS label under onmicrosoft.com. */
const TENANT_DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.onmicrosoft\.com$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** The Directory (tenant) ID GUID or a `*.onmicrosoft.com` domain (docs/servicenow.md §8). */
export function isTenant(value: string): boolean {
  return GUID.test(value) || TENANT_DOMAIN.test(value);
}

/** `<authority>/<tenant>/oauth2/v2.0/<endpoint>`; the tenant is path-encoded (it is untrusted input). */
export function entraEndpoint(authority: string, tenant: string, endpoint: 'token' | 'authorize'): string {
  return `${authority.replace(/\/+$/, '')}/${encodeURIComponent(tenant)}/oauth2/v2.0/${endpoint}`;
}
