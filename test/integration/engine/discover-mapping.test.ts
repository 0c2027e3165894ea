// How discover() maps the instance's answers into the snapshot the planner trusts: each record's fields as
// the instance holds them (a credential's class and raw fields, a connection's MID settings), the user's
// roles and domain, which spoke is installed, and which OAuth profile belongs to which registry. A wrong
// mapping is a wrong plan: a duplicate record, or a credential bound to the wrong profile.
import { describe, expect, it } from 'vitest';
import { discover } from '../../../src/main/engine';
import { spokeIds } from '../../../src/main/simulator';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import { ALIASES, OAUTH_REGISTRIES } from '../../../src/shared/servicenow/spoke';
import { startHarness } from './harness';

describe('the records the snapshot carries over', () => {
  it("a credential's class and the fields the instance answered", async () => {
    const h = await startHarness('fresh');
    const row = h.sim.db.insert('oauth_2_0_credentials', {
      name: 'Exchange_Online_Credentials',
      active: 'true',
      type: 'oauth_2_0',
      oauth_entity_profile: spokeIds.profile('authorization_code'),
    });
    const { snapshot } = await discover(h.client, { desired: defaultDesiredState() });
    const credential = snapshot.credentials.find((c) => c.sysId === row.sys_id);
    expect(credential).toMatchObject({
      name: 'Exchange_Online_Credentials',
      className: 'oauth_2_0_credentials',
      oauthProfileSysId: spokeIds.profile('authorization_code'),
      active: true,
    });
    expect(credential?.raw).toMatchObject({
      sys_id: row.sys_id,
      name: 'Exchange_Online_Credentials',
      sys_class_name: 'oauth_2_0_credentials',
      oauth_entity_profile: spokeIds.profile('authorization_code'),
    });
  });

  it("a connection's MID server selection, and none when the connection names none", async () => {
    const h = await startHarness('fresh');
    const mid = h.sim.db.rows('ecc_agent')[0]!;
    const viaMid = h.sim.db.insert('http_connection', {
      name: 'Through a MID server',
      connection_alias: spokeIds.alias('main'),
      use_mid: 'true',
      mid_selection: 'specific_mid_server',
      mid_server: mid.sys_id!,
    });
    const direct = h.sim.db.insert('http_connection', {
      name: 'Straight to Graph',
      connection_alias: spokeIds.alias('clientCred'),
      use_mid: 'false',
      mid_selection: '',
      mid_server: '',
    });
    const { snapshot } = await discover(h.client, { desired: defaultDesiredState() });
    const connection = (sysId: string | undefined) => snapshot.connections.find((c) => c.sysId === sysId);
    expect(connection(viaMid.sys_id)).toMatchObject({
      useMid: true,
      midSelection: 'specific_mid_server',
      midServerSysId: mid.sys_id,
    });
    expect(connection(direct.sys_id)).toMatchObject({
      useMid: false,
      midSelection: null,
      midServerSysId: null,
    });
  });
});

describe('the user the snapshot describes', () => {
  it('holds no empty role name for a role record the user holds but the instance no longer has', async () => {
    const h = await startHarness('fresh');
    const userName = h.sim.users.admin.userName;
    const before = await discover(h.client, { userName });
    const admin = h.sim.db.find('sys_user', (u) => u.user_name === userName)!;
    // A grant left behind when its role was deleted: its role name dot-walks to nothing.
    h.sim.db.insert('sys_user_has_role', {
      user: admin.sys_id!,
      role: 'f'.repeat(32),
      state: 'active',
      inherited: 'false',
    });
    const after = await discover(h.client, { userName });
    expect(before.snapshot.user.roles).toContain('admin');
    expect(after.snapshot.user.roles).toEqual(before.snapshot.user.roles);
  });

  it('is in the domain of their own record, though they hold no role at all', async () => {
    const h = await startHarness('domains', {}, 'nonAdmin');
    const userName = h.sim.users.nonAdmin.userName;
    const user = h.sim.db.find('sys_user', (u) => u.user_name === userName)!;
    const acme = h.sim.db.find('domain', (d) => d.name === 'ACME')!;
    h.sim.db.update('sys_user', user.sys_id!, { sys_domain: acme.sys_id! });
    const outcome = await discover(h.client, { userName });
    expect(outcome.ok ? null : outcome.reason).toBe('admin_role_missing');
    expect(outcome.snapshot.user).toMatchObject({ sysId: user.sys_id, roles: [], domainSysId: acme.sys_id });
  });
});

describe('the spoke and its OAuth profiles', () => {
  it('is not installed because aliases it left behind remain, their application gone', async () => {
    const h = await startHarness('no-spoke');
    for (const key of ['main', 'clientCred'] as const) {
      h.sim.db.insert('sys_alias', {
        name: ALIASES[key].name,
        id: ALIASES[key].id,
        sys_scope: spokeIds.app,
      });
    }
    const outcome = await discover(h.client, { desired: defaultDesiredState() });
    expect(outcome.ok ? null : outcome.reason).toBe('spoke_missing');
    expect(outcome.snapshot.spoke).toEqual({ installed: false, version: null, scopeSysId: null });
  });

  it("binds each grant to its own registry's profile, though the other registry's bears its name", async () => {
    const h = await startHarness('fresh');
    const authCode = spokeIds.profile('authorization_code');
    const clientCred = spokeIds.profile('client_credentials');
    h.sim.db.update('oauth_entity_profile', authCode, { name: 'Renamed profile' });
    h.sim.db.update('oauth_entity_profile', clientCred, {
      name: OAUTH_REGISTRIES.authorization_code.profileName,
    });
    const { profiles } = (await discover(h.client, { desired: defaultDesiredState() })).snapshot;
    expect(profiles.authorization_code).toMatchObject({
      sysId: authCode,
      entityName: OAUTH_REGISTRIES.authorization_code.entityName,
    });
    expect(profiles.client_credentials).toMatchObject({
      sysId: clientCred,
      entityName: OAUTH_REGISTRIES.client_credentials.entityName,
    });
  });
});
