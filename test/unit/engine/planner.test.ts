import { describe, expect, it } from 'vitest';
import { buildPlan, planToJson } from '../../../src/shared/domain/planner';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import { hasWrites, planSummary, type PlanAction } from '../../../src/shared/domain/plan';
import {
  IDS,
  connection,
  credentialsSnapshot,
  freshSnapshot,
  provisionedSnapshot,
  wcsSnapshot,
} from './snapshot-fixtures';

const NOW = new Date('2026-02-03T04:05:06.000Z');
const byId = (actions: PlanAction[], id: string) => {
  const a = actions.find((x) => x.id === id);
  if (!a) throw new Error(`no action ${id}`);
  return a;
};

describe('buildPlan', () => {
  it('fresh instance: creates both credentials, then both connections referencing them', () => {
    const plan = buildPlan(freshSnapshot(), defaultDesiredState(), NOW);
    expect(plan.actions.map((a) => `${a.op} ${a.id}`)).toEqual([
      'create credential:main',
      'create credential:clientCred',
      'create connection:main',
      'create connection:clientCred',
    ]);
    expect(plan.createdAt).toBe(NOW.toISOString());
    expect(plan.snapshotAt).toBe('2026-01-02T03:04:05.000Z');

    const cred = byId(plan.actions, 'credential:main');
    expect(cred.body).toEqual({
      name: 'Exchange_Online_Credentials',
      oauth_entity_profile: IDS.profileAuthCode,
      active: 'true',
      applies_to: 'all',
      order: '100',
      sys_domain: 'global',
    });
    expect(cred.changes.oauth_entity_profile).toEqual({
      before: null,
      after: 'Microsoft Exchange Online default_profile',
    });
    expect(byId(plan.actions, 'credential:clientCred').body.oauth_entity_profile).toBe(IDS.profileClientCred);

    const conn = byId(plan.actions, 'connection:main');
    expect(conn.body).toEqual({
      name: 'Exchange_Online_Connection',
      credential: '{{credential:main}}',
      connection_alias: IDS.aliasMain,
      connection_url: 'https://graph.microsoft.com',
      use_mid: 'false',
      active: 'true',
      sys_domain: 'global',
    });
    expect(conn.dependsOn).toEqual(['credential:main']);
    expect(conn.changes.credential?.after).toBe('Exchange_Online_Credentials (new)');
    expect(conn.changes.connection_alias?.after).toBe('Microsoft_Exchange_Online');
    expect(byId(plan.actions, 'connection:clientCred').body.credential).toBe('{{credential:clientCred}}');
  });

  it('credentials present: reuses them by sys_id and only creates the connections', () => {
    const plan = buildPlan(credentialsSnapshot(), defaultDesiredState(), NOW);
    expect(plan.actions.map((a) => a.op)).toEqual(['noop', 'noop', 'create', 'create']);
    expect(byId(plan.actions, 'connection:main').body.credential).toBe('c1');
    expect(byId(plan.actions, 'connection:main').dependsOn).toEqual([]);
    expect(byId(plan.actions, 'connection:clientCred').body.credential).toBe('c2');
  });

  it('WCS: adopts and renames "MS Graph 1"/"MS Graph 2" instead of adding second connections', () => {
    const plan = buildPlan(wcsSnapshot(), defaultDesiredState(), NOW);
    const main = byId(plan.actions, 'connection:main');
    expect(main.op).toBe('update');
    expect(main.adoptedFrom).toBe('MS Graph 1');
    expect(main.sysId).toBe('k1');
    expect(main.body).toEqual({
      name: 'Exchange_Online_Connection',
      credential: '{{credential:main}}',
      connection_url: 'https://graph.microsoft.com',
    });
    expect(main.changes.name).toEqual({ before: 'MS Graph 1', after: 'Exchange_Online_Connection' });
    expect(main.changes.credential).toEqual({
      before: 'MS Graph 1',
      after: 'Exchange_Online_Credentials (new)',
    });
    expect(main.changes.active).toEqual({ before: 'true', after: 'true' });
    expect(main.notes.join(' ')).toContain(
      'MS Graph 1 is active on Microsoft_Exchange_Online, which allows one active connection per domain',
    );
    const clientCred = byId(plan.actions, 'connection:clientCred');
    expect(clientCred.adoptedFrom).toBe('MS Graph 2');
    expect(clientCred.body).toEqual({
      name: 'Exchange_Online_Connection_clientCred',
      credential: '{{credential:clientCred}}',
    });
    expect(plan.actions.filter((a) => a.op === 'create').map((a) => a.kind)).toEqual([
      'credential',
      'credential',
    ]);
  });

  it('WCS: an alias that allows multiple connections gets a new record instead of an adoption', () => {
    const snap = wcsSnapshot();
    snap.aliases.main!.multipleConnections = true;
    const plan = buildPlan(snap, defaultDesiredState(), NOW);
    expect(byId(plan.actions, 'connection:main').op).toBe('create');
    expect(byId(plan.actions, 'connection:clientCred').op).toBe('update');
  });

  it('unchanged state: only noops, nothing to write', () => {
    const plan = buildPlan(provisionedSnapshot(), defaultDesiredState(), NOW);
    expect(plan.actions.map((a) => a.op)).toEqual(['noop', 'noop', 'noop', 'noop']);
    expect(hasWrites(plan)).toBe(false);
    expect(planSummary(plan)).toEqual({ create: 0, update: 0, noop: 4, blocked: 0, delete: 0 });
    for (const a of plan.actions) {
      for (const change of Object.values(a.changes)) expect(change.before).toBe(change.after);
    }
  });

  it('a single changed field becomes an update of just that field, shown by name', () => {
    const desired = defaultDesiredState();
    desired.clientCred.active = false;
    const plan = buildPlan(provisionedSnapshot(), desired, NOW);
    const action = byId(plan.actions, 'connection:clientCred');
    expect(action.op).toBe('update');
    expect(action.body).toEqual({ active: 'false' });
    expect(action.changes.active).toEqual({ before: 'true', after: 'false' });
    expect(action.changes.credential).toEqual({
      before: 'Exchange_Online_Credentials_clientCred',
      after: 'Exchange_Online_Credentials_clientCred',
    });
  });

  it('name taken by a connection on another alias: blocked, with the reason', () => {
    const snap = freshSnapshot();
    snap.connections = [connection('Exchange_Online_Connection', 'x1', 'other-alias', null)];
    const plan = buildPlan(snap, defaultDesiredState(), NOW);
    const main = byId(plan.actions, 'connection:main');
    expect(main.op).toBe('blocked');
    expect(main.reason).toMatch(/"Exchange_Online_Connection" is taken by a connection on another alias/);
    expect(byId(plan.actions, 'connection:clientCred').op).toBe('create');
  });

  it('name taken by the other spoke alias names that alias', () => {
    const snap = freshSnapshot();
    snap.connections = [
      connection('Exchange_Online_Connection', 'x1', IDS.aliasClientCred, null, { active: false }),
    ];
    const plan = buildPlan(snap, defaultDesiredState(), NOW);
    expect(byId(plan.actions, 'connection:main').reason).toContain('Microsoft_Exchange_Online_clientCred');
  });

  it('MID server down: still planned, with a note; a missing MID server blocks', () => {
    const desired = defaultDesiredState();
    desired.main = { ...desired.main, useMid: true, midSelection: 'server', midServer: 'mid-down' };
    desired.clientCred = { ...desired.clientCred, useMid: true, midSelection: 'server', midServer: 'nope' };
    const plan = buildPlan(freshSnapshot(), desired, NOW);
    const main = byId(plan.actions, 'connection:main');
    expect(main.op).toBe('create');
    expect(main.body.mid_selection).toBe('specific_mid_server');
    expect(main.body.mid_server).toBe(IDS.midDown);
    expect(main.changes.mid_server?.after).toBe('mid-down');
    expect(main.notes.join(' ')).toMatch(/mid-down" is Down/);
    const cc = byId(plan.actions, 'connection:clientCred');
    expect(cc.op).toBe('blocked');
    expect(cc.reason).toContain('"nope" does not exist');
  });

  it('domain missing: blocked; a known domain is written by sys_id and shown by name', () => {
    const desired = defaultDesiredState();
    desired.main.domain = 'ACME';
    desired.clientCred.domain = 'INITECH';
    const plan = buildPlan(freshSnapshot(), desired, NOW);
    expect(byId(plan.actions, 'connection:main').op).toBe('blocked');
    expect(byId(plan.actions, 'connection:main').reason).toContain('"ACME" does not exist');
    const cc = byId(plan.actions, 'connection:clientCred');
    expect(cc.body.sys_domain).toBe(IDS.domainInitech);
    expect(cc.changes.sys_domain?.after).toBe('INITECH');
  });

  it('both forms sharing a connection name: the second is blocked', () => {
    const desired = defaultDesiredState();
    desired.clientCred.name = desired.main.name;
    const plan = buildPlan(freshSnapshot(), desired, NOW);
    expect(byId(plan.actions, 'connection:main').op).toBe('create');
    const cc = byId(plan.actions, 'connection:clientCred');
    expect(cc.op).toBe('blocked');
    expect(cc.reason).toContain('need different names');
  });

  it('both forms sharing a credential name: it is created once and both connections reference it', () => {
    const desired: DesiredState = defaultDesiredState();
    desired.clientCred.credential = desired.main.credential;
    desired.clientCred.active = false;
    const plan = buildPlan(freshSnapshot(), desired, NOW);
    const creds = plan.actions.filter((a) => a.kind === 'credential');
    expect(creds.map((c) => c.id)).toEqual(['credential:main']);
    expect(byId(plan.actions, 'connection:clientCred').body.credential).toBe('{{credential:main}}');
    expect(byId(plan.actions, 'connection:clientCred').dependsOn).toEqual(['credential:main']);
  });

  it('an existing credential used by another active connection blocks the connection', () => {
    const snap = credentialsSnapshot();
    snap.connections = [connection('Someone_Else', 'z1', 'other-alias', 'c1')];
    const plan = buildPlan(snap, defaultDesiredState(), NOW);
    expect(byId(plan.actions, 'connection:main').op).toBe('blocked');
    expect(byId(plan.actions, 'connection:main').reason).toContain(
      'already used by the active connection "Someone_Else"',
    );
  });

  it('an existing connection of that name while another is active on a single-connection alias: blocked', () => {
    const snap = credentialsSnapshot();
    snap.connections = [
      connection('Exchange_Online_Connection', 'k1', IDS.aliasMain, 'c1', { active: false }),
      connection('MS Graph 1', 'k9', IDS.aliasMain, null),
    ];
    const plan = buildPlan(snap, defaultDesiredState(), NOW);
    expect(byId(plan.actions, 'connection:main').op).toBe('blocked');
    expect(byId(plan.actions, 'connection:main').reason).toContain('"MS Graph 1" is already active');
  });

  it('spoke missing or no admin role: every action blocked, nothing written', () => {
    const noSpoke = freshSnapshot();
    noSpoke.spoke.installed = false;
    noSpoke.aliases = { main: null, clientCred: null };
    const a = buildPlan(noSpoke, defaultDesiredState(), NOW);
    expect(a.actions.every((x) => x.op === 'blocked')).toBe(true);
    expect(a.actions[0]?.reason).toContain('not installed');
    const noAdmin = freshSnapshot();
    noAdmin.user.roles = ['itil'];
    const b = buildPlan(noAdmin, defaultDesiredState(), NOW);
    expect(b.actions.every((x) => x.op === 'blocked')).toBe(true);
    expect(b.actions[0]?.reason).toContain('admin role');
  });

  it('missing OAuth profile blocks the credential and its connection', () => {
    const snap = freshSnapshot();
    snap.profiles.authorization_code = null;
    const plan = buildPlan(snap, defaultDesiredState(), NOW);
    expect(byId(plan.actions, 'credential:main').op).toBe('blocked');
    expect(byId(plan.actions, 'connection:main').op).toBe('blocked');
    expect(byId(plan.actions, 'credential:clientCred').op).toBe('create');
  });

  it('planToJson lists only changing fields', () => {
    const desired = defaultDesiredState();
    desired.main.connectionUrl = 'https://graph.microsoft.com/beta';
    const json = planToJson(buildPlan(provisionedSnapshot(), desired, NOW));
    expect(json.instance).toBe('https://dev12345.service-now.com');
    const main = json.actions.find((a) => a.id === 'connection:main');
    expect(main).toMatchObject({
      table: 'http_connection',
      name: 'Exchange_Online_Connection',
      op: 'update',
    });
    expect(main?.changes).toEqual({
      connection_url: { before: 'https://graph.microsoft.com', after: 'https://graph.microsoft.com/beta' },
    });
    expect(json.actions.find((a) => a.id === 'connection:clientCred')?.changes).toEqual({});
  });
});
