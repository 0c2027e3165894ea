// What a run wrote, counted from its steps (src/shared/domain/apply.ts countSteps): the one rule the app's
// History and the CLI's history share. Only steps that were done count as writes; a failed step counts as
// failed whatever it tried; steps that wrote nothing (skipped, not run) count nowhere.
import { describe, expect, it } from 'vitest';
import {
  ApplyRecordSchema,
  countSteps,
  type ApplyRecord,
  type ApplyStepResult,
} from '../../../src/shared/domain/apply';

type Op = ApplyStepResult['op'];
type Status = ApplyStepResult['status'];

const step = (actionId: string, op: Op, status: Status): ApplyStepResult => ({
  actionId,
  table: actionId.includes('connection') ? 'http_connection' : 'oauth_2_0_credentials',
  name: actionId,
  op,
  status,
  sysId: status === 'done' ? `sys-${actionId}` : null,
  ...(status === 'failed'
    ? { error: { code: 'forbidden' as const, message: 'The instance refused it.', ambiguous: false } }
    : {}),
});

/** A stored record as History reads it: through the schema, like any file in the workspace. */
function record(kind: ApplyRecord['kind'], steps: ApplyStepResult[]): ApplyRecord {
  return ApplyRecordSchema.parse({
    version: 1,
    applyId: '20260301T100000Z-abc123',
    kind,
    instanceUrl: 'https://dev12345.service-now.com',
    startedAt: '2026-03-01T10:00:00.000Z',
    finishedAt: '2026-03-01T10:00:02.000Z',
    status: steps.some((s) => s.status === 'failed') ? 'failed' : 'succeeded',
    plan: null,
    steps,
    records: [],
    verification: null,
    nextSteps: [],
    requests: steps.length,
  });
}

describe('countSteps', () => {
  it('an apply that created the pair on a fresh instance: two credentials and two connections created', () => {
    const counts = countSteps(
      record('apply', [
        step('credential:main', 'create', 'done'),
        step('credential:clientCred', 'create', 'done'),
        step('connection:main', 'create', 'done'),
        step('connection:clientCred', 'create', 'done'),
      ]),
    );
    expect(counts).toEqual({ created: 4, updated: 0, deleted: 0, failed: 0 });
  });

  it('counts updates apart from creates, and leaves out the records that were already as asked', () => {
    const counts = countSteps(
      record('apply', [
        step('credential:main', 'noop', 'skipped'),
        step('credential:clientCred', 'create', 'done'),
        step('connection:main', 'update', 'done'),
        step('connection:clientCred', 'update', 'done'),
      ]),
    );
    expect(counts).toEqual({ created: 1, updated: 2, deleted: 0, failed: 0 });
  });

  it('a failed write counts as failed, never as the create or update it tried; steps not run count nowhere', () => {
    const counts = countSteps(
      record('apply', [
        step('credential:main', 'create', 'done'),
        step('credential:clientCred', 'create', 'failed'),
        step('connection:main', 'update', 'failed'),
        step('connection:clientCred', 'create', 'not_run'),
      ]),
    );
    expect(counts).toEqual({ created: 1, updated: 0, deleted: 0, failed: 2 });
  });

  it('a rollback: deletes what the apply created, and restored records count as updated', () => {
    const counts = countSteps(
      record('rollback', [
        step('rollback:connection:main', 'delete', 'done'),
        step('rollback:connection:clientCred', 'update', 'done'),
        step('rollback:credential:main', 'delete', 'done'),
        step('rollback:credential:clientCred', 'blocked', 'not_run'),
      ]),
    );
    expect(counts).toEqual({ created: 0, updated: 1, deleted: 2, failed: 0 });
  });

  it('a stored rollback step recorded as "restore" counts as updated (the schema still accepts it)', () => {
    const counts = countSteps(
      record('rollback', [
        step('rollback:connection:main', 'restore', 'done'),
        step('rollback:credential:main', 'restore', 'done'),
        step('rollback:connection:clientCred', 'delete', 'failed'),
      ]),
    );
    expect(counts).toEqual({ created: 0, updated: 2, deleted: 0, failed: 1 });
  });

  it('a step that asked for no write is never counted as one, even if a stored record says it was done', () => {
    // Records are files in the workspace: untrusted input. A noop or blocked step wrote nothing.
    const counts = countSteps(
      record('apply', [
        step('credential:main', 'noop', 'done'),
        step('connection:main', 'blocked', 'done'),
        step('connection:clientCred', 'create', 'done'),
      ]),
    );
    expect(counts).toEqual({ created: 1, updated: 0, deleted: 0, failed: 0 });
  });

  it('an apply that wrote nothing counts nothing', () => {
    expect(countSteps(record('apply', []))).toEqual({ created: 0, updated: 0, deleted: 0, failed: 0 });
  });
});
