// Which writes may share one Batch API request: consecutive ones none of which needs another's sys_id.
import { describe, expect, it } from 'vitest';
import { waves } from '../../../src/main/engine/run';
import { foldJournal, JournalEntrySchema } from '../../../src/main/engine/journal';
import { buildPlan } from '../../../src/shared/domain/planner';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import type { PlanAction, WritableAction } from '../../../src/shared/domain/plan';
import { freshSnapshot, credentialsSnapshot } from './snapshot-fixtures';

const ids = (groups: PlanAction[][]) => groups.map((g) => g.map((a) => a.id));
const writesOf = (actions: PlanAction[]) => actions.filter((a) => a.op !== 'noop' && a.op !== 'blocked');

describe('waves', () => {
  it('fresh: the credentials, then the connections that name them', () => {
    const plan = buildPlan(freshSnapshot(), defaultDesiredState(), new Date(0));
    expect(ids(waves(writesOf(plan.actions)))).toEqual([
      ['credential:main', 'credential:clientCred'],
      ['connection:main', 'connection:clientCred'],
    ]);
  });

  it('credentials already there: the connections alone, in one wave', () => {
    const plan = buildPlan(credentialsSnapshot(), defaultDesiredState(), new Date(0));
    expect(ids(waves(writesOf(plan.actions)))).toEqual([['connection:main', 'connection:clientCred']]);
  });

  it('the registries need no sys_id of another write: they join the last wave', () => {
    const snapshot = freshSnapshot();
    const registry = (sysId: string, name: string, grant: string) => ({
      sysId,
      name,
      values: { default_grant_type: grant },
      secretSet: false,
    });
    snapshot.registries = {
      authorization_code: registry('e1', 'Microsoft Exchange Online', 'authorization_code'),
      client_credentials: registry('e2', 'Microsoft Exchange Online_clientCredentials', 'client_credentials'),
    };
    const desired = {
      ...defaultDesiredState(),
      entra: { tenant: 'contoso.onmicrosoft.com', clientId: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f' },
    };
    const plan = buildPlan(snapshot, desired, new Date(0), { entraSecret: 'unknown' });
    const writes: WritableAction[] = [
      ...writesOf(plan.actions),
      ...(plan.registries ?? []).filter((r) => r.op === 'update'),
    ];
    expect(waves(writes).map((g) => g.map((a) => a.id))).toEqual([
      ['credential:main', 'credential:clientCred'],
      [
        'connection:main',
        'connection:clientCred',
        'registry:authorization_code',
        'registry:client_credentials',
      ],
    ]);
  });

  it('keeps plan order: a write that needs one of the current wave starts the next', () => {
    const action = (id: string, body: Record<string, string> = {}): PlanAction =>
      ({ id, op: 'create', body }) as unknown as PlanAction;
    const groups = waves([
      action('a'),
      action('b', { credential: '{{a}}' }),
      action('c'),
      action('d', { credential: '{{c}}' }),
    ]);
    expect(ids(groups)).toEqual([['a'], ['b', 'c'], ['d']]);
  });
});

describe('journal format', () => {
  const intent = {
    t: 'intent',
    actionId: 'credential:main',
    attempt: 1,
    op: 'create',
    table: 'oauth_2_0_credentials',
    sysId: null,
    body: { name: 'x' },
    at: '2026-01-01T00:00:00.000Z',
  };

  it('reads an intent written before batches (no batch id) and one sent in a batch', () => {
    expect(JournalEntrySchema.parse(intent)).not.toHaveProperty('batch');
    expect(JournalEntrySchema.parse({ ...intent, batch: 'ab12' })).toMatchObject({ batch: 'ab12' });
    const state = foldJournal([
      JournalEntrySchema.parse(intent),
      JournalEntrySchema.parse({ ...intent, attempt: 2, batch: 'cd34' }),
    ]);
    expect(state.steps.get('credential:main')?.intents.map((i) => i.attempt)).toEqual([1, 2]);
  });
});
