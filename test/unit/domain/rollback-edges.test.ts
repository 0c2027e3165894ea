// Rollback edges the rule tests do not reach: a field the instance row no longer holds counts as empty,
// on both sides (nothing to restore when empty was the before-value; restored, shown as empty, when not),
// and a step whose id names no alias is still attributed to a form.
import { describe, expect, it } from 'vitest';
import type { ApplyRecord, RecordBeforeAfter } from '../../../src/shared/domain/apply';
import { planRollback } from '../../../src/shared/domain/rollback-planner';
import { IDS, connection, freshSnapshot } from '../engine/snapshot-fixtures';

const NOW = new Date('2026-05-01T00:00:00.000Z');

function applyOf(records: RecordBeforeAfter[]): ApplyRecord {
  return {
    version: 1,
    applyId: 'a1',
    kind: 'apply',
    instanceUrl: 'https://dev12345.service-now.com',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    status: 'succeeded',
    plan: null,
    steps: records.map((r) => ({
      actionId: r.actionId,
      table: r.table,
      name: r.name,
      op: r.op as 'create' | 'update',
      status: 'done' as const,
      sysId: r.sysId,
    })),
    records,
    verification: null,
    nextSteps: [],
    requests: 0,
  };
}

/** The apply changed the MID cluster of connection k1 from `before` to `mc1`. */
const clusterUpdate = (before: string, actionId = 'connection:clientCred'): RecordBeforeAfter => ({
  actionId,
  table: 'http_connection',
  sysId: 'k1',
  name: 'Conn',
  op: 'update',
  before: { mid_cluster: before },
  after: { mid_cluster: 'mc1' },
  verified: true,
  mismatches: [],
});

/** The instance today: k1 is there, but its row holds no mid_cluster field at all. */
function rowWithoutCluster() {
  const snap = freshSnapshot();
  snap.connections = [connection('Conn', 'k1', IDS.aliasClientCred, null)];
  expect(snap.connections[0]?.raw).not.toHaveProperty('mid_cluster');
  return snap;
}

describe('a field the instance row no longer holds counts as empty', () => {
  it('when the apply filled an empty field, the field is already back: nothing to restore', () => {
    const [action] = planRollback(applyOf([clusterUpdate('')]), rowWithoutCluster(), NOW).actions;
    expect(action).toMatchObject({ op: 'noop', sysId: 'k1', body: {}, changes: {}, notes: [] });
  });

  it('when the apply replaced a value, it is restored, shown as empty now and as changed again', () => {
    const [action] = planRollback(applyOf([clusterUpdate('mc0')]), rowWithoutCluster(), NOW).actions;
    expect(action?.op).toBe('update');
    expect(action?.body).toEqual({ mid_cluster: 'mc0' });
    expect(action?.changes).toEqual({ mid_cluster: { before: '', after: 'mc0' } });
    expect(action?.notes).toEqual([
      'mid_cluster was changed again after the apply; the rollback restores it anyway.',
    ]);
  });
});

describe('the form a rollback action belongs to', () => {
  it('is the alias the step id names', () => {
    const snap = rowWithoutCluster();
    expect(planRollback(applyOf([clusterUpdate('mc0')]), snap, NOW).actions[0]?.alias).toBe('clientCred');
  });

  it('is the main form for a step id that names no alias (an apply record from elsewhere)', () => {
    const snap = rowWithoutCluster();
    const [action] = planRollback(applyOf([clusterUpdate('mc0', 'connection:legacy')]), snap, NOW).actions;
    expect(action?.alias).toBe('main');
    expect(action?.id).toBe('rollback:connection:legacy');
  });
});
