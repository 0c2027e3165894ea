// The Microsoft Exchange Online spoke as it ships on an instance (docs/servicenow.md §0, §2).

export const SPOKE_SCOPE = 'sn_ex_online_spke';
export const SPOKE_NAME = 'Microsoft Exchange Online Spoke';
export const GRAPH_URL = 'https://graph.microsoft.com';

export type AliasKey = 'main' | 'clientCred';
export const ALIAS_KEYS: readonly AliasKey[] = ['main', 'clientCred'];

export type GrantType = 'authorization_code' | 'client_credentials';

export interface AliasSpec {
  key: AliasKey;
  /** sys_alias.name */
  name: string;
  /** sys_alias.id: `<scope>.<name>` */
  id: string;
  /** The procedure's table number for this alias' HTTP(s) Connection form. */
  table: 1 | 2;
  defaultConnectionName: string;
  defaultCredentialName: string;
  /**
   * The OAuth profile the alias' credential is bound to by default. The Walk-up procedure binds the main
   * alias to the Authorization Code profile; the WCS docs want Client Credentials on both
   * (docs/servicenow.md §2 "Grant type per alias"), so the desired state makes it configurable.
   */
  defaultGrant: GrantType;
}

export const ALIASES: Record<AliasKey, AliasSpec> = {
  main: {
    key: 'main',
    name: 'Microsoft_Exchange_Online',
    id: `${SPOKE_SCOPE}.Microsoft_Exchange_Online`,
    table: 1,
    defaultConnectionName: 'Exchange_Online_Connection',
    defaultCredentialName: 'Exchange_Online_Credentials',
    defaultGrant: 'authorization_code',
  },
  clientCred: {
    key: 'clientCred',
    name: 'Microsoft_Exchange_Online_clientCred',
    id: `${SPOKE_SCOPE}.Microsoft_Exchange_Online_clientCred`,
    table: 2,
    defaultConnectionName: 'Exchange_Online_Connection_clientCred',
    defaultCredentialName: 'Exchange_Online_Credentials_clientCred',
    defaultGrant: 'client_credentials',
  },
};

export function aliasKeyByName(name: string): AliasKey | undefined {
  return ALIAS_KEYS.find((k) => ALIASES[k].name === name);
}

/** The two Application Registry records (oauth_entity) the spoke ships, and their auto-created default profiles. */
export const OAUTH_REGISTRIES: Record<GrantType, { entityName: string; profileName: string }> = {
  authorization_code: {
    entityName: 'Microsoft Exchange Online',
    profileName: 'Microsoft Exchange Online default_profile',
  },
  client_credentials: {
    entityName: 'Microsoft Exchange Online_clientCredentials',
    profileName: 'Microsoft Exchange Online_clientCredentials default_profile',
  },
};

/** Pre-seeded by Workplace Calendar Synchronization; the docs tell admins to edit these, not add new ones. */
export const WCS_PRESEEDED: Record<AliasKey, string> = { main: 'MS Graph 1', clientCred: 'MS Graph 2' };

export const TABLES = {
  alias: 'sys_alias',
  connection: 'http_connection',
  credential: 'oauth_2_0_credentials',
  oauthEntity: 'oauth_entity',
  oauthProfile: 'oauth_entity_profile',
  midServer: 'ecc_agent',
  domain: 'domain',
  user: 'sys_user',
  userRole: 'sys_user_has_role',
  property: 'sys_properties',
  storeApp: 'sys_store_app',
  token: 'oauth_credential',
  flow: 'sys_hub_flow',
} as const;

/** The Walk-up flows that must be active once the registries and connections are in place (docs/servicenow.md §2 step 6). */
export const WALKUP_FLOWS = [
  'Create Walk-up Appointment Calendar Event',
  'Update/Delete Walk-up Appointment Calendar Event',
] as const;
export type WalkupFlowName = (typeof WALKUP_FLOWS)[number];

/**
 * UNCERTAIN (docs/servicenow.md §1.2, §6.2): the stored value of "Specific MID Cluster" is not confirmed by any
 * source. `specific_mid_cluster` is the likely one; it is a single constant here so it can be changed in one
 * place once checked on a live instance.
 */
export const MID_SELECTION_VALUES = {
  auto: 'auto_select',
  server: 'specific_mid_server',
  cluster: 'specific_mid_cluster',
} as const;
export type MidSelection = keyof typeof MID_SELECTION_VALUES;
