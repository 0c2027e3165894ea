// Discovery: everything the plan and the checks need, in as few round trips as the Table API allows. One
// Batch API request carries every read (IN queries, one-level dot-walks, sysparm_fields, no-domain); the
// user's name and roles come from whoami() unless the caller already knows the user name. When the
// instance refuses the Batch API (400/404/405: some restrict it) the same reads go as plain GETs, the
// four essential ones always and the others only when the desired state needs them.
import {
  ALIASES,
  ALIAS_KEYS,
  OAUTH_REGISTRIES,
  SPOKE_SCOPE,
  TABLES,
  WALKUP_FLOWS,
} from '../../shared/servicenow/spoke';
import type { DesiredState } from '../../shared/domain/desired-state';
import {
  COMPARED_REGISTRY_ELEMENTS,
  CONNECTION_ELEMENTS as C,
  FLOW_ELEMENTS as F,
  GLOBAL_DOMAIN,
  REGISTRY_ELEMENTS as R,
  parseBool,
} from '../../shared/domain/record-fields';
import type { GRANT_TYPES } from '../../shared/domain/registry-fields';
import {
  ADMIN_ROLE,
  type AliasInfo,
  type ConnectionRecord,
  type CredentialRecord,
  type FlowRecord,
  type NotReadyReason,
  type OAuthProfile,
  type RegistryRecord,
  type Snapshot,
} from '../../shared/domain/snapshot';
import type { ServiceNowFailure } from '../../shared/servicenow/errors';
import { ServiceNowError, queryValue, tableUrl, type ListParams, type RawRecord } from '../servicenow';
import { batchRefused, isBatchRefusal, rememberBatchRefused } from './batch-refusal';
import type { EngineClient } from './client';

export type DiscoverOutcome =
  | { ok: true; snapshot: Snapshot }
  | { ok: false; reason: NotReadyReason; message: string; snapshot: Snapshot };

export interface DiscoverOptions {
  desired?: DesiredState;
  now?: () => Date;
  /** The user the client signs in as; defaults to the client's own, so roles are read in the one batch. */
  userName?: string;
}

const LIST_LIMIT = 5000;

/** UNCERTAIN (docs/servicenow.md §1.2): the MID cluster table. Read tolerantly; absent on many instances. */
const MID_CLUSTER_TABLE = 'ecc_agent_cluster';

interface Read {
  id: string;
  table: string;
  params: ListParams;
  /** Discovery can do without it (the snapshot lists it in `unread`). */
  optional: boolean;
  /** Read in the plain-GET fallback only when this says so. */
  neededWithoutBatch: boolean;
}

const SCOPE_WALK = ['sys_scope.scope', 'sys_scope.version', 'sys_scope.active'];

const CONNECTION_FIELDS = [
  'sys_id',
  C.name,
  C.alias,
  C.credential,
  `${C.credential}.name`,
  C.url,
  C.useMid,
  C.midSelection,
  C.midServer,
  C.midCluster,
  C.midCapabilities,
  C.active,
  C.domain,
];

function plannedReads(desired: DesiredState | undefined, userName: string | null): Read[] {
  const forms = desired ? ALIAS_KEYS.map((k) => desired[k]) : [];
  const usesMidServer = !desired || forms.some((f) => f.useMid);
  const usesDomain = !desired || forms.some((f) => f.domain.toLowerCase() !== GLOBAL_DOMAIN);
  const common = { noDomain: true, limit: LIST_LIMIT };
  const reads: Read[] = [
    {
      id: 'aliases',
      table: TABLES.alias,
      params: {
        ...common,
        query: `idIN${ALIAS_KEYS.map((k) => ALIASES[k].id).join(',')}`,
        // The aliases' application (dot-walked) also says which spoke version is installed: enough without
        // the batch, where a separate read of sys_scope would cost a round trip.
        fields: ['sys_id', 'name', 'id', 'multiple_connections', 'parent', 'sys_scope', ...SCOPE_WALK],
      },
      optional: false,
      neededWithoutBatch: true,
    },
    {
      // sys_scope, not sys_store_app: a query on the parent also finds a spoke installed as a plugin.
      id: 'spoke',
      table: 'sys_scope',
      params: { ...common, query: `scope=${SPOKE_SCOPE}`, fields: ['sys_id', 'scope', 'version', 'active'] },
      optional: false,
      neededWithoutBatch: false,
    },
    // Every connection (a few fields each): the name-taken check needs all names, not just the aliases'.
    {
      id: 'connections',
      table: TABLES.connection,
      params: { ...common, fields: CONNECTION_FIELDS },
      optional: false,
      neededWithoutBatch: true,
    },
    {
      id: 'credentials',
      table: TABLES.credential,
      params: {
        ...common,
        fields: ['sys_id', 'name', 'oauth_entity_profile', 'active', 'sys_domain', 'sys_class_name'],
      },
      optional: false,
      neededWithoutBatch: true,
    },
    {
      id: 'profiles',
      table: TABLES.oauthProfile,
      params: {
        ...common,
        query: `oauth_entity.nameIN${Object.values(OAUTH_REGISTRIES)
          .map((r) => queryValue(r.entityName))
          .join(',')}^default=true`,
        fields: ['sys_id', 'name', 'oauth_entity', 'oauth_entity.name', 'grant_type'],
      },
      optional: false,
      neededWithoutBatch: true,
    },
    {
      // The two Application Registries (issue 10). client_secret is asked for only to learn whether it is
      // set: the Table API answers a mask, never the value (docs/servicenow.md §8), and only a boolean is kept.
      id: 'registries',
      table: TABLES.oauthEntity,
      params: {
        ...common,
        query: `${R.name}IN${Object.values(OAUTH_REGISTRIES)
          .map((r) => queryValue(r.entityName))
          .join(',')}`,
        fields: ['sys_id', R.name, R.clientSecret, ...COMPARED_REGISTRY_ELEMENTS],
      },
      optional: true,
      neededWithoutBatch: !desired || desired.entra !== undefined,
    },
    {
      // The Walk-up flows, read only (docs/servicenow.md §8; element names UNCERTAIN, so optional).
      id: 'flows',
      table: TABLES.flow,
      params: {
        ...common,
        query: `${F.name}IN${WALKUP_FLOWS.map((n) => queryValue(n)).join(',')}`,
        fields: ['sys_id', F.name, F.active, F.status],
      },
      optional: true,
      neededWithoutBatch: false,
    },
    {
      id: 'mids',
      table: TABLES.midServer,
      params: { ...common, fields: ['sys_id', 'name', 'status', 'validated'] },
      optional: true,
      neededWithoutBatch: usesMidServer,
    },
    {
      id: 'clusters',
      table: MID_CLUSTER_TABLE,
      params: { ...common, fields: ['sys_id', 'name'] },
      optional: true,
      neededWithoutBatch: false,
    },
    {
      id: 'domains',
      table: TABLES.domain,
      params: { ...common, fields: ['sys_id', 'name'] },
      optional: true,
      neededWithoutBatch: usesDomain,
    },
    {
      id: 'build',
      table: TABLES.property,
      params: { ...common, query: 'nameINglide.buildtag,glide.war', fields: ['name', 'value'] },
      optional: true,
      neededWithoutBatch: false,
    },
  ];
  if (userName) {
    reads.push(
      {
        id: 'user',
        table: TABLES.user,
        params: {
          query: `user_name=${queryValue(userName)}`,
          fields: ['sys_id', 'user_name', 'sys_domain'],
          limit: 1,
        },
        optional: false,
        // Without the batch the roles read (dot-walking to the user) stands in for it.
        neededWithoutBatch: false,
      },
      {
        id: 'roles',
        table: TABLES.userRole,
        params: {
          query: `user.user_name=${queryValue(userName)}^state=active`,
          fields: ['role.name', 'user', 'user.sys_domain'],
          limit: LIST_LIMIT,
        },
        // Not optional: a refused read (a user without admin may not read roles) ends in the
        // admin_role_missing verdict below, but a failed one (a 5xx, a timeout) must not pass for it.
        optional: false,
        neededWithoutBatch: true,
      },
    );
  }
  return reads;
}

export async function discover(
  client: EngineClient,
  options: DiscoverOptions = {},
): Promise<DiscoverOutcome> {
  const now = options.now ?? (() => new Date());
  const startCount = client.requestCount;
  const userName = options.userName ?? client.userName;
  let who: { userName: string; sysId: string; roles: string[] } | null = null;
  if (!userName) who = await client.whoami();
  const reads = plannedReads(options.desired, userName || null);
  const { results, unread, failures } = await runReads(client, reads);

  const rows = (id: string): RawRecord[] => results.get(id) ?? [];
  if (userName) {
    const user = rows('user')[0];
    const role = rows('roles')[0];
    who = {
      userName: user?.user_name || userName,
      sysId: user?.sys_id || role?.user || '',
      roles: [
        ...new Set(
          rows('roles')
            .map((r) => r['role.name'] ?? '')
            .filter(Boolean),
        ),
      ].sort(),
    };
  }
  const snapshot = buildSnapshot(
    client.instanceUrl,
    now(),
    client.requestCount - startCount,
    rows,
    (id) => results.has(id),
    who,
    unread,
  );
  const notReady = readiness(snapshot, options.desired);
  // A user without admin is refused reads; that is the answer, not the refusals. A read that failed
  // otherwise (the roles' too) means the snapshot is not to be trusted, whatever it seems to say.
  if (notReady?.reason === 'admin_role_missing' && failures.every(isRefusal))
    return { ok: false, ...notReady, snapshot };
  const [failure] = failures.filter((f) => !isRefusal(f)).concat(failures);
  if (failure) throw new ServiceNowError(failure);
  return notReady ? { ok: false, ...notReady, snapshot } : { ok: true, snapshot };
}

async function runReads(
  client: EngineClient,
  reads: Read[],
): Promise<{ results: Map<string, RawRecord[]>; unread: string[]; failures: ServiceNowFailure[] }> {
  const results = new Map<string, RawRecord[]>();
  const unread: string[] = [];
  const failures: ServiceNowFailure[] = [];
  let answers = null;
  if (!batchRefused(client)) {
    try {
      answers = await client.batch(
        reads.map((r) => ({ id: r.id, method: 'GET', url: tableUrl(r.table, r.params) })),
      );
    } catch (error) {
      if (!isBatchRefusal(error)) throw error;
      rememberBatchRefused(client);
    }
  }
  if (answers) {
    for (const read of reads) {
      const answer = answers.find((a) => a.id === read.id);
      if (answer?.ok) {
        results.set(
          read.id,
          Array.isArray(answer.result) ? answer.result : answer.result ? [answer.result] : [],
        );
      } else if (read.optional || !answer?.failure) {
        unread.push(`${read.table}: ${answer?.failure?.message ?? 'not answered'}`);
      } else {
        unread.push(`${read.table}: ${answer.failure.message}`);
        failures.push(answer.failure);
      }
    }
    return { results, unread, failures };
  }
  for (const read of reads) {
    if (!read.neededWithoutBatch) {
      unread.push(`${read.table}: not read (the instance refuses the Batch API)`);
      continue;
    }
    try {
      results.set(read.id, await client.list(read.table, read.params));
    } catch (error) {
      if (!(error instanceof ServiceNowError)) throw error;
      // Refusals are collected (a non-admin user gets them); anything else (network, 401) ends discovery.
      if (!read.optional && !isRefusal(error.failure)) throw error;
      unread.push(`${read.table}: ${error.failure.message}`);
      if (!read.optional) failures.push(error.failure);
    }
  }
  return { results, unread, failures };
}

/** The instance said no (an ACL, a table this user may not see): for a user without admin, the answer. */
function isRefusal(failure: ServiceNowFailure): boolean {
  return failure.code === 'forbidden' || failure.code === 'not_found';
}

// --- Mapping ---

function buildSnapshot(
  instanceUrl: string,
  at: Date,
  requests: number,
  rows: (id: string) => RawRecord[],
  /** Whether a read was answered (an unanswered optional read leaves its part of the snapshot out). */
  answered: (id: string) => boolean,
  who: { userName: string; sysId: string; roles: string[] } | null,
  unread: string[],
): Snapshot {
  const props = new Map(rows('build').map((r) => [r.name ?? '', r.value ?? '']));
  const fromAlias = rows('aliases').find((a) => a['sys_scope.scope'] === SPOKE_SCOPE);
  const spoke =
    rows('spoke').find((r) => r.scope === SPOKE_SCOPE && r.active !== 'false') ??
    (fromAlias && fromAlias['sys_scope.active'] !== 'false'
      ? { sys_id: fromAlias.sys_scope ?? '', version: fromAlias['sys_scope.version'] ?? '' }
      : undefined);
  const aliasRow = (id: string): AliasInfo | null => {
    const r = rows('aliases').find((a) => a.id === id);
    return r
      ? {
          sysId: r.sys_id ?? '',
          name: r.name ?? '',
          id: r.id ?? '',
          multipleConnections: parseBool(r.multiple_connections),
          parentSysId: r.parent || null,
        }
      : null;
  };
  const userRow = rows('user')[0] ?? { sys_domain: rows('roles')[0]?.['user.sys_domain'] ?? '' };
  const domains = rows('domains').map((d) => ({ sysId: d.sys_id ?? '', name: d.name ?? '' }));
  return {
    version: 1,
    instanceUrl,
    discoveredAt: at.toISOString(),
    requests,
    build: { version: props.get('glide.war') || null, tag: props.get('glide.buildtag') || null },
    user: {
      sysId: who?.sysId ?? '',
      userName: who?.userName ?? '',
      roles: who?.roles ?? [],
      domainSysId: userRow?.sys_domain || GLOBAL_DOMAIN,
    },
    spoke: { installed: Boolean(spoke), version: spoke?.version || null, scopeSysId: spoke?.sys_id ?? null },
    aliases: { main: aliasRow(ALIASES.main.id), clientCred: aliasRow(ALIASES.clientCred.id) },
    connections: rows('connections').map(toConnection),
    credentials: rows('credentials').map(toCredential),
    profiles: {
      authorization_code: toProfile(rows('profiles'), 'authorization_code'),
      client_credentials: toProfile(rows('profiles'), 'client_credentials'),
    },
    midServers: rows('mids').map((m) => ({
      sysId: m.sys_id ?? '',
      name: m.name ?? '',
      status: m.status ?? '',
      validated: parseBool(m.validated),
    })),
    domains,
    domainSeparated: domains.some((d) => d.sysId !== GLOBAL_DOMAIN),
    midClusters: rows('clusters').map((c) => ({ sysId: c.sys_id ?? '', name: c.name ?? '' })),
    ...(answered('registries') ? { registries: toRegistries(rows('registries')) } : {}),
    ...(answered('flows') ? { flows: toFlows(rows('flows')) } : {}),
    ...(unread.length ? { unread } : {}),
  };
}

/** Each registry found by its shipped name (not by its default grant type, which the plan may fix). */
function toRegistries(rows: RawRecord[]): NonNullable<Snapshot['registries']> {
  const registry = (grant: (typeof GRANT_TYPES)[number]): RegistryRecord | null => {
    const r = rows.find((row) => row[R.name] === OAUTH_REGISTRIES[grant].entityName);
    if (!r) return null;
    const secret = r[R.clientSecret];
    return {
      sysId: r.sys_id ?? '',
      name: r[R.name] ?? '',
      values: Object.fromEntries(COMPARED_REGISTRY_ELEMENTS.map((e) => [e, r[e] ?? ''])),
      // A field left out of the answer says nothing; an empty one says "not set"; anything else (a mask
      // on the instances we know) says "set". The value itself goes no further than this line.
      secretSet: secret === undefined ? null : secret !== '',
    };
  };
  return {
    authorization_code: registry('authorization_code'),
    client_credentials: registry('client_credentials'),
  };
}

function toFlows(rows: RawRecord[]): FlowRecord[] {
  return rows
    .filter((r) => (WALKUP_FLOWS as readonly string[]).includes(r[F.name] ?? ''))
    .map((r) => ({
      sysId: r.sys_id ?? '',
      name: r[F.name] ?? '',
      active: parseBool(r[F.active]),
      status: r[F.status] || null,
    }));
}

function toConnection(r: RawRecord): ConnectionRecord {
  return {
    sysId: r.sys_id ?? '',
    name: r.name ?? '',
    aliasSysId: r[C.alias] || null,
    credentialSysId: r[C.credential] || null,
    connectionUrl: r[C.url] ?? '',
    useMid: parseBool(r[C.useMid]),
    midSelection: r[C.midSelection] || null,
    midServerSysId: r[C.midServer] || null,
    active: parseBool(r[C.active]),
    domainSysId: r[C.domain] || GLOBAL_DOMAIN,
    raw: { ...r },
  };
}

function toCredential(r: RawRecord): CredentialRecord {
  return {
    sysId: r.sys_id ?? '',
    name: r.name ?? '',
    className: r.sys_class_name || TABLES.credential,
    oauthProfileSysId: r.oauth_entity_profile || null,
    active: parseBool(r.active),
    domainSysId: r.sys_domain || GLOBAL_DOMAIN,
    raw: { ...r },
  };
}

function toProfile(rows: RawRecord[], grant: keyof typeof OAUTH_REGISTRIES): OAuthProfile | null {
  const { entityName, profileName } = OAUTH_REGISTRIES[grant];
  const r =
    rows.find((p) => p['oauth_entity.name'] === entityName && p.name === profileName) ??
    rows.find((p) => p['oauth_entity.name'] === entityName);
  return r
    ? {
        sysId: r.sys_id ?? '',
        name: r.name ?? '',
        entitySysId: r.oauth_entity ?? '',
        entityName,
        grantType: r.grant_type ?? '',
      }
    : null;
}

// --- Readiness ---

function readiness(
  snapshot: Snapshot,
  desired: DesiredState | undefined,
): { reason: NotReadyReason; message: string } | null {
  // The role first: a user without admin may not see the spoke's records at all, and "install the spoke"
  // would then be the wrong advice.
  if (!snapshot.user.roles.includes(ADMIN_ROLE)) {
    return {
      reason: 'admin_role_missing',
      message: `The user ${snapshot.user.userName || '(unknown)'} does not have the admin role the procedure requires (or may not read its roles). Nothing was changed.`,
    };
  }
  if (!snapshot.spoke.installed) {
    return {
      reason: 'spoke_missing',
      message:
        'The Microsoft Exchange Online Spoke (sn_ex_online_spke) is not installed on this instance: install it from the ServiceNow Store, then discover again. Nothing was changed.',
    };
  }
  for (const key of ALIAS_KEYS) {
    if (!snapshot.aliases[key]) {
      return {
        reason: 'alias_missing',
        message: `The connection alias ${ALIASES[key].id} is missing although the spoke is installed: repair or reinstall the spoke. Nothing was changed.`,
      };
    }
  }
  // A profile matters only for a credential the plan would create; without a desired state, both do.
  const needed = desired
    ? ALIAS_KEYS.filter((k) => !snapshot.credentials.some((c) => c.name === desired[k].credential)).map(
        (k) => desired[k].grant,
      )
    : (['authorization_code', 'client_credentials'] as const);
  for (const grant of needed) {
    if (!snapshot.profiles[grant]) {
      return {
        reason: 'oauth_profile_missing',
        message: `The OAuth profile "${OAUTH_REGISTRIES[grant].profileName}" is missing: open the Application Registry "${OAUTH_REGISTRIES[grant].entityName}" and save it to recreate its default profile. Nothing was changed.`,
      };
    }
  }
  return null;
}
