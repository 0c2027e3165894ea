// Hand-built snapshots for the pure planner and checks: the shapes discovery produces on a fresh instance,
// one with the credentials already there, and one with WCS's pre-seeded "MS Graph 1/2".
import type { ApplyRecord, RecordBeforeAfter, StepStatus } from '../../../src/shared/domain/apply';
import type { ConnectionRecord, CredentialRecord, Snapshot } from '../../../src/shared/domain/snapshot';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';

export const IDS = {
  aliasMain: 'a0000000000000000000000000000001',
  aliasClientCred: 'a0000000000000000000000000000002',
  profileAuthCode: 'p0000000000000000000000000000001',
  profileClientCred: 'p0000000000000000000000000000002',
  entityAuthCode: 'e0000000000000000000000000000001',
  entityClientCred: 'e0000000000000000000000000000002',
  midUp: 'm0000000000000000000000000000001',
  midDown: 'm0000000000000000000000000000002',
  domainInitech: 'd0000000000000000000000000000001',
};

/**
 * The two OAuth application registries as the spoke ships them: both found, each with its grant type and
 * no client secret yet (`secretSet` says whether the instance reports one).
 */
export function shippedRegistries(secretSet: boolean | null = false): NonNullable<Snapshot['registries']> {
  return {
    authorization_code: {
      sysId: IDS.entityAuthCode,
      name: 'Microsoft Exchange Online',
      values: { default_grant_type: 'authorization_code' },
      secretSet,
    },
    client_credentials: {
      sysId: IDS.entityClientCred,
      name: 'Microsoft Exchange Online_clientCredentials',
      values: { default_grant_type: 'client_credentials' },
      secretSet,
    },
  };
}

export function freshSnapshot(): Snapshot {
  return {
    version: 1,
    instanceUrl: 'https://dev12345.service-now.com',
    discoveredAt: '2026-01-02T03:04:05.000Z',
    requests: 1,
    build: { version: 'glide-australia-12-2025', tag: 'glide-australia' },
    user: { sysId: 'u1', userName: 'admin', roles: ['admin'], domainSysId: 'global' },
    spoke: { installed: true, version: '4.1.0', scopeSysId: 's1' },
    aliases: {
      main: {
        sysId: IDS.aliasMain,
        name: 'Microsoft_Exchange_Online',
        id: 'sn_ex_online_spke.Microsoft_Exchange_Online',
        multipleConnections: false,
        parentSysId: null,
      },
      clientCred: {
        sysId: IDS.aliasClientCred,
        name: 'Microsoft_Exchange_Online_clientCred',
        id: 'sn_ex_online_spke.Microsoft_Exchange_Online_clientCred',
        multipleConnections: false,
        parentSysId: IDS.aliasMain,
      },
    },
    connections: [],
    credentials: [],
    profiles: {
      authorization_code: {
        sysId: IDS.profileAuthCode,
        name: 'Microsoft Exchange Online default_profile',
        entitySysId: IDS.entityAuthCode,
        entityName: 'Microsoft Exchange Online',
        grantType: 'authorization_code',
      },
      client_credentials: {
        sysId: IDS.profileClientCred,
        name: 'Microsoft Exchange Online_clientCredentials default_profile',
        entitySysId: IDS.entityClientCred,
        entityName: 'Microsoft Exchange Online_clientCredentials',
        grantType: 'client_credentials',
      },
    },
    midServers: [
      { sysId: IDS.midUp, name: 'mid-up', status: 'Up', validated: true },
      { sysId: IDS.midDown, name: 'mid-down', status: 'Down', validated: true },
    ],
    domains: [{ sysId: IDS.domainInitech, name: 'INITECH' }],
    domainSeparated: true,
  };
}

export function credential(
  name: string,
  sysId: string,
  profileSysId: string,
  active = true,
): CredentialRecord {
  return {
    sysId,
    name,
    className: 'oauth_2_0_credentials',
    oauthProfileSysId: profileSysId,
    active,
    domainSysId: 'global',
    raw: {
      sys_id: sysId,
      name,
      oauth_entity_profile: profileSysId,
      active: String(active),
      applies_to: 'all',
      order: '100',
    },
  };
}

export function connection(
  name: string,
  sysId: string,
  aliasSysId: string,
  credentialSysId: string | null,
  overrides: Partial<ConnectionRecord> = {},
): ConnectionRecord {
  const rec: ConnectionRecord = {
    sysId,
    name,
    aliasSysId,
    credentialSysId,
    connectionUrl: 'https://graph.microsoft.com',
    useMid: false,
    midSelection: null,
    midServerSysId: null,
    active: true,
    domainSysId: 'global',
    raw: {},
    ...overrides,
  };
  rec.raw = {
    sys_id: rec.sysId,
    name: rec.name,
    connection_alias: rec.aliasSysId ?? '',
    credential: rec.credentialSysId ?? '',
    connection_url: rec.connectionUrl,
    use_mid: String(rec.useMid),
    mid_selection: rec.midSelection ?? '',
    mid_server: rec.midServerSysId ?? '',
    active: String(rec.active),
    sys_domain: rec.domainSysId,
    ...overrides.raw,
  };
  return rec;
}

/** The credentials scenario: both documented credentials exist, no connection yet. */
export function credentialsSnapshot(): Snapshot {
  const s = freshSnapshot();
  s.credentials = [
    credential('Exchange_Online_Credentials', 'c1', IDS.profileAuthCode),
    credential('Exchange_Online_Credentials_clientCred', 'c2', IDS.profileClientCred),
  ];
  return s;
}

/** WCS: "MS Graph 1" / "MS Graph 2" pre-seeded, active, with their own credentials (both client credentials). */
export function wcsSnapshot(): Snapshot {
  const s = freshSnapshot();
  s.credentials = [
    credential('MS Graph 1', 'g1', IDS.profileClientCred),
    credential('MS Graph 2', 'g2', IDS.profileClientCred),
  ];
  s.connections = [
    connection('MS Graph 1', 'k1', IDS.aliasMain, 'g1', {
      connectionUrl: 'https://graph.microsoft.com/v1.0',
    }),
    connection('MS Graph 2', 'k2', IDS.aliasClientCred, 'g2'),
  ];
  return s;
}

/** The state a successful apply of the default forms leaves on a fresh instance. */
export function provisionedSnapshot(desired: DesiredState = defaultDesiredState()): Snapshot {
  const s = freshSnapshot();
  s.credentials = [
    credential(desired.main.credential, 'c1', IDS.profileAuthCode),
    credential(desired.clientCred.credential, 'c2', IDS.profileClientCred),
  ];
  s.connections = [
    connection(desired.main.name, 'k1', IDS.aliasMain, 'c1'),
    connection(desired.clientCred.name, 'k2', IDS.aliasClientCred, 'c2'),
  ];
  return s;
}

/**
 * A finished apply that wrote `records`, one step each, for the rollback planner: every step done unless
 * `statuses` says otherwise.
 */
export function appliedRecord(
  records: RecordBeforeAfter[],
  statuses: Record<string, StepStatus> = {},
): ApplyRecord {
  return {
    version: 1,
    applyId: 'a1',
    kind: 'apply',
    instanceUrl: 'https://dev12345.service-now.com',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    status: 'succeeded',
    plan: null,
    steps: records.map((r) => ({
      actionId: r.actionId,
      table: r.table,
      name: r.name,
      op: r.op as 'create' | 'update',
      status: statuses[r.actionId] ?? 'done',
      sysId: r.sysId,
    })),
    records,
    verification: null,
    nextSteps: [],
    requests: 0,
  };
}
