// What discovery reads from an instance: everything the plan and the instance-aware checks need.
// A zod schema, because snapshots are stored in the workspace and validated when loaded. Written with
// zod/mini, as the workspace's other files are (src/shared/workspace/schemas.ts): classic zod's module and
// per-schema methods cost every process that loads it at start-up (issue 11). Its messages are zod's own,
// in English as with classic zod: src/shared/zod-english.ts sets the locale zod/mini does not load.
import * as z from 'zod/mini';
import '../zod-english';

// Built on first use (z.lazy): a stored snapshot is read back only by the commands that plan or check
// offline, and each schema zod builds costs every process that loads this module time at start-up
// (issue 11: an up-to-date `spokesmith apply` reads none).
export const SnapshotSchema = z.lazy(() => {
  const SysId = z.string();

  const AliasInfoSchema = z.object({
    sysId: SysId,
    name: z.string(),
    id: z.string(),
    multipleConnections: z.boolean(),
    parentSysId: z.nullable(z.string()),
  });

  /** An http_connection row, references resolved to names where the snapshot knows them. */
  const ConnectionRecordSchema = z.object({
    sysId: SysId,
    name: z.string(),
    aliasSysId: z.nullable(z.string()),
    credentialSysId: z.nullable(z.string()),
    connectionUrl: z.string(),
    useMid: z.boolean(),
    midSelection: z.nullable(z.string()),
    midServerSysId: z.nullable(z.string()),
    active: z.boolean(),
    domainSysId: z.string(),
    /** Every raw field as read (element → string), for the before/after record. */
    raw: z.record(z.string(), z.string()),
  });

  const CredentialRecordSchema = z.object({
    sysId: SysId,
    name: z.string(),
    className: z.string(),
    oauthProfileSysId: z.nullable(z.string()),
    active: z.boolean(),
    domainSysId: z.string(),
    raw: z.record(z.string(), z.string()),
  });

  const OAuthProfileSchema = z.object({
    sysId: SysId,
    name: z.string(),
    entitySysId: z.string(),
    entityName: z.string(),
    grantType: z.string(),
  });

  const MidServerSchema = z.object({
    sysId: SysId,
    name: z.string(),
    /** ecc_agent.status: Up, Down, … */
    status: z.string(),
    validated: z.boolean(),
  });

  const DomainSchema = z.object({ sysId: SysId, name: z.string() });

  /** A MID Server cluster. The table (`ecc_agent_cluster`) is UNCERTAIN for this use; read tolerantly. */
  const MidClusterSchema = z.object({ sysId: SysId, name: z.string() });

  /** An Application Registry record (oauth_entity) the spoke ships (docs/servicenow.md §1.4). */
  const RegistryRecordSchema = z.object({
    sysId: SysId,
    name: z.string(),
    /** The compared, non-secret fields as read (element → raw value); client_secret is never kept. */
    values: z.record(z.string(), z.string()),
    /**
     * Whether client_secret holds a value, as the Table API shows it (a mask, never the value:
     * docs/servicenow.md §8); null when the answer did not say.
     */
    secretSet: z.nullable(z.boolean()),
  });

  /** A Flow Designer flow (sys_hub_flow), read only (docs/servicenow.md §8; element names UNCERTAIN). */
  const FlowRecordSchema = z.object({
    sysId: SysId,
    name: z.string(),
    active: z.boolean(),
    status: z.nullable(z.string()),
  });

  return z.object({
    version: z.literal(1),
    instanceUrl: z.string(),
    discoveredAt: z.string(),
    /** Round trips discovery took. */
    requests: z.int(),
    build: z.object({ version: z.nullable(z.string()), tag: z.nullable(z.string()) }),
    user: z.object({
      sysId: z.string(),
      userName: z.string(),
      roles: z.array(z.string()),
      domainSysId: z.string(),
    }),
    spoke: z.object({
      installed: z.boolean(),
      version: z.nullable(z.string()),
      scopeSysId: z.nullable(z.string()),
    }),
    aliases: z.object({ main: z.nullable(AliasInfoSchema), clientCred: z.nullable(AliasInfoSchema) }),
    connections: z.array(ConnectionRecordSchema),
    credentials: z.array(CredentialRecordSchema),
    profiles: z.object({
      authorization_code: z.nullable(OAuthProfileSchema),
      client_credentials: z.nullable(OAuthProfileSchema),
    }),
    midServers: z.array(MidServerSchema),
    domains: z.array(DomainSchema),
    /** Whether the instance runs domain separation (more than the global domain). */
    domainSeparated: z.boolean(),
    /** Optional (added later): MID clusters, when the instance let discovery read them. */
    midClusters: z.optional(z.array(MidClusterSchema)),
    /**
     * Optional (issue 10): the two Application Registries, keyed by the grant their spoke record is for (found
     * by name, so a wrong default grant type still maps to the right record). Absent in older snapshots.
     */
    registries: z.optional(
      z.object({
        authorization_code: z.nullable(RegistryRecordSchema),
        client_credentials: z.nullable(RegistryRecordSchema),
      }),
    ),
    /** Optional (issue 10): the Walk-up flows found, by name; absent in older snapshots. */
    flows: z.optional(z.array(FlowRecordSchema)),
    /** Optional: what discovery could not read (e.g. a table hidden by an ACL), in plain words. */
    unread: z.optional(z.array(z.string())),
  });
});

export type Snapshot = z.infer<typeof SnapshotSchema>;
export type AliasInfo = NonNullable<Snapshot['aliases']['main']>;
export type ConnectionRecord = Snapshot['connections'][number];
export type CredentialRecord = Snapshot['credentials'][number];
export type OAuthProfile = NonNullable<Snapshot['profiles']['authorization_code']>;
export type MidServer = Snapshot['midServers'][number];
export type MidCluster = NonNullable<Snapshot['midClusters']>[number];
export type Domain = Snapshot['domains'][number];
export type RegistryRecord = NonNullable<NonNullable<Snapshot['registries']>['authorization_code']>;
export type FlowRecord = NonNullable<Snapshot['flows']>[number];

/** Why an instance cannot be provisioned at all; discovery stops with one of these and creates nothing. */
export type NotReadyReason =
  'spoke_missing' | 'alias_missing' | 'admin_role_missing' | 'oauth_profile_missing';

// Defined beside the element names (zod-free), so code that needs only the constant does not load these schemas.
export { ADMIN_ROLE } from './record-fields';
