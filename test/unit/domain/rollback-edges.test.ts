// Rollback edges the rule tests do not reach: a field the instance row no longer holds counts as empty,
// on both sides (nothing to restore when empty was the before-value; restored, shown as empty, when not),
// and a step whose id names no alias is still attributed to a form.
import { describe, expect, it } from 'vitest';
import type { RecordBeforeAfter } from '../../../src/shared/domain/apply';
import { planRollback } from '../../../src/shared/domain/rollback-planner';
import { IDS, appliedRecord, connection, freshSnapshot } from '../engine/snapshot-fixtures';

const NOW = new Date('2026-05-01T00:00:00.000Z');

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
    const [action] = planRollback(appliedRecord([clusterUpdate('')]), rowWithoutCluster(), NOW).actions;
    expect(action).toMatchObject({ op: 'noop', sysId: 'k1', body: {}, changes: {}, notes: [] });
  });

  it('when the apply replaced a value, it is restored, shown as empty now and as changed again', () => {
    const [action] = planRollback(appliedRecord([clusterUpdate('mc0')]), rowWithoutCluster(), NOW).actions;
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
    expect(planRollback(appliedRecord([clusterUpdate('mc0')]), snap, NOW).actions[0]?.alias).toBe(
      'clientCred',
    );
  });

  it('is the main form for a step id that names no alias (an apply record from elsewhere)', () => {
    const snap = rowWithoutCluster();
    const [action] = planRollback(
      appliedRecord([clusterUpdate('mc0', 'connection:legacy')]),
      snap,
      NOW,
    ).actions;
    expect(action?.alias).toBe('main');
    expect(action?.id).toBe('rollback:connection:legacy');
  });
});

describe('rolling back an Application Registry', () => {
  const CLIENT_ID = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';
  /** The apply set client_id of the client-credentials registry from `before`. */
  const registryUpdate = (actionId: string, before: string): RecordBeforeAfter => ({
    actionId,
    table: 'oauth_entity',
    sysId: IDS.entityClientCred,
    name: 'Microsoft Exchange Online_clientCredentials',
    op: 'update',
    before: { client_id: before },
    after: { client_id: CLIENT_ID },
    verified: true,
    mismatches: [],
  });
  /** The instance today: the registry is there, its row holding no client_id. */
  function registryWithoutClientId() {
    const snap = freshSnapshot();
    snap.registries = {
      authorization_code: null,
      client_credentials: {
        sysId: IDS.entityClientCred,
        name: 'Microsoft Exchange Online_clientCredentials',
        values: { default_grant_type: 'client_credentials' },
        secretSet: true,
      },
    };
    return snap;
  }

  it('a field the registry row no longer holds counts as empty: restored, shown as empty now', () => {
    const plan = planRollback(
      appliedRecord([registryUpdate('registry:client_credentials', 'old-client')]),
      registryWithoutClientId(),
      NOW,
    );
    const [registry] = plan.registries ?? [];
    expect(registry?.op).toBe('update');
    expect(registry?.body).toEqual({ client_id: 'old-client' });
    expect(registry?.changes).toEqual({ client_id: { before: '', after: 'old-client' } });
  });

  it('a registry whose step id does not name its grant is recognised by its name', () => {
    const plan = planRollback(
      appliedRecord([registryUpdate('registry:entra', 'old-client')]),
      registryWithoutClientId(),
      NOW,
    );
    const [registry] = plan.registries ?? [];
    expect(registry?.grant).toBe('client_credentials');
    expect(registry?.op).toBe('update');
  });
});
