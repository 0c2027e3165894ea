// The one table of the status an instance is left with (src/main/operations/status.ts): the app, the CLI,
// the fleet and the offline queue all take it from here, so each row is stated once.
import { describe, expect, it } from 'vitest';
import { recordOutline } from '../../fixtures/apply-record-outline';
import {
  blockedReasons,
  statusFromOutcome,
  statusFromPlan,
  statusFromRecord,
} from '../../../src/main/operations/status';
import type { ApplyOutcome } from '../../../src/main/operations';
import type { Plan, PlanAction } from '../../../src/shared/domain/plan';
import { planAction } from '../../fixtures/plan-action';

const AT = '2026-12-07T08:00:00.000Z';

/** An action with nothing to write unless `over` says otherwise. */
const action = (over: Partial<PlanAction>): PlanAction => planAction({ op: 'noop', ...over });

const plan = (...actions: PlanAction[]): Plan => ({
  version: 1,
  instanceUrl: 'https://acme.service-now.com',
  createdAt: AT,
  snapshotAt: AT,
  actions,
});

const outcome = (over: Partial<ApplyOutcome>): ApplyOutcome => ({
  instanceId: 'acme',
  status: 'failed',
  ok: false,
  code: null,
  message: 'What happened.',
  plan: null,
  counts: null,
  record: null,
  resumed: null,
  issues: [],
  ...over,
});

describe('statusFromPlan', () => {
  it('a blocked action: drift, saying why each blocked record is blocked (its name when no reason)', () => {
    const blocked = plan(
      action({ op: 'blocked', reason: 'Two connections are named Exchange_Online_Connection.' }),
      action({ id: 'credential:main', op: 'blocked', name: 'Exchange_Online_Credentials' }),
      action({ id: 'connection:clientCred', op: 'create' }),
    );
    const expected =
      'Two connections are named Exchange_Online_Connection. Exchange_Online_Credentials is blocked.';
    expect(statusFromPlan(blocked)).toEqual({ status: 'drift', statusMessage: expected });
    expect(blockedReasons(blocked)).toBe(expected);
  });

  it('nothing to write: provisioned; only creations: ready; any other write: drift, counted', () => {
    expect(statusFromPlan(plan(action({}), action({ id: 'b' })))).toEqual({
      status: 'provisioned',
      statusMessage: null,
    });
    expect(statusFromPlan(plan(action({ op: 'create' }), action({ id: 'b' })))).toEqual({
      status: 'ready',
      statusMessage: null,
    });
    expect(statusFromPlan(plan(action({ op: 'create' }), action({ id: 'b', op: 'update' })))).toEqual({
      status: 'drift',
      statusMessage: '2 record(s) differ from the desired state.',
    });
  });
});

describe('statusFromRecord', () => {
  it('a verified apply: provisioned; a verified rollback: ready, rolled back', () => {
    expect(statusFromRecord(recordOutline({ kind: 'apply', status: 'succeeded' }))).toEqual({
      status: 'provisioned',
      statusMessage: null,
    });
    expect(statusFromRecord(recordOutline({ kind: 'rollback', status: 'succeeded' }))).toEqual({
      status: 'ready',
      statusMessage: 'Rolled back.',
    });
  });

  it('a failed one: failed, with the error of its failed step, else that it did not finish', () => {
    const steps = [
      { status: 'done' },
      { status: 'failed', error: { message: 'The instance refused to POST http_connection.' } },
    ];
    expect(statusFromRecord(recordOutline({ kind: 'apply', status: 'failed', steps }))).toEqual({
      status: 'failed',
      statusMessage: 'The instance refused to POST http_connection.',
    });
    expect(
      statusFromRecord(recordOutline({ kind: 'apply', status: 'failed', steps: [{ status: 'failed' }] })),
    ).toEqual({
      status: 'failed',
      statusMessage: 'The apply did not finish.',
    });
    expect(
      statusFromRecord(recordOutline({ kind: 'rollback', status: 'failed', steps: [{ status: 'done' }] })),
    ).toEqual({
      status: 'failed',
      statusMessage: 'The rollback did not finish.',
    });
  });
});

describe('statusFromOutcome', () => {
  it('written or already as desired: provisioned', () => {
    for (const status of ['provisioned', 'unchanged'] as const)
      expect(statusFromOutcome(outcome({ status, ok: true }))).toEqual({
        status: 'provisioned',
        statusMessage: null,
      });
  });

  it('not ready: the spoke (or one of its aliases) missing is spoke_missing; anything else failed', () => {
    expect(statusFromOutcome(outcome({ status: 'not_ready', code: 'alias_missing' }))).toEqual({
      status: 'spoke_missing',
      statusMessage: 'What happened.',
    });
    expect(statusFromOutcome(outcome({ status: 'not_ready', code: 'spoke_missing' }))).toEqual({
      status: 'spoke_missing',
      statusMessage: 'What happened.',
    });
    expect(statusFromOutcome(outcome({ status: 'not_ready', code: 'admin_role_missing' }))).toEqual({
      status: 'failed',
      statusMessage: 'What happened.',
    });
  });

  it('blocked by the instance: drift; by the forms or the Entra check: the status stays', () => {
    expect(statusFromOutcome(outcome({ status: 'blocked' }))).toEqual({
      status: 'drift',
      statusMessage: 'What happened.',
    });
    expect(statusFromOutcome(outcome({ status: 'blocked', code: 'invalid_input' }))).toBeNull();
    expect(statusFromOutcome(outcome({ status: 'blocked', code: 'entra_check_failed' }))).toBeNull();
  });

  it('failed: failed; unreachable: only the message; busy or cancelled: nothing changes', () => {
    expect(statusFromOutcome(outcome({ status: 'failed' }))).toEqual({
      status: 'failed',
      statusMessage: 'What happened.',
    });
    expect(statusFromOutcome(outcome({ status: 'unreachable' }))).toEqual({
      statusMessage: 'What happened.',
    });
    expect(statusFromOutcome(outcome({ status: 'busy' }))).toBeNull();
    expect(statusFromOutcome(outcome({ status: 'cancelled' }))).toBeNull();
  });
});
