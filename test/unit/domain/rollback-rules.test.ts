// The rollback planner's rules, each from both sides: it undoes only what the apply did, only where the
// instance still shows it, and keeps a created credential that something else still uses.
import { describe, expect, it } from 'vitest';
import { planRollback } from '../../../src/shared/domain/rollback-planner';
import type { RecordBeforeAfter } from '../../../src/shared/domain/apply';
import type { PlanAction } from '../../../src/shared/domain/plan';
import { IDS, appliedRecord, connection, credential, freshSnapshot } from '../engine/snapshot-fixtures';

const NOW = new Date('2026-05-01T00:00:00.000Z');

const createdCredential = (sysId: string, name = 'Cred'): RecordBeforeAfter => ({
  actionId: 'credential:main',
  table: 'oauth_2_0_credentials',
  sysId,
  name,
  op: 'create',
  before: null,
  after: { sys_id: sysId, name, sys_created_on: 'x' },
  verified: true,
  mismatches: [],
});

const createdConnection = (
  sysId: string,
  name = 'Conn',
  actionId = 'connection:main',
): RecordBeforeAfter => ({
  actionId,
  table: 'http_connection',
  sysId,
  name,
  op: 'create',
  before: null,
  after: { sys_id: sysId, name },
  verified: true,
  mismatches: [],
});

const updatedConnection = (
  sysId: string,
  before: Record<string, string>,
  after: Record<string, string>,
): RecordBeforeAfter => ({
  actionId: 'connection:clientCred',
  table: 'http_connection',
  sysId,
  name: 'Conn',
  op: 'update',
  before,
  after,
  verified: true,
  mismatches: [],
});

const ops = (actions: PlanAction[]) => actions.map((a) => `${a.op} ${a.sysId}`);

describe('only steps that ran are undone', () => {
  for (const status of ['failed', 'not_run', 'skipped'] as const) {
    it(`a create whose step is ${status} is left alone, even though its record is on the instance`, () => {
      const snap = freshSnapshot();
      snap.connections = [connection('Conn', 'k1', IDS.aliasMain, null)];
      const plan = planRollback(
        appliedRecord([createdConnection('k1')], { 'connection:main': status }),
        snap,
        NOW,
      );
      expect(plan.actions).toEqual([]);
    });
  }

  it('the same create, done: deleted', () => {
    const snap = freshSnapshot();
    snap.connections = [connection('Conn', 'k1', IDS.aliasMain, null)];
    const plan = planRollback(appliedRecord([createdConnection('k1')]), snap, NOW);
    expect(ops(plan.actions)).toEqual(['delete k1']);
    expect(plan.actions[0]).toMatchObject({
      id: 'rollback:connection:main',
      alias: 'main',
      kind: 'connection',
    });
    expect(plan.createdAt).toBe(NOW.toISOString());
  });

  it('an update whose step failed is not restored', () => {
    const snap = freshSnapshot();
    snap.connections = [connection('Conn', 'k2', IDS.aliasClientCred, null, { active: false })];
    const update = updatedConnection('k2', { active: 'true' }, { active: 'false' });
    expect(
      planRollback(appliedRecord([update], { 'connection:clientCred': 'failed' }), snap, NOW).actions,
    ).toEqual([]);
    expect(ops(planRollback(appliedRecord([update]), snap, NOW).actions)).toEqual(['update k2']);
  });
});

describe('what a rollback action names and shows', () => {
  it('names the record as the instance holds it now, on the alias of its step, with every field it had', () => {
    const snap = freshSnapshot();
    // Another connection first, so the record is looked up by sys_id, not by position.
    snap.credentials = [
      credential('Other', 'c0', IDS.profileAuthCode),
      credential('Renamed', 'c1', IDS.profileAuthCode),
    ];
    snap.connections = [
      connection('Unrelated', 'k0', 'other-alias', null),
      connection('Conn renamed', 'k9', IDS.aliasClientCred, null, { domainSysId: IDS.domainInitech }),
    ];
    const created = createdConnection('k9', 'Conn', 'connection:clientCred');
    created.after = { sys_id: 'k9', name: 'Conn', sys_domain: IDS.domainInitech, sys_created_on: 'x' };
    const plan = planRollback(appliedRecord([createdCredential('c1', 'Cred'), created]), snap, NOW);
    const [conn, cred] = plan.actions;
    expect(conn).toMatchObject({ op: 'delete', alias: 'clientCred', name: 'Conn renamed', sysId: 'k9' });
    expect(conn!.before).toMatchObject({ name: 'Conn renamed', sys_id: 'k9' });
    expect(conn!.changes.name).toEqual({ before: 'Conn renamed', after: null });
    // The domain is shown, by name; other system fields are not.
    expect(Object.keys(conn!.changes).sort()).toEqual(['name', 'sys_domain']);
    expect(conn!.changes.sys_domain).toEqual({ before: 'INITECH', after: null });
    expect(conn!.notes).toEqual(['Created by the apply; the rollback deletes it.']);
    expect(cred).toMatchObject({ op: 'delete', alias: 'main', name: 'Renamed', sysId: 'c1' });
    expect(cred!.before).toMatchObject({
      name: 'Renamed',
      active: 'true',
      oauth_entity_profile: IDS.profileAuthCode,
    });
  });

  it('a record gone from the instance keeps the name the apply gave it', () => {
    const plan = planRollback(appliedRecord([createdConnection('k1', 'Conn')]), freshSnapshot(), NOW);
    expect(plan.actions[0]).toMatchObject({ name: 'Conn', before: null });
  });

  it('records the apply did not create or update, or without a step, are never part of it', () => {
    const snap = freshSnapshot();
    snap.connections = [
      connection('Conn', 'k1', IDS.aliasMain, null),
      connection('Conn2', 'k2', IDS.aliasMain, null),
    ];
    const noop: RecordBeforeAfter = { ...createdConnection('k1'), op: 'noop' };
    const record = appliedRecord([noop]);
    record.records.push(createdConnection('k2', 'Conn2', 'connection:orphan'));
    expect(planRollback(record, snap, NOW).actions).toEqual([]);
  });
});

describe('creates', () => {
  it('already gone from the instance: a noop that says so', () => {
    const plan = planRollback(appliedRecord([createdConnection('k1')]), freshSnapshot(), NOW);
    expect(plan.actions[0]).toMatchObject({ op: 'noop', notes: ['Already gone from the instance.'] });
  });

  it('connections are deleted before the credentials they use', () => {
    const snap = freshSnapshot();
    snap.credentials = [credential('Cred', 'c1', IDS.profileAuthCode)];
    snap.connections = [connection('Conn', 'k1', IDS.aliasMain, 'c1')];
    const plan = planRollback(appliedRecord([createdCredential('c1'), createdConnection('k1')]), snap, NOW);
    expect(ops(plan.actions)).toEqual(['delete k1', 'delete c1']);
    // System fields are not listed as changes.
    expect(Object.keys(plan.actions[1]!.changes)).toEqual(['name']);
  });

  it("a created credential another connection still uses is kept; one only the rollback's deletes used is deleted", () => {
    const snap = freshSnapshot();
    snap.credentials = [credential('Cred', 'c1', IDS.profileAuthCode)];
    snap.connections = [connection('Someone_Else', 'z1', 'other-alias', 'c1', { active: false })];
    const kept = planRollback(appliedRecord([createdCredential('c1')]), snap, NOW);
    expect(kept.actions[0]?.op).toBe('blocked');
    expect(kept.actions[0]?.reason).toContain('"Someone_Else" still uses this credential');

    snap.connections = [connection('Conn', 'k1', IDS.aliasMain, 'c1')];
    const both = planRollback(appliedRecord([createdCredential('c1'), createdConnection('k1')]), snap, NOW);
    expect(ops(both.actions)).toEqual(['delete k1', 'delete c1']);
  });

  it('a created credential used by an adopted connection the rollback points back elsewhere is deleted', () => {
    const snap = freshSnapshot();
    snap.credentials = [
      credential('Cred', 'c1', IDS.profileAuthCode),
      credential('Old', 'g1', IDS.profileAuthCode),
    ];
    snap.connections = [connection('Conn', 'k2', IDS.aliasClientCred, 'c1')];
    const adopted = updatedConnection('k2', { credential: 'g1' }, { credential: 'c1' });
    const plan = planRollback(appliedRecord([createdCredential('c1'), adopted]), snap, NOW);
    expect(ops(plan.actions)).toEqual(['update k2', 'delete c1']);
    expect(plan.actions[0]?.body).toEqual({ credential: 'g1' });

    // Pointed back to the same credential: it stays in use, so it is kept.
    const same = updatedConnection(
      'k2',
      { credential: 'c1', active: 'false' },
      { credential: 'c1', active: 'true' },
    );
    const keep = planRollback(appliedRecord([createdCredential('c1'), same]), snap, NOW);
    expect(keep.actions.map((a) => a.op)).toEqual(['update', 'blocked']);
  });
});

describe('updates', () => {
  it('the record is gone: blocked, with the reason', () => {
    const update = updatedConnection('k2', { active: 'true' }, { active: 'false' });
    const plan = planRollback(appliedRecord([update]), freshSnapshot(), NOW);
    expect(plan.actions[0]).toMatchObject({
      op: 'blocked',
      reason: 'The record no longer exists on the instance.',
    });
  });

  it('restores each field the apply changed, skips fields it did not change or that are already back', () => {
    const snap = freshSnapshot();
    snap.connections = [
      connection('Renamed', 'k2', IDS.aliasClientCred, null, {
        connectionUrl: 'https://graph.microsoft.com/v1.0',
        active: true,
      }),
    ];
    const update = updatedConnection(
      'k2',
      { name: 'Conn', connection_url: 'https://graph.microsoft.com', active: 'true', use_mid: 'false' },
      {
        name: 'Renamed',
        connection_url: 'https://graph.microsoft.com/v1.0',
        active: 'false',
        use_mid: 'false',
      },
    );
    const plan = planRollback(appliedRecord([update]), snap, NOW);
    // active is already back to 'true'; use_mid was not changed.
    expect(plan.actions[0]?.body).toEqual({ name: 'Conn', connection_url: 'https://graph.microsoft.com' });
    expect(plan.actions[0]?.changes.name).toEqual({ before: 'Renamed', after: 'Conn' });
    expect(plan.actions[0]?.notes).toEqual([]);
  });

  it('a field changed again after the apply is restored anyway, with a note', () => {
    const snap = freshSnapshot();
    snap.connections = [
      connection('Conn', 'k2', IDS.aliasClientCred, null, { connectionUrl: 'https://third.example' }),
    ];
    const update = updatedConnection(
      'k2',
      { connection_url: 'https://graph.microsoft.com' },
      { connection_url: 'https://graph.microsoft.com/v1.0' },
    );
    const action = planRollback(appliedRecord([update]), snap, NOW).actions[0]!;
    expect(action.body).toEqual({ connection_url: 'https://graph.microsoft.com' });
    expect(action.notes).toEqual([
      'connection_url was changed again after the apply; the rollback restores it anyway.',
    ]);
  });

  it('system fields are never written back, except the domain', () => {
    const snap = freshSnapshot();
    snap.connections = [
      connection('Conn', 'k2', IDS.aliasClientCred, null, { domainSysId: IDS.domainInitech }),
    ];
    snap.connections[0]!.raw.sys_updated_on = 'later';
    const update = updatedConnection(
      'k2',
      { sys_updated_on: 'earlier', sys_domain: 'global' },
      { sys_updated_on: 'later', sys_domain: IDS.domainInitech },
    );
    const action = planRollback(appliedRecord([update]), snap, NOW).actions[0]!;
    expect(action.body).toEqual({ sys_domain: 'global' });
  });

  it('a field the apply did not write is left as it is now, even if it differs from before', () => {
    const snap = freshSnapshot();
    snap.connections = [
      connection('Renamed by someone', 'k2', IDS.aliasClientCred, null, {
        connectionUrl: 'https://changed.example',
        active: false,
      }),
    ];
    const update = updatedConnection(
      'k2',
      { connection_url: 'https://graph.microsoft.com', active: 'true', name: 'Conn' },
      // The apply changed only `active`; connection_url it wrote unchanged, name it did not send.
      { connection_url: 'https://graph.microsoft.com', active: 'false' },
    );
    const action = planRollback(appliedRecord([update]), snap, NOW).actions[0]!;
    expect(action.body).toEqual({ active: 'true' });
  });

  it('a connection updated without touching its credential keeps the created credential in use', () => {
    const snap = freshSnapshot();
    snap.credentials = [credential('Cred', 'c1', IDS.profileAuthCode)];
    snap.connections = [connection('Renamed', 'k2', IDS.aliasClientCred, 'c1')];
    const renamed = updatedConnection('k2', { name: 'Conn' }, { name: 'Renamed' });
    const plan = planRollback(appliedRecord([createdCredential('c1'), renamed]), snap, NOW);
    expect(plan.actions.map((a) => a.op)).toEqual(['update', 'blocked']);
  });

  it('nothing left to restore: a noop', () => {
    const snap = freshSnapshot();
    snap.connections = [connection('Conn', 'k2', IDS.aliasClientCred, null, { active: true })];
    const update = updatedConnection('k2', { active: 'true' }, { active: 'false' });
    expect(planRollback(appliedRecord([update]), snap, NOW).actions[0]?.op).toBe('noop');
  });
});
