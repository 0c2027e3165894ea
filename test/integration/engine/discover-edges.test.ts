// discover() at the edges of what it reads: which reads it cannot do without (a failure ends discovery with
// the instance's error rather than a wrong verdict) and which it can (listed as unread), which reads the
// plain-GET fallback still makes for the forms at hand, and the record fields the snapshot carries over.
import { describe, expect, it } from 'vitest';
import { discover } from '../../../src/main/engine';
import { ServiceNowError } from '../../../src/main/servicenow';
import { spokeIds } from '../../../src/main/simulator';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import { ALIASES } from '../../../src/shared/servicenow/spoke';
import { startHarness, type Harness } from './harness';

/** Every read of one table is refused (an ACL's 403), in the batch or on its own. */
const failReadsOf = (harness: Harness, table: string) =>
  harness.sim.faults.add({
    kind: 'forbidden',
    message: `No access to ${table}`,
    match: { method: 'GET', table },
  });

/** The instance refuses the Batch API, as some restrict it: discovery falls back to plain GETs. */
const refuseBatch = (harness: Harness) =>
  harness.sim.faults.add({
    kind: 'forbidden',
    message: 'Batch API not allowed',
    match: { pathIncludes: '/batch' },
  });

/** Tables discovery read with plain GETs since the log was cleared. */
const tablesRead = (harness: Harness) =>
  harness.sim.log.filter((e) => e.method === 'GET').map((e) => e.path.replace('/api/now/table/', ''));

describe('a read discovery cannot do without', () => {
  for (const table of [
    'sys_alias',
    'sys_scope',
    'http_connection',
    'oauth_2_0_credentials',
    'oauth_entity_profile',
  ]) {
    it(`${table}: its failure ends discovery with the instance's error, not a verdict on partial data`, async () => {
      const h = await startHarness('fresh');
      failReadsOf(h, table);
      const error = await discover(h.client, { desired: defaultDesiredState() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceNowError);
      expect((error as ServiceNowError).failure.status).toBe(403);
      expect((error as ServiceNowError).message).toContain(`No access to ${table}`);
    });
  }
});

describe('a read discovery can do without', () => {
  for (const table of ['sys_hub_flow', 'ecc_agent', 'ecc_agent_cluster', 'domain', 'sys_properties']) {
    it(`${table}: its failure is listed as unread, and discovery goes on`, async () => {
      const h = await startHarness('fresh');
      failReadsOf(h, table);
      const outcome = await discover(h.client, { desired: defaultDesiredState() });
      expect(outcome.ok).toBe(true);
      expect(outcome.snapshot.unread?.some((u) => u.startsWith(`${table}: `))).toBe(true);
    });
  }
});

describe('the plain-GET fallback reads what the forms need', () => {
  const withForms = (change: (d: DesiredState) => void): DesiredState => {
    const desired = defaultDesiredState();
    change(desired);
    return desired;
  };

  it('the MID servers when one form uses a MID server', async () => {
    const h = await startHarness('fresh');
    refuseBatch(h);
    h.sim.clearLog();
    const desired = withForms((d) => {
      d.clientCred = { ...d.clientCred, useMid: true, midSelection: 'auto' };
    });
    const outcome = await discover(h.client, { desired, userName: 'admin' });
    expect(tablesRead(h)).toContain('ecc_agent');
    expect(tablesRead(h)).not.toContain('domain');
    expect(outcome.snapshot.midServers.map((m) => m.name).sort()).toEqual(['mid-demo-01', 'mid-old-02']);
  });

  it('the domains when one form is in a domain other than global', async () => {
    const h = await startHarness('domains');
    refuseBatch(h);
    h.sim.clearLog();
    const desired = withForms((d) => {
      d.main = { ...d.main, domain: 'INITECH' };
    });
    const outcome = await discover(h.client, { desired, userName: 'admin' });
    expect(tablesRead(h)).toContain('domain');
    expect(tablesRead(h)).not.toContain('ecc_agent');
    expect(outcome.snapshot.domains.map((d) => d.name)).toContain('INITECH');
  });

  it('the MID servers, the domains and the registries when no forms are given', async () => {
    const h = await startHarness('fresh');
    refuseBatch(h);
    h.sim.clearLog();
    await discover(h.client, { userName: 'admin' });
    expect(tablesRead(h)).toEqual(expect.arrayContaining(['ecc_agent', 'domain', 'oauth_entity']));
    // Never needed without the batch.
    expect(tablesRead(h)).not.toContain('sys_hub_flow');
  });

  it('the spoke from the aliases, as the batch finds it', async () => {
    const h = await startHarness('fresh');
    const viaBatch = await discover(h.client, { desired: defaultDesiredState() });
    refuseBatch(h);
    const viaGets = await discover(h.client, { desired: defaultDesiredState(), userName: 'admin' });
    expect(viaGets.snapshot.spoke).toEqual(viaBatch.snapshot.spoke);
    expect(viaGets.snapshot.spoke).toEqual({ installed: true, version: '4.1.0', scopeSysId: spokeIds.app });
  });
});

describe('the fields the snapshot carries over', () => {
  it("the alias's multiple-connections flag", async () => {
    const h = await startHarness('fresh');
    h.sim.db.update('sys_alias', spokeIds.alias('main'), { multiple_connections: 'true' });
    const outcome = await discover(h.client, { desired: defaultDesiredState() });
    expect(outcome.snapshot.aliases.main?.multipleConnections).toBe(true);
    expect(outcome.snapshot.aliases.clientCred?.multipleConnections).toBe(false);
    expect(outcome.snapshot.aliases.main?.id).toBe(ALIASES.main.id);
  });

  it("the spoke's application record, and an inactive spoke is not installed", async () => {
    const h = await startHarness('fresh');
    const active = await discover(h.client, { desired: defaultDesiredState() });
    expect(active.snapshot.spoke).toEqual({ installed: true, version: '4.1.0', scopeSysId: spokeIds.app });
    h.sim.db.update('sys_store_app', spokeIds.app, { active: 'false' });
    const inactive = await discover(h.client, { desired: defaultDesiredState() });
    expect(inactive.ok).toBe(false);
    expect(inactive.ok ? null : inactive.reason).toBe('spoke_missing');
    expect(inactive.snapshot.spoke.installed).toBe(false);
  });

  it("the OAuth profiles' registry and grant type", async () => {
    const h = await startHarness('fresh');
    const { profiles } = (await discover(h.client, { desired: defaultDesiredState() })).snapshot;
    expect(profiles.authorization_code).toMatchObject({
      sysId: spokeIds.profile('authorization_code'),
      entitySysId: spokeIds.entity('authorization_code'),
      grantType: 'authorization_code',
    });
    expect(profiles.client_credentials).toMatchObject({
      sysId: spokeIds.profile('client_credentials'),
      entitySysId: spokeIds.entity('client_credentials'),
      grantType: 'client_credentials',
    });
  });

  it("a registry's default profile under another name, and the documented name first when both exist", async () => {
    const h = await startHarness('fresh');
    const shipped = spokeIds.profile('authorization_code');
    const shippedCc = spokeIds.profile('client_credentials');
    h.sim.db.update('oauth_entity_profile', shipped, { name: 'Renamed profile' });
    h.sim.db.update('oauth_entity_profile', shippedCc, { name: 'Renamed too' });
    const renamed = await discover(h.client, { desired: defaultDesiredState() });
    expect(renamed.snapshot.profiles.authorization_code).toMatchObject({
      sysId: shipped,
      name: 'Renamed profile',
    });
    expect(renamed.snapshot.profiles.client_credentials).toMatchObject({
      sysId: shippedCc,
      name: 'Renamed too',
    });
    // A second default profile with the documented name, listed after the renamed one.
    const documented = h.sim.db.insert('oauth_entity_profile', {
      name: 'Microsoft Exchange Online default_profile',
      oauth_entity: spokeIds.entity('authorization_code'),
      grant_type: 'authorization_code',
      default: 'true',
    });
    const both = await discover(h.client, { desired: defaultDesiredState() });
    expect(both.snapshot.profiles.authorization_code?.sysId).toBe(documented.sys_id);
  });

  it("the instance's build, and whether it separates domains", async () => {
    const h = await startHarness('fresh');
    const { snapshot } = await discover(h.client, { desired: defaultDesiredState() });
    const property = (name: string) => h!.sim.db.find('sys_properties', (r) => r.name === name)?.value;
    expect(snapshot.build).toEqual({ version: property('glide.war'), tag: property('glide.buildtag') });
    expect(snapshot.build.version).toMatch(/\.zip$/);
    expect(snapshot.domainSeparated).toBe(false);
  });

  it('an installed spoke missing an alias: repair the spoke, not install it', async () => {
    const h = await startHarness('fresh');
    for (const key of ['main', 'clientCred'] as const) h.sim.db.delete('sys_alias', spokeIds.alias(key));
    const outcome = await discover(h.client, { desired: defaultDesiredState() });
    expect(outcome.snapshot.spoke).toMatchObject({
      installed: true,
      version: '4.1.0',
      scopeSysId: spokeIds.app,
    });
    expect(outcome.ok ? null : outcome.reason).toBe('alias_missing');
  });

  it("the MID servers' ids and whether each is validated", async () => {
    const h = await startHarness('fresh');
    const { midServers } = (await discover(h.client, { desired: defaultDesiredState() })).snapshot;
    const expected = h.sim.db
      .rows('ecc_agent')
      .map((r) => ({ sysId: r.sys_id, name: r.name, validated: r.validated === 'true' }));
    expect(midServers.map((m) => ({ sysId: m.sysId, name: m.name, validated: m.validated }))).toEqual(
      expected,
    );
    expect(midServers.map((m) => m.validated).sort()).toEqual([false, true]);
  });

  it("a credential in another domain, with its domain, as a connection's", async () => {
    const h = await startHarness('domains');
    const { snapshot } = await discover(h.client);
    const initech = snapshot.domains.find((d) => d.name === 'INITECH');
    const credential = snapshot.credentials.find((c) => c.name === 'INITECH Exchange Credentials');
    expect(credential?.domainSysId).toBe(initech?.sysId);
    expect(snapshot.connections.find((c) => c.name === 'INITECH Exchange Connection')?.credentialSysId).toBe(
      credential?.sysId,
    );
  });
});

describe('the user discovery reads', () => {
  const userRow = (harness: Harness, userName: string) =>
    harness.sim.db.find('sys_user', (u) => u.user_name === userName);

  it('is the signed-in user, with the domain they belong to, in the batch and without it', async () => {
    const h = await startHarness('domains');
    const admin = userRow(h, h.sim.users.admin.userName);
    const acme = h.sim.db.find('domain', (d) => d.name === 'ACME');
    const expected = {
      sysId: admin?.sys_id,
      userName: h.sim.users.admin.userName,
      domainSysId: acme?.sys_id,
    };
    const viaBatch = await discover(h.client, { userName: h.sim.users.admin.userName });
    expect(viaBatch.snapshot.user).toMatchObject(expected);
    expect(viaBatch.snapshot.user.roles).toContain('admin');
    refuseBatch(h);
    const viaGets = await discover(h.client, { userName: h.sim.users.admin.userName });
    expect(viaGets.snapshot.user).toMatchObject(expected);
  });

  it("lists the user's active roles each once, in order", async () => {
    const h = await startHarness('fresh');
    const admin = userRow(h, h.sim.users.admin.userName)!;
    const role = (name: string, state = 'active') =>
      h!.sim.db.insert('sys_user_has_role', {
        user: admin.sys_id!,
        role: h!.sim.db.find('sys_user_role', (r) => r.name === name)!.sys_id!,
        state,
        inherited: 'true',
      });
    role('oauth_admin');
    role('connection_admin');
    role('admin');
    role('itil', 'inactive');
    const outcome = await discover(h.client, { userName: h.sim.users.admin.userName });
    expect(outcome.snapshot.user.roles).toEqual(['admin', 'connection_admin', 'oauth_admin']);
  });

  it('is judged by its own roles: a user without admin is stopped though others have it', async () => {
    const h = await startHarness('fresh', {}, 'nonAdmin');
    const userName = h.sim.users.nonAdmin.userName;
    const outcome = await discover(h.client, { userName });
    expect(outcome.ok ? null : outcome.reason).toBe('admin_role_missing');
    expect(outcome.snapshot.user).toMatchObject({ userName, sysId: userRow(h, userName)?.sys_id, roles: [] });
  });

  it("cannot be done without: a refused read of the user's record ends discovery", async () => {
    const h = await startHarness('fresh');
    failReadsOf(h, 'sys_user');
    await expect(discover(h.client, { userName: h.sim.users.admin.userName })).rejects.toThrow(
      'No access to sys_user',
    );
  });
});

describe('discovery without the Batch API, read by read', () => {
  it('stops at a refused essential read with its message, and lists a refused optional one as unread', async () => {
    const h = await startHarness('fresh');
    refuseBatch(h);
    failReadsOf(h, 'oauth_2_0_credentials');
    await expect(discover(h.client, { userName: 'admin' })).rejects.toThrow(
      'No access to oauth_2_0_credentials',
    );
    h.sim.faults.clear();
    refuseBatch(h);
    failReadsOf(h, 'ecc_agent');
    const outcome = await discover(h.client, { userName: 'admin' });
    expect(outcome.ok).toBe(true);
    const mids = outcome.snapshot.unread?.find((u) => u.startsWith('ecc_agent: '));
    expect(mids).toContain('No access to ecc_agent');
    expect(outcome.snapshot.midServers).toEqual([]);
  });

  it('goes on when an optional read fails with a server error', async () => {
    const h = await startHarness('fresh', { retry: { limit: 0 } });
    refuseBatch(h);
    h.sim.faults.add({ kind: 'status', status: 500, match: { method: 'GET', table: 'domain' } });
    const outcome = await discover(h.client, { userName: 'admin' });
    expect(outcome.ok).toBe(true);
    expect(outcome.snapshot.unread?.some((u) => u.startsWith('domain: '))).toBe(true);
    expect(outcome.snapshot.domains).toEqual([]);
  });

  it('tells a user without admin so, rather than failing on the reads the instance refuses them', async () => {
    const h = await startHarness('non-admin');
    refuseBatch(h);
    for (const table of ['sys_alias', 'http_connection', 'oauth_2_0_credentials']) failReadsOf(h, table);
    const outcome = await discover(h.client, { userName: 'admin' });
    expect(outcome.ok ? null : outcome.reason).toBe('admin_role_missing');
  });

  it('ends at a server error on an essential read, even for a user without admin: it is no refusal', async () => {
    const h = await startHarness('non-admin', { retry: { limit: 0 } });
    refuseBatch(h);
    h.sim.faults.add({ kind: 'status', status: 500, match: { method: 'GET', table: 'http_connection' } });
    const error = await discover(h.client, { userName: 'admin' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceNowError);
    expect((error as ServiceNowError).failure.status).toBe(500);
  });

  it('is not asked for again once the instance refused it', async () => {
    const h = await startHarness('fresh');
    refuseBatch(h);
    await discover(h.client, { userName: 'admin' });
    h.sim.clearLog();
    const again = await discover(h.client, { userName: 'admin' });
    expect(again.ok).toBe(true);
    expect(h.sim.log.filter((e) => e.path.includes('/batch'))).toEqual([]);
    // Only its own requests are counted, not those of the discovery before it.
    expect(again.snapshot.requests).toBe(h.sim.log.length);
  });

  it('sees an inactive spoke as not installed, through the aliases', async () => {
    const h = await startHarness('fresh');
    refuseBatch(h);
    h.sim.db.update('sys_store_app', spokeIds.app, { active: 'false' });
    const outcome = await discover(h.client, { userName: 'admin' });
    expect(outcome.ok ? null : outcome.reason).toBe('spoke_missing');
  });
});

describe('a Batch API request that fails', () => {
  it('with a server error ends discovery: it is no refusal, and no plain GETs follow', async () => {
    const h = await startHarness('fresh', { retry: { limit: 0 } });
    h.sim.faults.add({ kind: 'status', status: 500, match: { pathIncludes: '/batch' } });
    h.sim.clearLog();
    await expect(discover(h.client, { userName: 'admin' })).rejects.toBeInstanceOf(ServiceNowError);
    expect(h.sim.log.filter((e) => !e.path.includes('/batch'))).toEqual([]);
  });
});

describe('a discovery through the batch', () => {
  it('lists as unread only what the instance could not answer: here the MID cluster table it lacks', async () => {
    const h = await startHarness('fresh');
    const outcome = await discover(h.client, { userName: 'admin' });
    expect(outcome.ok).toBe(true);
    expect(outcome.snapshot.unread).toHaveLength(1);
    expect(outcome.snapshot.unread?.[0]).toMatch(/^ecc_agent_cluster: .*Invalid table ecc_agent_cluster/);
    expect(outcome.snapshot.midClusters).toEqual([]);
  });
});
