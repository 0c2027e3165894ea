// The ServiceNow element names the engine reads and writes, in one place. Names marked UNCERTAIN
// (servicenow.md §1.2, §6.1) are not confirmed by any source: they live only here so a check on a live
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

/** What a new OAuth 2.0 credential gets besides its name and profile (servicenow.md §5 step 4). */
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
};

export function elementLabel(element: string): string {
  return ELEMENT_LABELS[element] ?? element;
}

export const GLOBAL_DOMAIN = 'global';

/** The role discovery requires of the signed-in user (re-exported by snapshot.ts). */
export const ADMIN_ROLE = 'admin';

/** ServiceNow answers booleans as 'true'/'false' strings (servicenow.md §3.3). */
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
