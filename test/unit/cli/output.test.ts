import { describe, expect, it } from 'vitest';
import type { ApplyRecord } from '../../../src/shared/domain/apply';
import type { Plan } from '../../../src/shared/domain/plan';
import { applyToCliJson, planToCliJson } from '../../../src/main/cli/output/plan-json';
import { renderApplyText, renderPlanText } from '../../../src/main/cli/output/plan-text';
import { createStyle } from '../../../src/main/cli/output/style';
import { renderTable } from '../../../src/main/cli/output/text-table';
import { planAction } from '../../fixtures/plan-action';

const plan: Plan = {
  version: 1,
  instanceUrl: 'https://acme.service-now.com',
  createdAt: '2026-01-01T00:00:00.000Z',
  snapshotAt: '2026-01-01T00:00:00.000Z',
  actions: [
    planAction({
      changes: {
        name: { before: null, after: 'Exchange_Online_Connection' },
        connection_url: { before: null, after: 'https://graph.microsoft.com' },
      },
    }),
    planAction({
      id: 'connection:clientCred',
      alias: 'clientCred',
      name: 'Exchange_Online_Connection_clientCred',
      op: 'update',
      sysId: 'abc123',
      changes: {
        active: { before: 'false', after: 'true' },
        connection_url: { before: 'https://graph.microsoft.com', after: 'https://graph.microsoft.com' },
      },
    }),
    planAction({
      id: 'credential:main',
      kind: 'credential',
      table: 'oauth_2_0_credentials',
      name: 'Cred',
      op: 'noop',
      sysId: 'c1',
    }),
  ],
};

const record: ApplyRecord = {
  version: 1,
  applyId: 'a-1',
  kind: 'apply',
  instanceUrl: plan.instanceUrl,
  startedAt: plan.createdAt,
  finishedAt: plan.createdAt,
  status: 'succeeded',
  plan,
  steps: [
    {
      actionId: 'connection:main',
      table: 'http_connection',
      name: 'Exchange_Online_Connection',
      op: 'create',
      status: 'done',
      sysId: 'new1',
    },
    {
      actionId: 'connection:clientCred',
      table: 'http_connection',
      name: 'x',
      op: 'update',
      status: 'done',
      sysId: 'abc123',
    },
  ],
  records: [
    {
      actionId: 'connection:main',
      table: 'http_connection',
      sysId: 'new1',
      name: 'Exchange_Online_Connection',
      op: 'create',
      before: null,
      after: { name: 'Exchange_Online_Connection' },
      verified: true,
      mismatches: [],
    },
    {
      actionId: 'connection:clientCred',
      table: 'http_connection',
      sysId: 'abc123',
      name: 'x',
      op: 'update',
      before: {},
      after: {},
      verified: false,
      mismatches: ['active'],
    },
  ],
  verification: { ok: false, checkedAt: plan.createdAt, requests: 1 },
  nextSteps: [],
  requests: 5,
};

describe('plan/apply JSON', () => {
  it('lists every action with table, name, op and only the changing fields', () => {
    const json = planToCliJson(plan, 'acme');
    expect(json.actions.map((a) => [a.table, a.name, a.op])).toEqual([
      ['http_connection', 'Exchange_Online_Connection', 'create'],
      ['http_connection', 'Exchange_Online_Connection_clientCred', 'update'],
      ['oauth_2_0_credentials', 'Cred', 'noop'],
    ]);
    expect(json.actions[1]!.changes).toEqual({ active: { before: 'false', after: 'true' } });
    expect(json.actions[2]!.changes).toEqual({});
    expect(json.summary).toMatchObject({ create: 1, update: 1, noop: 1, blocked: 0 });
  });

  it('adds each record sys_id and its verification to apply output', () => {
    const json = applyToCliJson(plan, record, 'acme');
    expect(json.actions.map((a) => [a.sys_id, a.verified, a.status])).toEqual([
      ['new1', true, 'done'],
      ['abc123', false, 'done'],
      ['c1', null, 'not_run'],
    ]);
    expect(json.actions[1]!.mismatches).toEqual(['active']);
    expect(json.status).toBe('succeeded');
  });
});

describe('readable output', () => {
  it('shows before and after of each changing field, without colour when off', () => {
    const text = renderPlanText(plan, 'acme', createStyle(false)).join('\n');
    expect(text).toContain('1 to create, 1 to update, 1 up to date, 0 blocked.');
    expect(text).toMatch(/active\s+false\s+true/);
    expect(text).toMatch(/connection_url\s+—\s+https:\/\/graph\.microsoft\.com/);
    expect(text).not.toContain('\u001b[');
  });

  it('colours only when asked', () => {
    expect(renderPlanText(plan, 'acme', createStyle(true)).join('\n')).toContain('\u001b[32m');
  });

  it('marks unverified records and gives sys_ids after an apply', () => {
    const text = renderApplyText(plan, record, 'acme', createStyle(false)).join('\n');
    expect(text).toMatch(/Exchange_Online_Connection\s+http_connection\s+created\s+new1\s+verified/);
    expect(text).toMatch(
      /Exchange_Online_Connection_clientCred\s+http_connection\s+updated\s+abc123\s+NOT verified: active/,
    );
    expect(text).toContain('NOT verified: active');
    expect(text).toContain('Requests sent to the instance: 5.');
  });

  it('pads table columns to the widest cell', () => {
    const lines = renderTable(['a', 'bb'], [['long value', 'x']]);
    expect(lines[0]).toBe('a           bb');
    expect(lines[2]).toBe('long value  x');
  });
});
