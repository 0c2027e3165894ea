// The Walk-up flow links must open the flow's record whatever trailing slashes the instance URL was
// typed with, and a flow list that was never read says so in words (docs/servicenow.md §2 step 6).
import { describe, expect, it } from 'vitest';
import { walkupFlowStatus } from '../../../src/shared/domain/walkup-status';
import type { Snapshot } from '../../../src/shared/domain/snapshot';
import { freshSnapshot } from '../engine/snapshot-fixtures';

function withFlows(instanceUrl: string): Snapshot {
  const s = freshSnapshot();
  s.instanceUrl = instanceUrl;
  s.flows = [
    { sysId: 'f1', name: 'Create Walk-up Appointment Calendar Event', active: true, status: 'published' },
    { sysId: 'f2', name: 'Update/Delete Walk-up Appointment Calendar Event', active: false, status: 'draft' },
  ];
  return s;
}

describe('walkupFlowStatus links', () => {
  it.each([
    ['no trailing slash', 'https://dev12345.service-now.com'],
    ['one trailing slash', 'https://dev12345.service-now.com/'],
    ['several trailing slashes', 'https://dev12345.service-now.com///'],
  ])('%s: one slash before the record page', (_label, instanceUrl) => {
    expect(walkupFlowStatus(withFlows(instanceUrl)).map((f) => f.url)).toEqual([
      'https://dev12345.service-now.com/sys_hub_flow.do?sys_id=f1',
      'https://dev12345.service-now.com/sys_hub_flow.do?sys_id=f2',
    ]);
  });

  it('flows not read: no link, and a message that says to discover again', () => {
    expect(walkupFlowStatus(freshSnapshot())).toEqual([
      {
        name: 'Create Walk-up Appointment Calendar Event',
        state: 'unknown',
        status: null,
        url: null,
        message: 'Create Walk-up Appointment Calendar Event: not read; discover again to see it.',
      },
      {
        name: 'Update/Delete Walk-up Appointment Calendar Event',
        state: 'unknown',
        status: null,
        url: null,
        message: 'Update/Delete Walk-up Appointment Calendar Event: not read; discover again to see it.',
      },
    ]);
  });
});
