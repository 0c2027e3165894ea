// isBlocked and hasWrites decide whether apply may start and whether it has anything to do; each clause
// is stated from both sides, on plans the planner makes from realistic snapshots (connection actions
// and, with an Entra app, the two registry rows).
import { describe, expect, it } from 'vitest';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import { hasWrites, isBlocked, type Plan } from '../../../src/shared/domain/plan';
import { buildPlan } from '../../../src/shared/domain/planner';
import { registryFields } from '../../../src/shared/domain/registry-fields';
import type { EntraSecretState } from '../../../src/shared/domain/registry-planner';
import type { Snapshot } from '../../../src/shared/domain/snapshot';
import { IDS, connection, freshSnapshot, provisionedSnapshot } from '../engine/snapshot-fixtures';

const NOW = new Date('2026-12-06T15:00:00.000Z');
const ENTRA = {
  tenant: '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e',
  clientId: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f',
};

function withEntra(): DesiredState {
  return { ...defaultDesiredState(), entra: ENTRA };
}

/** Provisioned connections plus both registries as an apply of ENTRA leaves them (secret set). */
function provisionedWithRegistries(secretSet: boolean): Snapshot {
  const s = provisionedSnapshot();
  const fields = registryFields(ENTRA, s.instanceUrl);
  s.registries = {
    authorization_code: {
      sysId: IDS.entityAuthCode,
      name: 'Microsoft Exchange Online',
      values: { ...fields.authorization_code },
      secretSet,
    },
    client_credentials: {
      sysId: IDS.entityClientCred,
      name: 'Microsoft Exchange Online_clientCredentials',
      values: { ...fields.client_credentials },
      secretSet,
    },
  };
  return s;
}

const ops = (plan: Plan) => ({
  actions: plan.actions.map((a) => a.op),
  registries: plan.registries?.map((r) => r.op),
});

describe('isBlocked', () => {
  it('one blocked action among creates blocks the plan', () => {
    const s = freshSnapshot();
    s.aliases.clientCred = null;
    const plan = buildPlan(s, defaultDesiredState(), NOW);
    expect(ops(plan).actions).toContain('blocked');
    expect(ops(plan).actions).toContain('create');
    expect(isBlocked(plan)).toBe(true);
  });

  it('creates and updates only, no registries: not blocked', () => {
    const plan = buildPlan(freshSnapshot(), defaultDesiredState(), NOW);
    expect(ops(plan)).toEqual({ actions: ['create', 'create', 'create', 'create'], registries: undefined });
    expect(isBlocked(plan)).toBe(false);
  });

  it('registries that update or stay as they are do not block', () => {
    const plan = buildPlan(provisionedWithRegistries(true), withEntra(), NOW, { entraSecret: 'replace' });
    expect(ops(plan)).toEqual({
      actions: ['noop', 'noop', 'noop', 'noop'],
      registries: ['update', 'update'],
    });
    expect(isBlocked(plan)).toBe(false);
    const same = buildPlan(provisionedWithRegistries(true), withEntra(), NOW, { entraSecret: 'unchanged' });
    expect(ops(same).registries).toEqual(['noop', 'noop']);
    expect(isBlocked(same)).toBe(false);
  });

  it('a blocked registry blocks the plan even when every connection action is fine', () => {
    const plan = buildPlan(provisionedWithRegistries(false), withEntra(), NOW, { entraSecret: 'missing' });
    expect(ops(plan)).toEqual({
      actions: ['noop', 'noop', 'noop', 'noop'],
      registries: ['blocked', 'blocked'],
    });
    expect(isBlocked(plan)).toBe(true);
  });
});

describe('hasWrites', () => {
  it('creates only: writes', () => {
    const plan = buildPlan(freshSnapshot(), defaultDesiredState(), NOW);
    expect(hasWrites(plan)).toBe(true);
  });

  it('one update among no-ops: writes', () => {
    const s = provisionedSnapshot();
    s.connections[0] = connection('Exchange_Online_Connection', 'k1', IDS.aliasMain, 'c1', {
      connectionUrl: 'https://GRAPH.microsoft.com',
    });
    const plan = buildPlan(s, defaultDesiredState(), NOW);
    expect(ops(plan)).toEqual({ actions: ['noop', 'noop', 'update', 'noop'], registries: undefined });
    expect(hasWrites(plan)).toBe(true);
  });

  it('all no-ops and no registries: nothing to write', () => {
    const plan = buildPlan(provisionedSnapshot(), defaultDesiredState(), NOW);
    expect(ops(plan)).toEqual({ actions: ['noop', 'noop', 'noop', 'noop'], registries: undefined });
    expect(hasWrites(plan)).toBe(false);
  });

  it.each<[EntraSecretState, boolean]>([
    ['replace', true],
    ['unchanged', false],
  ])('no-op connections, registries with the secret %s: writes=%s', (secret, writes) => {
    const plan = buildPlan(provisionedWithRegistries(true), withEntra(), NOW, { entraSecret: secret });
    expect(hasWrites(plan)).toBe(writes);
  });

  it('blocked actions are not writes (no admin role on a fresh instance)', () => {
    const s = freshSnapshot();
    s.user.roles = ['itil'];
    const plan = buildPlan(s, defaultDesiredState(), NOW);
    expect(ops(plan).actions).toEqual(['blocked', 'blocked', 'blocked', 'blocked']);
    expect(hasWrites(plan)).toBe(false);
  });
});
