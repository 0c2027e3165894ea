// What the two Application Registry records (oauth_entity) the spoke ships must hold, derived from the
// Entra app (docs/servicenow.md §1.4, §2 step 3, §8). Pure: the same tenant, client ID and instance always
// give the same values. The client secret is not among them: it never passes through the desired state
// or a plan, and is written from the keychain at apply time.
import type { GrantType } from '../servicenow/spoke';
import type { EntraApp } from './desired-state';
import { ENTRA_LOGIN_AUTHORITY, entraEndpoint } from './entra';
import { REGISTRY_ELEMENTS as R } from './record-fields';

export const GRANT_TYPES: readonly GrantType[] = ['authorization_code', 'client_credentials'];

/** The redirect URL an instance generates for a blank field (docs/servicenow.md §1.4). */
export function redirectUrl(instanceUrl: string): string {
  return `${instanceUrl.replace(/\/+$/, '')}/oauth_redirect.do`;
}

/**
 * Element → raw value for each registry. Both get the client ID, their default grant type and the token
 * URL; the Authorization Code registry also the authorization and redirect URLs, which only that grant
 * uses. (docs/servicenow.md §2 step 3 also lists a Redirect URL on the clientCredentials form; that grant never
 * redirects and the instance fills a blank one itself, so Spokesmith leaves it as it is.) The URLs always
 * name login.microsoftonline.com, whatever authority the Entra check used.
 */
export function registryFields(
  entra: Pick<EntraApp, 'tenant' | 'clientId'>,
  instanceUrl: string,
): Record<GrantType, Record<string, string>> {
  const tokenUrl = entraEndpoint(ENTRA_LOGIN_AUTHORITY, entra.tenant, 'token');
  return {
    authorization_code: {
      [R.clientId]: entra.clientId,
      [R.defaultGrantType]: 'authorization_code',
      [R.authUrl]: entraEndpoint(ENTRA_LOGIN_AUTHORITY, entra.tenant, 'authorize'),
      [R.tokenUrl]: tokenUrl,
      [R.redirectUrl]: redirectUrl(instanceUrl),
    },
    client_credentials: {
      [R.clientId]: entra.clientId,
      [R.defaultGrantType]: 'client_credentials',
      [R.tokenUrl]: tokenUrl,
    },
  };
}
