// A snapshot is stored in the workspace and validated when loaded (src/shared/domain/snapshot.ts,
// src/main/workspace/file-specs.ts). The promises: a snapshot loads back exactly as discovery wrote it (no
// part of it dropped, or the plan would be made from less than was read); an older snapshot without the
// later, optional parts still loads; a damaged one is refused with the path of the field at fault.
import { describe, expect, it } from 'vitest';
import { SnapshotSchema, type Snapshot } from '../../../src/shared/domain/snapshot';
import { IDS, connection, credential, wcsSnapshot } from '../engine/snapshot-fixtures';

/** Every part discovery can fill, including the optional ones added later. */
function fullSnapshot(): Snapshot {
  const s = wcsSnapshot();
  s.connections.push(
    connection('Exchange_Online_Connection_MID', 'k3', IDS.aliasMain, 'g1', {
      useMid: true,
      midSelection: 'specific_mid_server',
      midServerSysId: IDS.midUp,
      domainSysId: IDS.domainInitech,
    }),
  );
  s.credentials.push(credential('Retired credential', 'g3', IDS.profileAuthCode, false));
  s.midClusters = [{ sysId: 'mc1', name: 'EU cluster' }];
  s.registries = {
    authorization_code: {
      sysId: IDS.entityAuthCode,
      name: 'Microsoft Exchange Online',
      values: { client_id: 'old-client', default_grant_type: 'authorization_code' },
      secretSet: true,
    },
    client_credentials: null,
  };
  s.flows = [
    { sysId: 'flow1', name: 'Create Walk-up Appointment Calendar Event', active: true, status: 'published' },
    { sysId: 'flow2', name: 'Update/Delete Walk-up Appointment Calendar Event', active: false, status: null },
  ];
  s.unread = ['MID Server clusters (ecc_agent_cluster): read refused by an ACL.'];
  return s;
}

/** Loads as the workspace does: the stored JSON text through the schema. */
const load = (value: unknown) => SnapshotSchema.safeParse(JSON.parse(JSON.stringify(value)));

// The stored JSON, damaged at any depth by the tests below: typing each path would only restate the schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type StoredJson = any;

const issuePaths = (value: unknown): string[] => {
  const result = load(value);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
};

describe('SnapshotSchema', () => {
  it('loads a stored snapshot back exactly as discovery wrote it, every part and every field', () => {
    const snapshot = fullSnapshot();
    const result = load(snapshot);
    expect(result.success).toBe(true);
    expect(result.data).toEqual(snapshot);
  });

  it('loads an older snapshot without the optional parts (clusters, registries, flows, unread)', () => {
    const snapshot = wcsSnapshot();
    const result = load(snapshot);
    expect(result.success).toBe(true);
    expect(result.data).toEqual(snapshot);
    expect(result.data).not.toHaveProperty('registries');
    expect(result.data).not.toHaveProperty('flows');
  });

  it('keeps a missing alias or profile as null, not as a made-up record', () => {
    const snapshot = fullSnapshot();
    snapshot.aliases.clientCred = null;
    snapshot.profiles.client_credentials = null;
    const result = load(snapshot);
    expect(result.success).toBe(true);
    expect(result.data?.aliases.clientCred).toBeNull();
    expect(result.data?.profiles.client_credentials).toBeNull();
  });

  it('refuses a snapshot whose parts lost a field, naming where', () => {
    const damaged = (edit: (s: StoredJson) => void): unknown => {
      const s = JSON.parse(JSON.stringify(fullSnapshot())) as StoredJson;
      edit(s);
      return s;
    };
    expect(issuePaths(damaged((s) => delete s.aliases.main.multipleConnections))).toEqual([
      'aliases.main.multipleConnections',
    ]);
    expect(issuePaths(damaged((s) => delete s.connections[0].credentialSysId))).toEqual([
      'connections.0.credentialSysId',
    ]);
    expect(issuePaths(damaged((s) => (s.connections[2].useMid = 'true')))).toEqual(['connections.2.useMid']);
    expect(issuePaths(damaged((s) => delete s.credentials[1].raw))).toEqual(['credentials.1.raw']);
    expect(issuePaths(damaged((s) => delete s.profiles.authorization_code.entitySysId))).toEqual([
      'profiles.authorization_code.entitySysId',
    ]);
    expect(issuePaths(damaged((s) => delete s.midServers[0].validated))).toEqual(['midServers.0.validated']);
    expect(issuePaths(damaged((s) => delete s.domains[0].name))).toEqual(['domains.0.name']);
    expect(issuePaths(damaged((s) => delete s.midClusters[0].sysId))).toEqual(['midClusters.0.sysId']);
    expect(issuePaths(damaged((s) => delete s.registries.authorization_code.secretSet))).toEqual([
      'registries.authorization_code.secretSet',
    ]);
    expect(issuePaths(damaged((s) => delete s.registries.client_credentials))).toEqual([
      'registries.client_credentials',
    ]);
    expect(issuePaths(damaged((s) => delete s.flows[1].active))).toEqual(['flows.1.active']);
    expect(issuePaths(damaged((s) => delete s.build.tag))).toEqual(['build.tag']);
    expect(issuePaths(damaged((s) => (s.user.roles = 'admin')))).toEqual(['user.roles']);
    expect(issuePaths(damaged((s) => delete s.spoke.installed))).toEqual(['spoke.installed']);
    expect(issuePaths(damaged((s) => delete s.aliases.clientCred))).toEqual(['aliases.clientCred']);
    expect(issuePaths(damaged((s) => (s.version = 2)))).toEqual(['version']);
  });
});
