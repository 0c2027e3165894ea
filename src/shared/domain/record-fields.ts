// The ServiceNow element names the engine reads and writes, in one place. Names marked UNCERTAIN
// (docs/servicenow.md §1.2, §6.1) are not confirmed by any source: they live only here so a check on a live
// instance changes one line.

/** http_connection elements. */
export const CONNECTION_ELEMENTS = {
  name: 'name',
  credential: 'credential',
  alias: 'connection_alias',
  url: 'connection_url',
  useMid: 'use_mid',
  midSelection: 'mid_selection',
  midServer: 'mid_server',
  /** UNCERTAIN: the MID cluster reference on the Advanced MID Server Configuration tab. */
  midCluster: 'mid_cluster',
  /** UNCERTAIN: the MID capabilities list on the same tab. */
  midCapabilities: 'mid_capabilities',
  active: 'active',
  domain: 'sys_domain',
} as const;

/** oauth_2_0_credentials elements. */
export const CREDENTIAL_ELEMENTS = {
  name: 'name',
  active: 'active',
  profile: 'oauth_entity_profile',
  appliesTo: 'applies_to',
  order: 'order',
  domain: 'sys_domain',
} as const;

/**
 * oauth_entity (Application Registry) elements the Entra app step reads and writes (docs/servicenow.md §1.4:
 * ServiceNow's template JSON [D] and public code [C]). `client_secret` is a password2 field: written only
 * with `sysparm_input_display_value=true`, never read back in clear (docs/servicenow.md §3.7, §8); whether the
 * write needs that flag is UNCERTAIN (docs/servicenow.md §6.4), so it is always sent.
 */
export const REGISTRY_ELEMENTS = {
  name: 'name',
  clientId: 'client_id',
  clientSecret: 'client_secret',
  defaultGrantType: 'default_grant_type',
  authUrl: 'auth_url',
  tokenUrl: 'token_url',
  redirectUrl: 'redirect_url',
} as const;

/** The registry fields the plan compares and discovery keeps, in the form's order; never the secret. */
export const COMPARED_REGISTRY_ELEMENTS = [
  REGISTRY_ELEMENTS.clientId,
  REGISTRY_ELEMENTS.defaultGrantType,
  REGISTRY_ELEMENTS.authUrl,
  REGISTRY_ELEMENTS.tokenUrl,
  REGISTRY_ELEMENTS.redirectUrl,
] as const;

/**
 * UNCERTAIN (docs/servicenow.md §8): Flow Designer flows are `sys_hub_flow` rows found by `name`, with `active`
 * (boolean) and `status` (`published`, `draft`, …). No ServiceNow doc confirms these element names or
 * values, so they live only here. Spokesmith only reads flows.
 */
export const FLOW_ELEMENTS = { name: 'name', active: 'active', status: 'status' } as const;

/** What a new OAuth 2.0 credential gets besides its name and profile (docs/servicenow.md §5 step 4). */
export const NEW_CREDENTIAL_DEFAULTS = { active: 'true', applies_to: 'all', order: '100' } as const;

/** The connection fields the plan compares, in the form's order. */
export const COMPARED_CONNECTION_ELEMENTS = [
  CONNECTION_ELEMENTS.name,
  CONNECTION_ELEMENTS.credential,
  CONNECTION_ELEMENTS.alias,
  CONNECTION_ELEMENTS.url,
  CONNECTION_ELEMENTS.useMid,
  CONNECTION_ELEMENTS.midSelection,
  CONNECTION_ELEMENTS.midServer,
  CONNECTION_ELEMENTS.midCluster,
  CONNECTION_ELEMENTS.midCapabilities,
  CONNECTION_ELEMENTS.active,
  CONNECTION_ELEMENTS.domain,
] as const;

/** Labels a consultant knows from the ServiceNow form. */
export const ELEMENT_LABELS: Record<string, string> = {
  name: 'Name',
  credential: 'Credential',
  connection_alias: 'Connection alias',
  connection_url: 'Connection URL',
  use_mid: 'Use MID server',
  mid_selection: 'MID Selection',
  mid_server: 'MID Server',
  mid_cluster: 'MID Cluster',
  mid_capabilities: 'Capabilities',
  active: 'Active',
  sys_domain: 'Domain',
  oauth_entity_profile: 'OAuth Entity Profile',
  applies_to: 'Applies to',
  order: 'Order',
  client_id: 'Client ID',
  client_secret: 'Client Secret',
  default_grant_type: 'Default Grant Type',
  auth_url: 'Authorization URL',
  token_url: 'Token URL',
  redirect_url: 'Redirect URL',
};

export function elementLabel(element: string): string {
  return ELEMENT_LABELS[element] ?? element;
}

export const GLOBAL_DOMAIN = 'global';

/** The role discovery requires of the signed-in user (re-exported by snapshot.ts). */
export const ADMIN_ROLE = 'admin';

/** ServiceNow answers booleans as 'true'/'false' strings (docs/servicenow.md §3.3). */
export function boolString(value: boolean): 'true' | 'false' {
  return value ? 'true' : 'false';
}

export function parseBool(value: string | undefined | null): boolean {
  return value === 'true' || value === '1';
}

/** A reference to a record this plan creates, resolved at apply time: `{{credential:main}}`. */
export function placeholder(actionId: string): string {
  return `{{${actionId}}}`;
}

const PLACEHOLDER = /^\{\{([^}]+)\}\}$/;

export function placeholderTarget(value: string): string | null {
  const match = PLACEHOLDER.exec(value);
  return match ? (match[1] ?? null) : null;
}
