// Each business rule of the planner, from both sides of its condition: the case that triggers it and the
// nearest case that must not (so a rule that is removed, inverted or widened fails a test).
import { describe, expect, it } from 'vitest';
import { buildPlan, planToJson } from '../../../src/shared/domain/planner';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import {
  hasWrites,
  isBlocked,
  planSummary,
  type Plan,
  type PlanAction,
} from '../../../src/shared/domain/plan';
import type { Snapshot } from '../../../src/shared/domain/snapshot';
import {
  IDS,
  connection,
  credential,
  credentialsSnapshot,
  freshSnapshot,
  provisionedSnapshot,
  wcsSnapshot,
} from '../engine/snapshot-fixtures';

const NOW = new Date('2026-02-03T04:05:06.000Z');

function action(plan: Plan, id: string): PlanAction {
  const found = plan.actions.find((a) => a.id === id);
  if (!found) throw new Error(`no action ${id} in ${plan.actions.map((a) => a.id).join(', ')}`);
  return found;
}

const plan = (snapshot: Snapshot, desired: DesiredState = defaultDesiredState()) =>
  buildPlan(snapshot, desired, NOW);

describe('field comparison is exact (ServiceNow stores what it is sent, case included)', () => {
  it('a value that differs only in letter case is an update of that field', () => {
    const snap = provisionedSnapshot();
    snap.connections[0] = connection('Exchange_Online_Connection', 'k1', IDS.aliasMain, 'c1', {
      connectionUrl: 'https://GRAPH.microsoft.com',
    });
    const main = action(plan(snap), 'connection:main');
    expect(main.op).toBe('update');
    expect(main.body).toEqual({ connection_url: 'https://graph.microsoft.com' });
    expect(main.changes.connection_url).toEqual({
      before: 'https://GRAPH.microsoft.com',
      after: 'https://graph.microsoft.com',
    });
  });

  it('the identical value is a noop', () => {
    const main = action(plan(provisionedSnapshot()), 'connection:main');
    expect(main.op).toBe('noop');
    expect(main.body).toEqual({});
  });

  it('a connection whose name differs only in case is another record: the form gets its own', () => {
    const snap = credentialsSnapshot();
    snap.aliases.main!.multipleConnections = true;
    snap.connections = [connection('exchange_online_connection', 'k1', IDS.aliasMain, null)];
    const main = action(plan(snap), 'connection:main');
    expect(main.op).toBe('create');
    expect(main.body.name).toBe('Exchange_Online_Connection');
  });

  it('a field the instance row lacks counts as empty, so a wanted value is written', () => {
    const snap = provisionedSnapshot();
    const desired = defaultDesiredState();
    desired.main = { ...desired.main, useMid: true, midSelection: 'auto' };
    const main = action(plan(snap, desired), 'connection:main');
    expect(main.op).toBe('update');
    expect(main.body).toEqual({ use_mid: 'true', mid_selection: 'auto_select' });
    expect(main.changes.mid_selection).toEqual({ before: '', after: 'auto_select' });
  });
});

describe('the alias\'s "multiple connections" flag', () => {
  it('single-connection alias with an active connection in the domain: adopted, not duplicated', () => {
    const main = action(plan(wcsSnapshot()), 'connection:main');
    expect(main.op).toBe('update');
    expect(main.sysId).toBe('k1');
    expect(main.adoptedFrom).toBe('MS Graph 1');
    expect(main.body.name).toBe('Exchange_Online_Connection');
  });

  it('multiple-connections alias: a new connection beside the existing one', () => {
    const snap = wcsSnapshot();
    snap.aliases.main!.multipleConnections = true;
    const main = action(plan(snap), 'connection:main');
    expect(main.op).toBe('create');
    expect(main.adoptedFrom).toBeUndefined();
  });

  it('single-connection alias, the active one is in another domain: no adoption', () => {
    const snap = wcsSnapshot();
    snap.connections[0] = connection('MS Graph 1', 'k1', IDS.aliasMain, 'g1', {
      domainSysId: IDS.domainInitech,
    });
    expect(action(plan(snap), 'connection:main').op).toBe('create');
  });

  it('an inactive form never adopts the active connection', () => {
    const desired = defaultDesiredState();
    desired.main.active = false;
    const main = action(plan(wcsSnapshot(), desired), 'connection:main');
    expect(main.op).toBe('create');
    expect(main.body.active).toBe('false');
  });

  it('its own record plus an active rival: blocked on a single-connection alias, updated on a multiple one', () => {
    const snap = credentialsSnapshot();
    snap.connections = [
      connection('Exchange_Online_Connection', 'k1', IDS.aliasMain, 'c1', { active: false }),
      connection('MS Graph 1', 'k9', IDS.aliasMain, null),
    ];
    const single = action(plan(snap), 'connection:main');
    expect(single.op).toBe('blocked');
    expect(single.sysId).toBe('k1');
    expect(single.reason).toContain('allows one active connection per domain');

    snap.aliases.main!.multipleConnections = true;
    const multiple = action(plan(snap), 'connection:main');
    expect(multiple.op).toBe('update');
    expect(multiple.body).toEqual({ active: 'true' });
  });

  it('its own record plus an active rival, but the form is inactive: an update, not a block', () => {
    const snap = credentialsSnapshot();
    snap.connections = [
      connection('Exchange_Online_Connection', 'k1', IDS.aliasMain, 'c1'),
      connection('MS Graph 1', 'k9', IDS.aliasMain, null),
    ];
    const desired = defaultDesiredState();
    desired.main.active = false;
    const main = action(plan(snap, desired), 'connection:main');
    expect(main.op).toBe('update');
    expect(main.body).toEqual({ active: 'false' });
  });
});

describe('one active connection per credential', () => {
  it('the credential serves another active connection: blocked', () => {
    const snap = credentialsSnapshot();
    snap.connections = [connection('Someone_Else', 'z1', 'other-alias', 'c1')];
    const main = action(plan(snap), 'connection:main');
    expect(main.op).toBe('blocked');
    expect(main.reason).toContain('"Someone_Else"');
  });

  it('the other connection is inactive: not blocked', () => {
    const snap = credentialsSnapshot();
    snap.connections = [connection('Someone_Else', 'z1', 'other-alias', 'c1', { active: false })];
    expect(action(plan(snap), 'connection:main').op).toBe('create');
  });

  it('the connection using it is the record being updated: not blocked', () => {
    const desired = defaultDesiredState();
    desired.main.connectionUrl = 'https://graph.microsoft.com/v1.0';
    const main = action(plan(provisionedSnapshot(), desired), 'connection:main');
    expect(main.op).toBe('update');
  });

  it('the form itself is inactive: not blocked', () => {
    const snap = credentialsSnapshot();
    snap.connections = [connection('Someone_Else', 'z1', 'other-alias', 'c1')];
    const desired = defaultDesiredState();
    desired.main.active = false;
    expect(action(plan(snap, desired), 'connection:main').op).toBe('create');
  });
});

describe('credentials', () => {
  it('an existing credential is used as it is, whatever the form asks, and says so', () => {
    const snap = freshSnapshot();
    snap.credentials = [credential('Exchange_Online_Credentials', 'c1', IDS.profileClientCred, false)];
    const cred = action(plan(snap), 'credential:main');
    expect(cred.op).toBe('noop');
    expect(cred.body).toEqual({});
    expect(cred.sysId).toBe('c1');
    expect(cred.notes.join(' ')).toContain('Spokesmith does not change existing credentials');
    expect(cred.notes.join(' ')).toContain('inactive');
    expect(cred.oauth).toEqual({ grant: 'client_credentials', profileSysId: IDS.profileClientCred });
  });

  it('an existing active credential on the asked-for profile carries no warning note', () => {
    const cred = action(plan(credentialsSnapshot()), 'credential:main');
    expect(cred.op).toBe('noop');
    expect(cred.notes).toHaveLength(1);
    expect(cred.notes[0]).toContain('used as it is');
  });

  it("a new credential is created in the connection's domain and bound to the form's profile", () => {
    const desired = defaultDesiredState();
    desired.main.domain = 'INITECH';
    const cred = action(plan(freshSnapshot(), desired), 'credential:main');
    expect(cred.op).toBe('create');
    expect(cred.body.sys_domain).toBe(IDS.domainInitech);
    expect(cred.changes.sys_domain).toEqual({ before: null, after: 'INITECH' });
    expect(cred.oauth).toEqual({ grant: 'authorization_code', profileSysId: IDS.profileAuthCode });
  });

  it('two forms naming different credentials get two credential actions', () => {
    const p = plan(freshSnapshot());
    expect(p.actions.filter((a) => a.kind === 'credential').map((a) => a.name)).toEqual([
      'Exchange_Online_Credentials',
      'Exchange_Online_Credentials_clientCred',
    ]);
  });

  it('a connection whose credential is created waits for it; one using an existing credential does not', () => {
    expect(action(plan(freshSnapshot()), 'connection:main').dependsOn).toEqual(['credential:main']);
    const existing = action(plan(credentialsSnapshot()), 'connection:main');
    expect(existing.dependsOn).toEqual([]);
    expect(existing.body.credential).toBe('c1');
  });
});

describe('blocking the whole instance', () => {
  it('no admin role: every action blocked with that reason; with the role nothing is blocked', () => {
    const snap = freshSnapshot();
    snap.user.roles = ['itil', 'Admin'];
    const blocked = plan(snap);
    expect(isBlocked(blocked)).toBe(true);
    for (const a of blocked.actions) expect(a.reason).toContain('admin role');
    snap.user.roles = ['itil', 'admin'];
    expect(isBlocked(plan(snap))).toBe(false);
  });

  it('an alias missing blocks only its own connection', () => {
    const snap = freshSnapshot();
    snap.aliases.clientCred = null;
    const p = plan(snap);
    expect(action(p, 'connection:clientCred').op).toBe('blocked');
    expect(action(p, 'connection:clientCred').reason).toContain('Microsoft_Exchange_Online_clientCred');
    expect(action(p, 'connection:main').op).toBe('create');
  });
});

describe('MID selection', () => {
  it('a MID cluster by name: written by sys_id; an unknown one blocks', () => {
    const snap = freshSnapshot();
    snap.midClusters = [{ sysId: 'mc1', name: 'cluster-a' }];
    const desired = defaultDesiredState();
    desired.main = { ...desired.main, useMid: true, midSelection: 'cluster', midCluster: 'cluster-a' };
    desired.clientCred = {
      ...desired.clientCred,
      useMid: true,
      midSelection: 'cluster',
      midCluster: 'cluster-b',
    };
    const p = plan(snap, desired);
    expect(action(p, 'connection:main').body).toMatchObject({
      use_mid: 'true',
      mid_selection: 'specific_mid_cluster',
      mid_cluster: 'mc1',
    });
    expect(action(p, 'connection:main').changes.mid_cluster?.after).toBe('cluster-a');
    expect(action(p, 'connection:clientCred').op).toBe('blocked');
    expect(action(p, 'connection:clientCred').reason).toContain('"cluster-b"');
  });

  it('an Up MID Server adds no note; capabilities are written as a list', () => {
    const desired = defaultDesiredState();
    desired.main = {
      ...desired.main,
      useMid: true,
      midSelection: 'server',
      midServer: 'mid-up',
      midCapabilities: ['ALL', 'Exchange'],
    };
    const main = action(plan(freshSnapshot(), desired), 'connection:main');
    expect(main.op).toBe('create');
    expect(main.notes).toEqual([]);
    expect(main.body.mid_capabilities).toBe('ALL,Exchange');
  });

  it('use MID off: no MID fields are sent even if a server is named', () => {
    const desired = defaultDesiredState();
    desired.main = { ...desired.main, useMid: false, midSelection: 'server', midServer: 'ghost' };
    const main = action(plan(freshSnapshot(), desired), 'connection:main');
    expect(main.op).toBe('create');
    expect(main.body.use_mid).toBe('false');
    expect(main.body.mid_server).toBeUndefined();
    expect(main.body.mid_selection).toBeUndefined();
  });
});

describe('plan summaries', () => {
  it('counts each op and tells whether anything is written', () => {
    const fresh = plan(freshSnapshot());
    expect(planSummary(fresh)).toEqual({ create: 4, update: 0, noop: 0, blocked: 0, delete: 0 });
    expect(hasWrites(fresh)).toBe(true);
    expect(isBlocked(fresh)).toBe(false);
    const json = planToJson(fresh);
    expect(json.createdAt).toBe(NOW.toISOString());
    expect(json.actions.map((a) => a.op)).toEqual(['create', 'create', 'create', 'create']);
    expect(json.actions[2]?.changes.credential).toEqual({
      before: null,
      after: 'Exchange_Online_Credentials (new)',
    });
  });

  it('planToJson carries a blocked reason and an adoption', () => {
    const blockedSnap = freshSnapshot();
    blockedSnap.aliases.main = null;
    const blocked = planToJson(plan(blockedSnap)).actions.find((a) => a.id === 'connection:main');
    expect(blocked?.reason).toContain('missing');
    const adopted = planToJson(plan(wcsSnapshot())).actions.find((a) => a.id === 'connection:main');
    expect(adopted?.adoptedFrom).toBe('MS Graph 1');
    expect(adopted?.reason).toBeUndefined();
  });
});
