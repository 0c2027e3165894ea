import { describe, expect, it } from 'vitest';
import { secretExpiry, walkupFlowStatus } from '../../../src/shared/domain/walkup-status';
import { freshSnapshot } from '../engine/snapshot-fixtures';

describe('walkupFlowStatus', () => {
  it('active, inactive (with a link that opens it) and missing', () => {
    const s = freshSnapshot();
    s.flows = [
      { sysId: 'f1', name: 'Create Walk-up Appointment Calendar Event', active: true, status: 'published' },
      { sysId: 'f 2', name: 'Something else', active: false, status: null },
    ];
    expect(walkupFlowStatus(s)).toEqual([
      {
        name: 'Create Walk-up Appointment Calendar Event',
        state: 'active',
        status: 'published',
        url: 'https://dev12345.service-now.com/sys_hub_flow.do?sys_id=f1',
        message: 'Create Walk-up Appointment Calendar Event: active.',
      },
      {
        name: 'Update/Delete Walk-up Appointment Calendar Event',
        state: 'missing',
        status: null,
        url: null,
        message:
          'Update/Delete Walk-up Appointment Calendar Event: not found on this instance; is the Walk-up Experience plugin (com.snc.walkup) installed?',
      },
    ]);
    s.flows[1] = {
      sysId: 'f 2',
      name: 'Update/Delete Walk-up Appointment Calendar Event',
      active: false,
      status: 'draft',
    };
    expect(walkupFlowStatus(s)[1]).toMatchObject({
      state: 'inactive',
      status: 'draft',
      url: 'https://dev12345.service-now.com/sys_hub_flow.do?sys_id=f%202',
      message:
        'Update/Delete Walk-up Appointment Calendar Event: inactive; open it in Flow Designer and activate it.',
    });
  });

  it('flows not read: unknown, not "missing"', () => {
    expect(walkupFlowStatus(freshSnapshot()).map((f) => f.state)).toEqual(['unknown', 'unknown']);
  });
});

describe('secretExpiry (now injected)', () => {
  const now = new Date('2026-12-06T23:30:00.000Z');

  it.each([
    ['2027-01-06', 31, false, 'client secret expires in 31 days'],
    ['2027-01-05', 30, true, 'client secret expires in 30 days'],
    ['2026-12-07', 1, true, 'client secret expires tomorrow'],
    ['2026-12-06', 0, true, 'client secret expires today'],
    ['2026-12-05', -1, true, 'client secret expired 1 day ago'],
    ['2026-11-06', -30, true, 'client secret expired 30 days ago'],
  ])('%s: %i days, warn=%s', (date, days, warn, message) => {
    expect(secretExpiry(date, now)).toEqual({ expiresOn: date, daysLeft: days, warn, message });
  });

  it('unknown or not a date: null', () => {
    expect(secretExpiry(undefined, now)).toBeNull();
    expect(secretExpiry('soon', now)).toBeNull();
    expect(secretExpiry('2027-13-40', now)).toBeNull();
    expect(secretExpiry('2027-02-30', now)).toBeNull();
  });
});
