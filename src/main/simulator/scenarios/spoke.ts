// The Microsoft Exchange Online spoke as it ships (docs/servicenow.md §0, §1.1, §1.4, §2): the store app, the
// two aliases (clientCred a child of the main alias) and the two Application Registry records with their
// auto-created default profiles.
import type { SimDatabase } from '../db/database';
import {
  ALIASES,
  OAUTH_REGISTRIES,
  SPOKE_NAME,
  SPOKE_SCOPE,
  type GrantType,
} from '../../../shared/servicenow/spoke';
import { seed, seededId } from './seeder';

export const SPOKE_VERSION = '4.1.0';

export const spokeIds = {
  app: seededId('sys_store_app', SPOKE_SCOPE),
  alias: (key: 'main' | 'clientCred'): string => seededId('sys_alias', ALIASES[key].id),
  entity: (grant: GrantType): string => seededId('oauth_entity', OAUTH_REGISTRIES[grant].entityName),
  profile: (grant: GrantType): string =>
    seededId('oauth_entity_profile', OAUTH_REGISTRIES[grant].profileName),
};

export function seedSpoke(db: SimDatabase): void {
  seed(db, 'sys_store_app', SPOKE_SCOPE, {
    name: SPOKE_NAME,
    scope: SPOKE_SCOPE,
    version: SPOKE_VERSION,
    active: 'true',
    vendor: 'ServiceNow',
  });
  const main = seed(db, 'sys_alias', ALIASES.main.id, {
    name: ALIASES.main.name,
    id: ALIASES.main.id,
    type: 'connection',
    connection_type: 'http_connection',
    multiple_connections: 'false',
    configuration_template: 'Microsoft Exchange Online Authorization Code',
    sys_scope: spokeIds.app,
    sys_name: ALIASES.main.id,
  });
  seed(db, 'sys_alias', ALIASES.clientCred.id, {
    name: ALIASES.clientCred.name,
    id: ALIASES.clientCred.id,
    type: 'connection',
    connection_type: 'http_connection',
    multiple_connections: 'false',
    parent: main.sys_id ?? '',
    sys_scope: spokeIds.app,
    sys_name: ALIASES.clientCred.id,
  });
  for (const grant of ['authorization_code', 'client_credentials'] as const) {
    const { entityName, profileName } = OAUTH_REGISTRIES[grant];
    const entity = seed(db, 'oauth_entity', entityName, {
      name: entityName,
      type: 'oauth_provider',
      default_grant_type: grant,
      active: 'true',
      access_token_lifespan: '1800',
      refresh_token_lifespan: '8640000',
      send_client_credentials_as: 'request_body_parameter',
      sys_scope: spokeIds.app,
    });
    seed(db, 'oauth_entity_profile', profileName, {
      name: profileName,
      oauth_entity: entity.sys_id ?? '',
      grant_type: grant,
      default: 'true',
    });
  }
}
