// Credentials and connections some scenarios start with.
import type { SimDatabase } from '../db/database';
import type { GrantType } from '../../../shared/servicenow/spoke';
import { GRAPH_URL } from '../../../shared/servicenow/spoke';
import { seed } from './seeder';
import { spokeIds } from './spoke';

export function seedCredential(db: SimDatabase, name: string, grant: GrantType, domain = 'global'): string {
  return (
    seed(db, 'oauth_2_0_credentials', name, {
      name,
      active: 'true',
      type: 'oauth_2_0',
      applies_to: 'all',
      order: '100',
      oauth_entity_profile: spokeIds.profile(grant),
      sys_domain: domain,
    }).sys_id ?? ''
  );
}

export function seedConnection(
  db: SimDatabase,
  name: string,
  alias: 'main' | 'clientCred',
  credential: string,
  domain = 'global',
): string {
  return (
    seed(db, 'http_connection', name, {
      name,
      active: 'true',
      connection_alias: spokeIds.alias(alias),
      credential,
      connection_url: GRAPH_URL,
      use_mid: 'false',
      mid_selection: 'auto_select',
      sys_domain: domain,
    }).sys_id ?? ''
  );
}
