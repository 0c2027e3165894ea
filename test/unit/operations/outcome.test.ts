// A thrown error as an outcome (src/main/operations/outcome.ts, errorOutcome): every front end renders
// this shape, so the status each kind of error maps to is stated here once.
import { describe, expect, it } from 'vitest';
import { recordOutline } from '../../fixtures/apply-record-outline';
import { errorOutcome, recordOutcome } from '../../../src/main/operations/outcome';
import { ServiceNowError } from '../../../src/main/servicenow/errors';

const failure = (code: 'forbidden' | 'hibernating' | 'timeout') => ({
  code,
  message: `The instance said ${code}.`,
  ambiguous: false,
});

describe('errorOutcome', () => {
  it("the client's failures keep their code and words: unreachable ones are unreachable, others failed", () => {
    expect(errorOutcome(new ServiceNowError(failure('forbidden')))).toEqual({
      status: 'failed',
      ok: false,
      code: 'forbidden',
      message: 'The instance said forbidden.',
    });
    expect(errorOutcome(new ServiceNowError(failure('hibernating')))).toMatchObject({
      status: 'unreachable',
      code: 'hibernating',
    });
  });

  it('a request the caller cancelled is cancelled, whatever its code', () => {
    expect(errorOutcome(new ServiceNowError(failure('timeout'), { cancelled: true }))).toEqual({
      status: 'cancelled',
      ok: false,
      code: 'timeout',
      message: 'The instance said timeout.',
    });
  });

  it('anything else is ours: failed, internal, with its message only', () => {
    expect(errorOutcome(new TypeError('x is not a function'))).toEqual({
      status: 'failed',
      ok: false,
      code: 'internal',
      message: 'x is not a function',
    });
    expect(errorOutcome('a thrown string')).toMatchObject({ code: 'internal', message: 'a thrown string' });
  });
});

describe('recordOutcome', () => {
  it('a verified record: provisioned and verified', () => {
    expect(recordOutcome(recordOutline({ kind: 'apply', status: 'succeeded' }))).toEqual({
      status: 'provisioned',
      ok: true,
      code: null,
      message: 'Provisioned and verified.',
    });
  });

  it('a failed one: the code and words of its failed step (unreachable when the instance went away)', () => {
    const lost = { status: 'failed', error: failure('hibernating') };
    expect(
      recordOutcome(recordOutline({ kind: 'apply', status: 'failed', steps: [{ status: 'done' }, lost] })),
    ).toEqual({
      status: 'unreachable',
      ok: false,
      code: 'hibernating',
      message: 'The instance said hibernating.',
    });
    const refused = { status: 'failed', error: failure('forbidden') };
    expect(recordOutcome(recordOutline({ kind: 'apply', status: 'failed', steps: [refused] })).status).toBe(
      'failed',
    );
  });

  it('a failed one with no failed step to name: apply_failed, and that it did not finish', () => {
    expect(
      recordOutcome(recordOutline({ kind: 'rollback', status: 'failed', steps: [{ status: 'done' }] })),
    ).toEqual({
      status: 'failed',
      ok: false,
      code: 'apply_failed',
      message: 'The rollback did not finish.',
    });
  });
});
