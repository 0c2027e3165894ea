// The tables the simulator knows, with the element names of docs/servicenow.md §1 (and the platform tables the
// tool reads for pre-flight). Table inheritance is modelled as on an instance: a child table has its
// parent's fields, and a query on the parent returns the children's rows (sys_class_name says which).

export type FieldType =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'reference'
  | 'password2'
  | 'glide_date_time'
  | 'glide_list'
  | 'sys_class_name';

export interface FieldDef {
  type: FieldType;
  /** Target table of a reference field. */
  ref?: string;
}

export interface TableDef {
  name: string;
  parent?: string;
  /** The field shown as the record's display value (references, display_value=true). */
  display: string;
  fields: Record<string, FieldDef>;
}

const s: FieldDef = { type: 'string' };
const b: FieldDef = { type: 'boolean' };
const i: FieldDef = { type: 'integer' };
const pw: FieldDef = { type: 'password2' };
const dt: FieldDef = { type: 'glide_date_time' };
const ref = (table: string): FieldDef => ({ type: 'reference', ref: table });

/** Every row of every table has these (docs/servicenow.md §3.1: sys_* fields are system parameters). */
export const SYSTEM_FIELDS: Record<string, FieldDef> = {
  sys_id: s,
  sys_created_on: dt,
  sys_created_by: s,
  sys_updated_on: dt,
  sys_updated_by: s,
  sys_mod_count: i,
  sys_domain: ref('domain'),
  sys_class_name: { type: 'sys_class_name' },
};

const TABLE_LIST: TableDef[] = [
  {
    // §1.1
    name: 'sys_alias',
    display: 'name',
    fields: {
      name: s,
      id: s,
      type: s,
      connection_type: s,
      multiple_connections: b,
      parent: ref('sys_alias'),
      configuration_template: s,
      retry_policy: s,
      is_internal: b,
      description: s,
      sys_scope: ref('sys_scope'),
      sys_package: s,
      sys_update_name: s,
      sys_name: s,
    },
  },
  {
    // §1.2
    name: 'sys_connection',
    display: 'name',
    fields: {
      name: s,
      active: b,
      connection_alias: ref('sys_alias'),
      credential: ref('discovery_credentials'),
      connection_url: s,
      application: ref('sys_scope'),
    },
  },
  {
    // §1.2. The URL-builder flag's element name is UNCERTAIN, so it is not modelled: a body that sends
    // some guess of it has that field ignored, as an instance ignores unknown fields.
    name: 'http_connection',
    parent: 'sys_connection',
    display: 'name',
    fields: {
      use_mid: b,
      mid_selection: s,
      mid_server: ref('ecc_agent'),
      host: s,
      protocol: s,
      port: s,
      connection_retries: i,
      order: i,
    },
  },
  {
    // §1.3
    name: 'discovery_credentials',
    display: 'name',
    fields: {
      name: s,
      active: b,
      type: s,
      classification: s,
      applies_to: s,
      mid_list: { type: 'glide_list' },
      order: i,
      tag: ref('sys_alias'),
      application: ref('sys_scope'),
    },
  },
  {
    name: 'oauth_2_0_credentials',
    parent: 'discovery_credentials',
    display: 'name',
    fields: { oauth_entity_profile: ref('oauth_entity_profile') },
  },
  {
    name: 'basic_auth_credentials',
    parent: 'discovery_credentials',
    display: 'name',
    fields: { user_name: s, password: pw },
  },
  {
    // §1.4
    name: 'oauth_entity',
    display: 'name',
    fields: {
      name: s,
      type: s,
      client_id: s,
      client_secret: pw,
      default_grant_type: s,
      auth_url: s,
      token_url: s,
      revoke_token_url: s,
      redirect_url: s,
      refresh_token_lifespan: i,
      access_token_lifespan: i,
      public_client: b,
      use_pkce: b,
      code_challenge_method: s,
      send_client_credentials_as: s,
      active: b,
      access: s,
      sys_scope: ref('sys_scope'),
    },
  },
  {
    name: 'oauth_entity_profile',
    display: 'name',
    fields: { name: s, oauth_entity: ref('oauth_entity'), grant_type: s, default: b },
  },
  {
    name: 'oauth_entity_scope',
    display: 'name',
    fields: { name: s, oauth_entity_scope: s, oauth_entity: ref('oauth_entity') },
  },
  {
    name: 'oauth_entity_profile_scope',
    display: 'oauth_entity_profile',
    fields: {
      oauth_entity_profile: ref('oauth_entity_profile'),
      oauth_entity_scope: ref('oauth_entity_scope'),
    },
  },
  {
    // Tokens (read-only for the tool, docs/servicenow.md §5 step 6).
    name: 'oauth_credential',
    display: 'peer',
    fields: {
      peer: ref('oauth_entity'),
      token_type: s,
      expires: dt,
      oauth_requestor: s,
      oauth_requestor_context: s,
      oauth_entity_profile: ref('oauth_entity_profile'),
      scope: s,
      user: ref('sys_user'),
      token: pw,
    },
  },
  {
    name: 'ecc_agent',
    display: 'name',
    fields: { name: s, status: s, validated: s, host_name: s, ip_address: s, version: s },
  },
  {
    name: 'domain',
    display: 'name',
    fields: { name: s, parent: ref('domain'), active: b, description: s },
  },
  {
    name: 'sys_user',
    display: 'name',
    fields: {
      user_name: s,
      first_name: s,
      last_name: s,
      name: s,
      email: s,
      active: b,
      locked_out: b,
      user_password: pw,
    },
  },
  { name: 'sys_user_role', display: 'name', fields: { name: s, description: s } },
  {
    name: 'sys_user_has_role',
    display: 'role',
    fields: { user: ref('sys_user'), role: ref('sys_user_role'), state: s, inherited: b },
  },
  { name: 'sys_properties', display: 'name', fields: { name: s, value: s, type: s, description: s } },
  {
    name: 'sys_scope',
    display: 'name',
    fields: { name: s, scope: s, version: s, active: b, vendor: s },
  },
  { name: 'sys_store_app', parent: 'sys_scope', display: 'name', fields: { dependencies: s } },
  {
    // docs/servicenow.md §8: Flow Designer flows (the two Walk-up flows). Element names UNCERTAIN; read-only use.
    name: 'sys_hub_flow',
    display: 'name',
    fields: { name: s, internal_name: s, active: b, status: s, description: s, sys_scope: ref('sys_scope') },
  },
];

export const TABLES: ReadonlyMap<string, TableDef> = new Map(TABLE_LIST.map((t) => [t.name, t]));

export function tableExists(name: string): boolean {
  return TABLES.has(name);
}

/** All fields of a table, its ancestors' and the system fields included. */
export function fieldsOf(table: string): Record<string, FieldDef> {
  const chain: TableDef[] = [];
  for (let t = TABLES.get(table); t; t = t.parent ? TABLES.get(t.parent) : undefined) chain.unshift(t);
  return Object.assign({}, SYSTEM_FIELDS, ...chain.map((t) => t.fields)) as Record<string, FieldDef>;
}

/** The table and every table that extends it (directly or not). */
export function selfAndDescendants(table: string): string[] {
  const out = [table];
  for (const t of TABLES.values()) {
    if (t.parent && out.includes(t.parent) && !out.includes(t.name)) out.push(t.name);
  }
  // A second pass catches grandchildren declared before their parent.
  for (const t of TABLES.values()) {
    if (t.parent && out.includes(t.parent) && !out.includes(t.name)) out.push(t.name);
  }
  return out;
}

export function isA(table: string, ancestor: string): boolean {
  for (let t = TABLES.get(table); t; t = t.parent ? TABLES.get(t.parent) : undefined) {
    if (t.name === ancestor) return true;
  }
  return false;
}

export function displayFieldOf(table: string): string {
  return TABLES.get(table)?.display ?? 'sys_id';
}
