// The planner's edges the rule tests do not reach: fields an instance row does not hold, the other active
// connections an adoption leaves alone, a MID cluster that is not there, references shown by name, and a
// blocked registry's reason in the CLI's JSON.
import { describe, expect, it } from 'vitest';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import type { Plan, PlanAction } from '../../../src/shared/domain/plan';
import { buildPlan, connectionValues, describeValue, planToJson } from '../../../src/shared/domain/planner';
import type { ConnectionRecord } from '../../../src/shared/domain/snapshot';
import {
  IDS,
  connection,
  credentialsSnapshot,
  provisionedSnapshot,
  shippedRegistries,
} from '../engine/snapshot-fixtures';

const NOW = new Date('2026-02-03T04:05:06.000Z');
const TENANT = '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e';
const CLIENT = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';

function action(plan: Plan, id: string): PlanAction {
  const found = plan.actions.find((a) => a.id === id);
  if (!found) throw new Error(`no action ${id} in ${plan.actions.map((a) => a.id).join(', ')}`);
  return found;
}

function withMainForm(change: Partial<DesiredState['main']>): DesiredState {
  const d = defaultDesiredState();
  d.main = { ...d.main, ...change };
  return d;
}

describe('a MID cluster on an existing connection', () => {
  it('a cluster field the instance row lacks is written, shown as empty before and by name after', () => {
    const snap = provisionedSnapshot();
    snap.midClusters = [{ sysId: 'mc1', name: 'eu-cluster' }];
    const desired = withMainForm({ useMid: true, midSelection: 'cluster', midCluster: 'eu-cluster' });
    const main = action(buildPlan(snap, desired, NOW), 'connection:main');
    expect(main.op).toBe('update');
    expect(main.body).toEqual({ use_mid: 'true', mid_selection: 'specific_mid_cluster', mid_cluster: 'mc1' });
    expect(main.changes.mid_cluster).toEqual({ before: '', after: 'eu-cluster' });
  });

  it('a cluster the instance does not have blocks the connection, naming it', () => {
    const snap = provisionedSnapshot();
    snap.midClusters = [{ sysId: 'mc1', name: 'eu-cluster' }];
    const desired = withMainForm({ useMid: true, midSelection: 'cluster', midCluster: 'us-cluster' });
    const main = action(buildPlan(snap, desired, NOW), 'connection:main');
    expect(main.op).toBe('blocked');
    expect(main.reason).toBe('The MID cluster "us-cluster" does not exist on this instance.');
  });
});

describe('an adoption on a single-connection alias', () => {
  it('with two active connections, adopting one to stay active is blocked, naming the other', () => {
    const snap = credentialsSnapshot();
    snap.connections = [
      connection('MS Graph 2', 'k2', IDS.aliasMain, null),
      connection('MS Graph 1', 'k1', IDS.aliasMain, null),
    ];
    const main = action(buildPlan(snap, defaultDesiredState(), NOW), 'connection:main');
    expect(main.op).toBe('blocked');
    expect(main.sysId).toBe('k1');
    expect(main.reason).toBe(
      '"MS Graph 2" is already active on Microsoft_Exchange_Online in global, which allows one active connection per domain: deactivate one of them first.',
    );
  });

  it('with one active connection the adoption says so, in one note', () => {
    const snap = credentialsSnapshot();
    snap.connections = [connection('MS Graph 1', 'k1', IDS.aliasMain, null)];
    const main = action(buildPlan(snap, defaultDesiredState(), NOW), 'connection:main');
    expect(main.notes).toHaveLength(1);
    expect(main.notes[0]).toMatch(/^MS Graph 1 is active on Microsoft_Exchange_Online/);
  });
});

describe('an existing credential bound to no OAuth profile', () => {
  it('is used as it is, and the plan says it is bound to no profile', () => {
    const snap = credentialsSnapshot();
    snap.credentials[0] = { ...snap.credentials[0]!, oauthProfileSysId: null };
    const cred = action(buildPlan(snap, defaultDesiredState(), NOW), 'credential:main');
    expect(cred.op).toBe('noop');
    expect(cred.changes.oauth_entity_profile).toEqual({ before: 'no profile', after: 'no profile' });
    expect(cred.notes[0]).toBe('Existing credential, used as it is (bound to "no profile").');
  });
});

describe('connectionValues', () => {
  it('a connection without an alias or a credential reads them as empty, whatever its raw row holds', () => {
    const record: ConnectionRecord = {
      ...connection('Orphan', 'k9', '', null),
      aliasSysId: null,
      raw: { sys_id: 'k9', connection_alias: 'stale', credential: 'stale' },
    };
    const values = connectionValues(record);
    expect(values.connection_alias).toBe('');
    expect(values.credential).toBe('');
    expect(values.mid_selection).toBe('');
    expect(values.mid_server).toBe('');
    expect(values.name).toBe('Orphan');
  });
});

describe('describeValue shows references by name', () => {
  const snap = provisionedSnapshot();

  it("a credential's OAuth profile by the profile's name; an unknown profile by its sys_id", () => {
    expect(describeValue(snap, 'oauth_entity_profile', IDS.profileClientCred)).toBe(
      'Microsoft Exchange Online_clientCredentials default_profile',
    );
    expect(describeValue(snap, 'oauth_entity_profile', 'p9')).toBe('another profile (p9)');
  });

  it('a credential the snapshot does not hold by the name of the action that stands for it', () => {
    const created = { name: 'New_Credentials', sysId: 'c9' };
    expect(describeValue(snap, 'credential', 'c9', created)).toBe('New_Credentials');
    expect(describeValue(snap, 'credential', 'c8', created)).toBe('c8');
    expect(describeValue(snap, 'credential', 'c9')).toBe('c9');
    expect(describeValue(snap, 'credential', 'c1', created)).toBe('Exchange_Online_Credentials');
  });

  it('a MID cluster by its name, or its sys_id when the snapshot has no clusters', () => {
    expect(
      describeValue({ ...snap, midClusters: [{ sysId: 'mc1', name: 'eu-cluster' }] }, 'mid_cluster', 'mc1'),
    ).toBe('eu-cluster');
    expect(describeValue(snap, 'mid_cluster', 'mc1')).toBe('mc1');
  });
});

describe('planToJson for the registries', () => {
  it('carries why a registry is blocked, and no reason for one that is not', () => {
    const desired: DesiredState = { ...defaultDesiredState(), entra: { tenant: TENANT, clientId: CLIENT } };
    const unread = planToJson(buildPlan(provisionedSnapshot(), desired, NOW, { entraSecret: 'unknown' }));
    expect(unread.registries?.map((r) => [r.op, r.reason])).toEqual([
      ['blocked', expect.stringMatching(/^The Application Registries were not read/)],
      ['blocked', expect.stringMatching(/^The Application Registries were not read/)],
    ]);
    const read = provisionedSnapshot();
    read.registries = shippedRegistries();
    const planned = planToJson(buildPlan(read, desired, NOW, { entraSecret: 'unknown' }));
    expect(planned.registries?.map((r) => r.op)).toEqual(['update', 'update']);
    for (const r of planned.registries ?? []) expect(r).not.toHaveProperty('reason');
  });
});
