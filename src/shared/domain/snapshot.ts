// What discovery reads from an instance: everything the plan and the instance-aware checks need.
// A zod schema, because snapshots are stored in the workspace and validated when loaded.
import { z } from 'zod';

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
    parentSysId: z.string().nullable(),
  });

  /** An http_connection row, references resolved to names where the snapshot knows them. */
  const ConnectionRecordSchema = z.object({
    sysId: SysId,
    name: z.string(),
    aliasSysId: z.string().nullable(),
    credentialSysId: z.string().nullable(),
    connectionUrl: z.string(),
    useMid: z.boolean(),
    midSelection: z.string().nullable(),
    midServerSysId: z.string().nullable(),
    active: z.boolean(),
    domainSysId: z.string(),
    /** Every raw field as read (element → string), for the before/after record. */
    raw: z.record(z.string(), z.string()),
  });

  const CredentialRecordSchema = z.object({
    sysId: SysId,
    name: z.string(),
    className: z.string(),
    oauthProfileSysId: z.string().nullable(),
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
    secretSet: z.boolean().nullable(),
  });

  /** A Flow Designer flow (sys_hub_flow), read only (docs/servicenow.md §8; element names UNCERTAIN). */
  const FlowRecordSchema = z.object({
    sysId: SysId,
    name: z.string(),
    active: z.boolean(),
    status: z.string().nullable(),
  });

  return z.object({
    version: z.literal(1),
    instanceUrl: z.string(),
    discoveredAt: z.string(),
    /** Round trips discovery took. */
    requests: z.number().int(),
    build: z.object({ version: z.string().nullable(), tag: z.string().nullable() }),
    user: z.object({
      sysId: z.string(),
      userName: z.string(),
      roles: z.array(z.string()),
      domainSysId: z.string(),
    }),
    spoke: z.object({
      installed: z.boolean(),
      version: z.string().nullable(),
      scopeSysId: z.string().nullable(),
    }),
    aliases: z.object({ main: AliasInfoSchema.nullable(), clientCred: AliasInfoSchema.nullable() }),
    connections: z.array(ConnectionRecordSchema),
    credentials: z.array(CredentialRecordSchema),
    profiles: z.object({
      authorization_code: OAuthProfileSchema.nullable(),
      client_credentials: OAuthProfileSchema.nullable(),
    }),
    midServers: z.array(MidServerSchema),
    domains: z.array(DomainSchema),
    /** Whether the instance runs domain separation (more than the global domain). */
    domainSeparated: z.boolean(),
    /** Optional (added later): MID clusters, when the instance let discovery read them. */
    midClusters: z.array(MidClusterSchema).optional(),
    /**
     * Optional (issue 10): the two Application Registries, keyed by the grant their spoke record is for (found
     * by name, so a wrong default grant type still maps to the right record). Absent in older snapshots.
     */
    registries: z
      .object({
        authorization_code: RegistryRecordSchema.nullable(),
        client_credentials: RegistryRecordSchema.nullable(),
      })
      .optional(),
    /** Optional (issue 10): the Walk-up flows found, by name; absent in older snapshots. */
    flows: z.array(FlowRecordSchema).optional(),
    /** Optional: what discovery could not read (e.g. a table hidden by an ACL), in plain words. */
    unread: z.array(z.string()).optional(),
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
