// The naive way to provision, for comparison: one GET per record looked up (each alias, each OAuth
// profile, each credential, each connection, the MID servers, the domain, the user's roles …), then the
// writes, then one GET per written record to verify, strictly one request after another. It uses the
// real client and really provisions, so its count is what a straightforward script would send.
import type { DesiredState } from '../../shared/domain/desired-state';
import { ALIASES, ALIAS_KEYS, OAUTH_REGISTRIES, SPOKE_SCOPE, TABLES } from '../../shared/servicenow/spoke';

/** The part of the ServiceNow client this uses. */
export interface NaiveClient {
  list(
    table: string,
    params?: { query?: string; fields?: readonly string[]; limit?: number },
  ): Promise<Array<Record<string, string>>>;
  get(table: string, sysId: string): Promise<Record<string, string> | null>;
  create(table: string, body: Record<string, string>): Promise<Record<string, string>>;
  update(table: string, sysId: string, body: Record<string, string>): Promise<Record<string, string>>;
}

export interface NaiveResult {
  written: Array<{ table: string; sysId: string }>;
}

const one = async (client: NaiveClient, table: string, query: string) =>
  (await client.list(table, { query, limit: 1 }))[0] ?? null;

export async function naiveProvision(
  client: NaiveClient,
  userName: string,
  desired: DesiredState,
): Promise<NaiveResult> {
  // --- Look everything up, one record per request ---
  const user = await one(client, TABLES.user, `user_name=${userName}`);
  await client.list(TABLES.userRole, { query: `user=${user?.sys_id ?? ''}^role.name=admin` });
  await one(client, TABLES.storeApp, `scope=${SPOKE_SCOPE}`);
  const aliases: Record<string, Record<string, string> | null> = {};
  for (const key of ALIAS_KEYS) aliases[key] = await one(client, TABLES.alias, `id=${ALIASES[key].id}`);
  const profiles: Record<string, Record<string, string> | null> = {};
  for (const grant of ['authorization_code', 'client_credentials'] as const) {
    const entity = await one(client, TABLES.oauthEntity, `name=${OAUTH_REGISTRIES[grant].entityName}`);
    profiles[grant] = await one(
      client,
      TABLES.oauthProfile,
      `oauth_entity=${entity?.sys_id ?? ''}^default=true`,
    );
  }
  const credentials: Record<string, Record<string, string> | null> = {};
  const connections: Record<string, Record<string, string> | null> = {};
  for (const key of ALIAS_KEYS) {
    credentials[key] = await one(client, TABLES.credential, `name=${desired[key].credential}`);
    connections[key] = await one(client, TABLES.connection, `name=${desired[key].name}`);
    // Another active connection on the alias (WCS's "MS Graph 1/2") would have to be adopted.
    await one(client, TABLES.connection, `connection_alias=${aliases[key]?.sys_id ?? ''}^active=true`);
  }
  await one(client, TABLES.domain, `name=${desired.main.domain}`);
  await client.list(TABLES.midServer, { query: 'status=Up' });

  // --- Write what is missing, one request per record ---
  const written: NaiveResult['written'] = [];
  for (const key of ALIAS_KEYS) {
    const form = desired[key];
    let credential = credentials[key];
    if (!credential) {
      credential = await client.create(TABLES.credential, {
        name: form.credential,
        active: 'true',
        oauth_entity_profile: profiles[form.grant]?.sys_id ?? '',
        applies_to: 'all',
        order: '100',
      });
      written.push({ table: TABLES.credential, sysId: credential.sys_id ?? '' });
    }
    const body = {
      name: form.name,
      credential: credential.sys_id ?? '',
      connection_alias: aliases[key]?.sys_id ?? '',
      connection_url: form.connectionUrl,
      use_mid: String(form.useMid),
      active: String(form.active),
    };
    const existing = connections[key];
    if (existing && Object.entries(body).every(([field, value]) => existing[field] === value)) continue;
    const connection = existing
      ? await client.update(TABLES.connection, existing.sys_id ?? '', body)
      : await client.create(TABLES.connection, body);
    written.push({ table: TABLES.connection, sysId: connection.sys_id ?? '' });
  }

  // --- Verify: re-read every written record ---
  for (const record of written) await client.get(record.table, record.sysId);
  return { written };
}
