// Data main would send: instances, a snapshot of an instance with WCS's "MS Graph 1", a plan, apply records.
import type { ApplyRecord } from '../../src/shared/domain/apply';
import { defaultForm } from '../../src/shared/domain/desired-state';
import type { Plan } from '../../src/shared/domain/plan';
import type { Snapshot } from '../../src/shared/domain/snapshot';
import type { AppInfo, DraftView, InstanceView, WorkspaceInfoView } from '../../src/shared/ipc/contract';

export const INSTANCE_URL = 'https://acmedev.service-now.com';

export function appInfo(): AppInfo {
  return { version: '0.1.0', keychain: { available: true, message: '' }, demoInstanceId: 'demo' };
}

export function instance(over: Partial<InstanceView> = {}): InstanceView {
  return {
    id: 'acme-dev',
    name: 'Acme Dev',
    url: INSTANCE_URL,
    authMethod: 'basic',
    username: 'svc.spokesmith',
    secretConfigured: true,
    status: 'not_checked',
    statusMessage: null,
    lastDiscoveredAt: null,
    isDemo: false,
    revision: '0123456789abcdef',
    ...over,
  };
}

export function instances(): InstanceView[] {
  return [
    instance({ id: 'zeta', name: 'Zeta Prod', url: 'https://zeta.service-now.com', status: 'provisioned' }),
    instance(),
    instance({
      id: 'demo',
      name: 'Demo instance',
      url: 'http://127.0.0.1:43117',
      isDemo: true,
      status: 'ready',
    }),
  ];
}

export function draftOf(over: Partial<DraftView> = {}): DraftView {
  return {
    main: defaultForm('main'),
    clientCred: defaultForm('clientCred'),
    entra: null,
    updatedAt: null,
    revision: null,
    ...over,
  };
}

export function snapshot(): Snapshot {
  return {
    version: 1,
    instanceUrl: INSTANCE_URL,
    discoveredAt: new Date().toISOString(),
    requests: 3,
    build: { version: 'australia', tag: null },
    user: { sysId: 'u1', userName: 'svc.spokesmith', roles: ['admin'], domainSysId: 'global' },
    spoke: { installed: true, version: '3.1.0', scopeSysId: 's1' },
    aliases: {
      main: {
        sysId: 'a1',
        name: 'Microsoft_Exchange_Online',
        id: 'sn_ex_online_spke.Microsoft_Exchange_Online',
        multipleConnections: false,
        parentSysId: null,
      },
      clientCred: {
        sysId: 'a2',
        name: 'Microsoft_Exchange_Online_clientCred',
        id: 'sn_ex_online_spke.Microsoft_Exchange_Online_clientCred',
        multipleConnections: false,
        parentSysId: 'a1',
      },
    },
    connections: [
      {
        sysId: 'c1',
        name: 'MS Graph 1',
        aliasSysId: 'a1',
        credentialSysId: 'k1',
        connectionUrl: 'https://graph.microsoft.com',
        useMid: false,
        midSelection: null,
        midServerSysId: null,
        active: true,
        domainSysId: 'global',
        raw: {},
      },
    ],
    credentials: [
      {
        sysId: 'k1',
        name: 'MS Graph 1',
        className: 'oauth_2_0_credentials',
        oauthProfileSysId: 'p2',
        active: true,
        domainSysId: 'global',
        raw: {},
      },
    ],
    profiles: {
      authorization_code: {
        sysId: 'p1',
        name: 'Microsoft Exchange Online default_profile',
        entitySysId: 'e1',
        entityName: 'Microsoft Exchange Online',
        grantType: 'authorization_code',
      },
      client_credentials: {
        sysId: 'p2',
        name: 'Microsoft Exchange Online_clientCredentials default_profile',
        entitySysId: 'e2',
        entityName: 'Microsoft Exchange Online_clientCredentials',
        grantType: 'client_credentials',
      },
    },
    midServers: [
      { sysId: 'm1', name: 'mid-eu-01', status: 'Up', validated: true },
      { sysId: 'm2', name: 'mid-eu-02', status: 'Down', validated: true },
    ],
    domains: [{ sysId: 'd1', name: 'ACME' }],
    domainSeparated: true,
  };
}

export function plan(): Plan {
  return {
    version: 1,
    instanceUrl: INSTANCE_URL,
    createdAt: new Date().toISOString(),
    snapshotAt: new Date().toISOString(),
    actions: [
      {
        id: 'credential:main',
        kind: 'credential',
        table: 'oauth_2_0_credentials',
        alias: 'main',
        name: 'Exchange_Online_Credentials',
        op: 'create',
        sysId: null,
        changes: {
          name: { before: null, after: 'Exchange_Online_Credentials' },
          oauth_entity_profile: { before: null, after: 'Microsoft Exchange Online default_profile' },
        },
        body: {},
        dependsOn: [],
        notes: [],
      },
      {
        id: 'connection:main',
        kind: 'connection',
        table: 'http_connection',
        alias: 'main',
        name: 'Exchange_Online_Connection',
        op: 'update',
        sysId: 'c1',
        adoptedFrom: 'MS Graph 1',
        changes: {
          name: { before: 'MS Graph 1', after: 'Exchange_Online_Connection' },
          connection_url: { before: 'https://graph.microsoft.com', after: 'https://graph.microsoft.com' },
          active: { before: 'true', after: 'true' },
        },
        body: {},
        dependsOn: ['credential:main'],
        notes: [],
      },
      {
        id: 'credential:clientCred',
        kind: 'credential',
        table: 'oauth_2_0_credentials',
        alias: 'clientCred',
        name: 'Exchange_Online_Credentials_clientCred',
        op: 'noop',
        sysId: 'k2',
        changes: {
          name: {
            before: 'Exchange_Online_Credentials_clientCred',
            after: 'Exchange_Online_Credentials_clientCred',
          },
        },
        body: {},
        dependsOn: [],
        notes: [],
      },
      {
        id: 'connection:clientCred',
        kind: 'connection',
        table: 'http_connection',
        alias: 'clientCred',
        name: 'Exchange_Online_Connection_clientCred',
        op: 'create',
        sysId: null,
        changes: { name: { before: null, after: 'Exchange_Online_Connection_clientCred' } },
        body: {},
        dependsOn: [],
        notes: [],
      },
    ],
  };
}

export function blockedPlan(): Plan {
  const p = plan();
  p.actions[3] = {
    ...p.actions[3]!,
    op: 'blocked',
    reason: 'The name Exchange_Online_Connection_clientCred is taken by a connection on another alias.',
  };
  return p;
}

export function applyRecord(status: 'succeeded' | 'failed'): ApplyRecord {
  const failed = status === 'failed';
  return {
    version: 1,
    applyId: 'ap-1',
    kind: 'apply',
    instanceUrl: INSTANCE_URL,
    startedAt: '2026-03-01T10:00:00.000Z',
    finishedAt: '2026-03-01T10:00:05.000Z',
    status,
    plan: plan(),
    steps: [
      {
        actionId: 'credential:main',
        table: 'oauth_2_0_credentials',
        name: 'Exchange_Online_Credentials',
        op: 'create',
        status: 'done',
        sysId: 'n1',
      },
      {
        actionId: 'connection:main',
        table: 'http_connection',
        name: 'Exchange_Online_Connection',
        op: 'update',
        status: failed ? 'failed' : 'done',
        sysId: 'c1',
        ...(failed
          ? {
              error: {
                code: 'forbidden' as const,
                message: 'The user lacks the connection_admin role.',
                instanceMessage: 'Operation Failed: ACL',
                status: 403,
                ambiguous: false,
              },
            }
          : {}),
      },
      {
        actionId: 'connection:clientCred',
        table: 'http_connection',
        name: 'Exchange_Online_Connection_clientCred',
        op: 'create',
        status: failed ? 'not_run' : 'done',
        sysId: failed ? null : 'n2',
      },
    ],
    records: failed
      ? []
      : [
          {
            actionId: 'credential:main',
            table: 'oauth_2_0_credentials',
            sysId: 'n1',
            name: 'Exchange_Online_Credentials',
            op: 'create',
            before: null,
            after: { name: 'Exchange_Online_Credentials', active: 'true' },
            verified: true,
            mismatches: [],
          },
          {
            actionId: 'connection:main',
            table: 'http_connection',
            sysId: 'c1',
            name: 'Exchange_Online_Connection',
            op: 'update',
            before: { name: 'MS Graph 1', active: 'true' },
            after: { name: 'Exchange_Online_Connection', active: 'true' },
            verified: true,
            mismatches: [],
          },
        ],
    verification: failed ? null : { ok: true, checkedAt: '2026-03-01T10:00:05.000Z', requests: 2 },
    nextSteps: failed
      ? []
      : [
          {
            credentialName: 'Exchange_Online_Credentials',
            credentialSysId: 'n1',
            grant: 'authorization_code',
            credentialUrl: `${INSTANCE_URL}/oauth_2_0_credentials.do?sys_id=n1`,
            authorizeUrl: `${INSTANCE_URL}/oauth_initiator.do?oauth_requestor_context=oauth_2_0_credentials&oauth_requestor=n1&oauth_provider_profile=p1&response_type=code`,
          },
          {
            credentialName: 'Exchange_Online_Credentials_clientCred',
            credentialSysId: 'k2',
            grant: 'client_credentials',
            credentialUrl: `${INSTANCE_URL}/oauth_2_0_credentials.do?sys_id=k2`,
            authorizeUrl: null,
          },
        ],
    requests: 5,
  };
}

export function workspaceInfo(over: Partial<WorkspaceInfoView> = {}): WorkspaceInfoView {
  return { dir: '/home/consultant/.config/Spokesmith/workspace', isDefault: true, problems: [], ...over };
}

const SYS_FIELDS = (sysId: string, table: string, modCount: string) => ({
  sys_id: sysId,
  sys_class_name: table,
  sys_created_by: 'admin',
  sys_created_on: '2026-03-01 10:00:02',
  sys_updated_on: '2026-03-01 10:00:03',
  sys_mod_count: modCount,
});

/**
 * A verified apply as the engine records it: every field re-read raw (sys_ids for references, the
 * platform's sys_* fields, fields Spokesmith never sets), and the applied plan, whose changes carry the
 * names the review showed. Table 1 gets a new credential and the adopted "MS Graph 1"; Table 2 a new
 * connection bound to an existing credential.
 */
export function verifiedApplyRecord(): ApplyRecord {
  const profile = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const alias1 = 'f217595cf94ca4cfdee928a813ebf1b2';
  const alias2 = '0aa1595cf94ca4cfdee928a813ebf1c3';
  const newCred = 'b3217183371b601584ad04105a1a70f8';
  const oldCred = '9d2c0e5f1b2a3c4d5e6f708192a3b4c5';
  const cred2 = 'k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2';
  const adopted = 'c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1';
  const created = 'n2n2n2n2n2n2n2n2n2n2n2n2n2n2n2n2';
  const credAfter = {
    name: 'Exchange_Online_Credentials',
    oauth_entity_profile: profile,
    active: 'true',
    applies_to: 'all',
    order: '100',
    sys_domain: 'global',
    application: '',
    classification: '',
    mid_list: '',
    ...SYS_FIELDS(newCred, 'oauth_2_0_credentials', '0'),
  };
  const connBefore = {
    name: 'MS Graph 1',
    credential: oldCred,
    connection_alias: alias1,
    connection_url: 'https://graph.microsoft.com',
    use_mid: 'false',
    mid_selection: '',
    mid_server: '',
    active: 'true',
    sys_domain: 'global',
    host: '',
    port: '',
    order: '',
    ...SYS_FIELDS(adopted, 'http_connection', '4'),
  };
  const connAfter = {
    ...connBefore,
    name: 'Exchange_Online_Connection',
    credential: newCred,
    sys_mod_count: '5',
  };
  const conn2After = {
    ...connBefore,
    name: 'Exchange_Online_Connection_clientCred',
    credential: cred2,
    connection_alias: alias2,
    ...SYS_FIELDS(created, 'http_connection', '0'),
  };
  const applied: Plan = {
    version: 1,
    instanceUrl: INSTANCE_URL,
    createdAt: '2026-03-01T09:59:00.000Z',
    snapshotAt: '2026-03-01T09:58:00.000Z',
    actions: [
      {
        id: 'credential:main',
        kind: 'credential',
        table: 'oauth_2_0_credentials',
        alias: 'main',
        name: 'Exchange_Online_Credentials',
        op: 'create',
        sysId: null,
        body: {
          name: 'Exchange_Online_Credentials',
          oauth_entity_profile: profile,
          active: 'true',
          applies_to: 'all',
          order: '100',
          sys_domain: 'global',
        },
        changes: {
          name: { before: null, after: 'Exchange_Online_Credentials' },
          oauth_entity_profile: { before: null, after: 'Microsoft Exchange Online default_profile' },
          active: { before: null, after: 'true' },
          applies_to: { before: null, after: 'all' },
          order: { before: null, after: '100' },
          sys_domain: { before: null, after: 'global' },
        },
        dependsOn: [],
        notes: [],
        before: null,
      },
      {
        id: 'connection:main',
        kind: 'connection',
        table: 'http_connection',
        alias: 'main',
        name: 'Exchange_Online_Connection',
        op: 'update',
        sysId: adopted,
        adoptedFrom: 'MS Graph 1',
        body: { name: 'Exchange_Online_Connection', credential: '{{credential:main}}' },
        changes: {
          name: { before: 'MS Graph 1', after: 'Exchange_Online_Connection' },
          credential: { before: 'Old_Graph_Credentials', after: 'Exchange_Online_Credentials (new)' },
          connection_alias: { before: 'Microsoft_Exchange_Online', after: 'Microsoft_Exchange_Online' },
          connection_url: { before: 'https://graph.microsoft.com', after: 'https://graph.microsoft.com' },
          active: { before: 'true', after: 'true' },
        },
        dependsOn: ['credential:main'],
        notes: [],
        before: connBefore,
      },
      {
        id: 'credential:clientCred',
        kind: 'credential',
        table: 'oauth_2_0_credentials',
        alias: 'clientCred',
        name: 'Exchange_Online_Credentials_clientCred',
        op: 'noop',
        sysId: cred2,
        body: {},
        changes: {},
        dependsOn: [],
        notes: [],
      },
      {
        id: 'connection:clientCred',
        kind: 'connection',
        table: 'http_connection',
        alias: 'clientCred',
        name: 'Exchange_Online_Connection_clientCred',
        op: 'create',
        sysId: null,
        body: { name: 'Exchange_Online_Connection_clientCred', credential: cred2, connection_alias: alias2 },
        changes: {
          name: { before: null, after: 'Exchange_Online_Connection_clientCred' },
          credential: { before: null, after: 'Exchange_Online_Credentials_clientCred' },
          connection_alias: { before: null, after: 'Microsoft_Exchange_Online_clientCred' },
        },
        dependsOn: [],
        notes: [],
      },
    ],
  };
  const record = (
    actionId: string,
    table: string,
    sysId: string,
    name: string,
    op: string,
    before: Record<string, string> | null,
    after: Record<string, string>,
  ) => ({ actionId, table, sysId, name, op, before, after, verified: true, mismatches: [] });
  const base = applyRecord('succeeded');
  return {
    ...base,
    plan: applied,
    steps: applied.actions.map((a) => ({
      actionId: a.id,
      table: a.table,
      name: a.name,
      op: a.op,
      status: a.op === 'noop' ? ('skipped' as const) : ('done' as const),
      sysId: a.sysId ?? (a.id === 'credential:main' ? newCred : created),
    })),
    // Table 2's record first: the columns come from the plan's aliases, not from the order of the records.
    records: [
      record(
        'connection:clientCred',
        'http_connection',
        created,
        'Exchange_Online_Connection_clientCred',
        'create',
        null,
        conn2After,
      ),
      record(
        'credential:main',
        'oauth_2_0_credentials',
        newCred,
        'Exchange_Online_Credentials',
        'create',
        null,
        credAfter,
      ),
      record(
        'connection:main',
        'http_connection',
        adopted,
        'Exchange_Online_Connection',
        'update',
        connBefore,
        connAfter,
      ),
    ],
  };
}
