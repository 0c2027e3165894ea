// What each planned action says and carries, beyond its op: a credential depends on nothing, states why
// it is blocked or what it creates, shows an existing credential unchanged field by field; a connection
// carries its own record's sys_id when blocked, adds no MID field or note it was not asked for, and is
// "adopted" only when it really takes over another record.
import { describe, expect, it } from 'vitest';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import type { Plan, PlanAction } from '../../../src/shared/domain/plan';
import { buildPlan, connectionValues, describeValue, planToJson } from '../../../src/shared/domain/planner';
import {
  IDS,
  connection,
  credentialsSnapshot,
  freshSnapshot,
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

const planOf = (snap = freshSnapshot(), desired: DesiredState = defaultDesiredState()) =>
  buildPlan(snap, desired, NOW);

describe('credential actions', () => {
  it('depend on nothing, whether created or existing', () => {
    expect(action(planOf(), 'credential:main').dependsOn).toEqual([]);
    expect(action(planOf(credentialsSnapshot()), 'credential:main').dependsOn).toEqual([]);
  });

  it('a new credential says which OAuth profile it is bound to', () => {
    expect(action(planOf(), 'credential:clientCred').notes).toEqual([
      'A new OAuth 2.0 credential bound to "Microsoft Exchange Online_clientCredentials default_profile".',
    ]);
  });

  it('a missing OAuth profile blocks the credential, naming the profile, and then its connection', () => {
    const snap = freshSnapshot();
    snap.profiles.client_credentials = null;
    const plan = planOf(snap);
    expect(action(plan, 'credential:clientCred')).toMatchObject({
      op: 'blocked',
      reason:
        'The OAuth profile "Microsoft Exchange Online_clientCredentials default_profile" is missing, so the credential cannot be created.',
    });
    expect(action(plan, 'connection:clientCred')).toMatchObject({
      op: 'blocked',
      reason: 'Its credential "Exchange_Online_Credentials_clientCred" cannot be created.',
    });
    expect(action(plan, 'credential:main').op).toBe('create');
  });

  it('an existing credential is shown unchanged: name, profile and active, each before = after', () => {
    const cred = action(planOf(credentialsSnapshot()), 'credential:main');
    expect(cred.op).toBe('noop');
    expect(cred.changes).toEqual({
      name: { before: 'Exchange_Online_Credentials', after: 'Exchange_Online_Credentials' },
      oauth_entity_profile: {
        before: 'Microsoft Exchange Online default_profile',
        after: 'Microsoft Exchange Online default_profile',
      },
      active: { before: 'true', after: 'true' },
    });
  });
});

describe('connection actions', () => {
  it('a connection blocked because its credential serves another active connection carries its own sys_id', () => {
    const snap = provisionedSnapshot();
    snap.connections.push(connection('Other', 'k3', 'a9999', 'c1'));
    const main = action(planOf(snap), 'connection:main');
    expect(main.op).toBe('blocked');
    expect(main.sysId).toBe('k1');
    expect(main.reason).toMatch(/already used by the active connection "Other"/);
  });

  it('without Use MID server: no MID field and no note', () => {
    const main = action(planOf(), 'connection:main');
    expect(main.op).toBe('create');
    expect(main.notes).toEqual([]);
    expect(Object.keys(main.body).filter((k) => k.startsWith('mid_'))).toEqual([]);
  });

  it('MID auto-select without capabilities writes the selection only, no empty capability list', () => {
    const desired = defaultDesiredState();
    desired.main = { ...desired.main, useMid: true, midSelection: 'auto' };
    const main = action(planOf(freshSnapshot(), desired), 'connection:main');
    expect(main.body).toMatchObject({ use_mid: 'true', mid_selection: 'auto_select' });
    expect(main.body).not.toHaveProperty('mid_capabilities');
    expect(main.notes).toEqual([]);
  });

  it('an existing connection found by its name is updated, not "adopted"', () => {
    const snap = provisionedSnapshot();
    snap.connections[0] = connection('Exchange_Online_Connection', 'k1', IDS.aliasMain, 'c1', {
      connectionUrl: 'https://graph.microsoft.com/v1.0',
    });
    const main = action(planOf(snap), 'connection:main');
    expect(main.op).toBe('update');
    expect(main).not.toHaveProperty('adoptedFrom');
    expect(planToJson(planOf(snap)).actions.find((a) => a.id === 'connection:main')).not.toHaveProperty(
      'adoptedFrom',
    );
  });
});

describe('connectionValues', () => {
  it('reads a MID Server connection as the instance stores it', () => {
    const record = connection('Conn', 'k1', IDS.aliasMain, 'c1', {
      useMid: true,
      midSelection: 'specific_mid_server',
      midServerSysId: IDS.midUp,
    });
    expect(connectionValues(record)).toMatchObject({
      use_mid: 'true',
      mid_selection: 'specific_mid_server',
      mid_server: IDS.midUp,
      credential: 'c1',
      connection_alias: IDS.aliasMain,
    });
  });
});

describe('describeValue', () => {
  const snap = provisionedSnapshot();

  it('an empty value stays empty, even for a domain (where empty would mean global)', () => {
    for (const element of ['sys_domain', 'credential', 'connection_alias', 'mid_server', 'name']) {
      expect(describeValue(snap, element, ''), element).toBe('');
    }
  });

  it('a credential this plan creates is shown by the name of its action, or by the placeholder alone', () => {
    expect(describeValue(snap, 'credential', '{{credential:main}}', { name: 'New_Cred', sysId: null })).toBe(
      'New_Cred (new)',
    );
    expect(describeValue(snap, 'credential', '{{credential:main}}')).toBe('{{credential:main}} (new)');
  });

  it('a MID Server or cluster the snapshot does not know is shown by its sys_id', () => {
    expect(describeValue(snap, 'mid_server', IDS.midUp)).toBe('mid-up');
    expect(describeValue(snap, 'mid_server', 'm9')).toBe('m9');
    const withClusters = { ...snap, midClusters: [{ sysId: 'mc1', name: 'eu-cluster' }] };
    expect(describeValue(withClusters, 'mid_cluster', 'mc9')).toBe('mc9');
  });
});

describe('planToJson for the registries', () => {
  it('lists only the fields that change', () => {
    const snap = provisionedSnapshot();
    snap.registries = shippedRegistries();
    const desired: DesiredState = { ...defaultDesiredState(), entra: { tenant: TENANT, clientId: CLIENT } };
    const plan = buildPlan(snap, desired, NOW, { entraSecret: 'unknown' });
    const json = planToJson(plan);
    for (const [i, registry] of (plan.registries ?? []).entries()) {
      const changing = Object.keys(registry.changes).filter(
        (k) => registry.changes[k]?.before !== registry.changes[k]?.after,
      );
      expect(changing.length).toBeGreaterThan(0);
      expect(changing.length).toBeLessThan(Object.keys(registry.changes).length);
      expect(Object.keys(json.registries?.[i]?.changes ?? {}).sort()).toEqual(changing.sort());
    }
  });
});
