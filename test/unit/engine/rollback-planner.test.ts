import { describe, expect, it } from 'vitest';
import { planRollback } from '../../../src/shared/domain/rollback-planner';
import type { RecordBeforeAfter } from '../../../src/shared/domain/apply';
import { planSummary } from '../../../src/shared/domain/plan';
import { IDS, appliedRecord, connection, credential, freshSnapshot, wcsSnapshot } from './snapshot-fixtures';

const created = (actionId: string, table: string, name: string, sysId: string): RecordBeforeAfter => ({
  actionId,
  table,
  sysId,
  name,
  op: 'create',
  before: null,
  after: { sys_id: sysId, name },
  verified: true,
  mismatches: [],
});

describe('planRollback', () => {
  it('deletes what the apply created, connections before credentials', () => {
    const snap = freshSnapshot();
    snap.credentials = [credential('Cred', 'c1', IDS.profileAuthCode)];
    snap.connections = [connection('Conn', 'k1', IDS.aliasMain, 'c1')];
    const plan = planRollback(
      appliedRecord([
        created('credential:main', 'oauth_2_0_credentials', 'Cred', 'c1'),
        created('connection:main', 'http_connection', 'Conn', 'k1'),
      ]),
      snap,
    );
    expect(plan.actions.map((a) => `${a.op} ${a.kind} ${a.sysId}`)).toEqual([
      'delete connection k1',
      'delete credential c1',
    ]);
    expect(planSummary(plan).delete).toBe(2);
    expect(plan.actions[0]?.changes.name).toEqual({ before: 'Conn', after: null });
  });

  it('restores the fields an adoption changed, by name, and keeps a credential still in use', () => {
    const snap = wcsSnapshot();
    // After the apply: MS Graph 1 was renamed and re-pointed to the new credential c9.
    snap.credentials.push(credential('Exchange_Online_Credentials', 'c9', IDS.profileAuthCode));
    snap.connections[0] = connection('Exchange_Online_Connection', 'k1', IDS.aliasMain, 'c9');
    snap.connections.push(connection('Someone_Else', 'z1', 'other', 'c9', { active: false }));
    const adopted: RecordBeforeAfter = {
      actionId: 'connection:main',
      table: 'http_connection',
      sysId: 'k1',
      name: 'Exchange_Online_Connection',
      op: 'update',
      before: {
        sys_id: 'k1',
        name: 'MS Graph 1',
        credential: 'g1',
        connection_url: 'https://graph.microsoft.com/v1.0',
        sys_updated_on: 'x',
      },
      after: {
        sys_id: 'k1',
        name: 'Exchange_Online_Connection',
        credential: 'c9',
        connection_url: 'https://graph.microsoft.com',
        sys_updated_on: 'y',
      },
      verified: true,
      mismatches: [],
    };
    const plan = planRollback(
      appliedRecord([
        created('credential:main', 'oauth_2_0_credentials', 'Exchange_Online_Credentials', 'c9'),
        adopted,
      ]),
      snap,
    );
    const restore = plan.actions[0]!;
    expect(restore.op).toBe('update');
    expect(restore.body).toEqual({
      name: 'MS Graph 1',
      credential: 'g1',
      connection_url: 'https://graph.microsoft.com/v1.0',
    });
    expect(restore.changes.credential).toEqual({
      before: 'Exchange_Online_Credentials',
      after: 'MS Graph 1',
    });
    // c9 is still referenced by Someone_Else, which the rollback does not touch.
    expect(plan.actions[1]).toMatchObject({ op: 'blocked', kind: 'credential' });
    expect(plan.actions[1]?.reason).toContain('Someone_Else');
  });

  it('skips records already gone, steps that were not done, and fields already back', () => {
    const snap = freshSnapshot();
    snap.connections = [connection('Conn', 'k1', IDS.aliasMain, null, { active: true })];
    const update: RecordBeforeAfter = {
      actionId: 'connection:main',
      table: 'http_connection',
      sysId: 'k1',
      name: 'Conn',
      op: 'update',
      before: { active: 'true' },
      after: { active: 'false' },
      verified: true,
      mismatches: [],
    };
    const plan = planRollback(
      appliedRecord(
        [
          update,
          created('credential:main', 'oauth_2_0_credentials', 'Gone', 'c1'),
          created('credential:clientCred', 'oauth_2_0_credentials', 'Never', 'c2'),
        ],
        { 'credential:clientCred': 'failed' },
      ),
      snap,
    );
    expect(plan.actions.map((a) => `${a.id}:${a.op}`)).toEqual([
      'rollback:connection:main:noop',
      'rollback:credential:main:noop',
    ]);
  });
});
