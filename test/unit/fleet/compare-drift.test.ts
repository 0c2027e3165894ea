import { describe, expect, it } from 'vitest';
import { compareDrift } from '../../../src/shared/workspace/drift';
import type { ApplyRecord } from '../../../src/shared/domain/apply';
import type { Snapshot } from '../../../src/shared/domain/snapshot';

const record = (records: ApplyRecord['records']): ApplyRecord => ({
  version: 1,
  applyId: 'a1',
  kind: 'apply',
  instanceUrl: 'https://acme.service-now.com',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:05.000Z',
  status: 'succeeded',
  plan: null,
  steps: [],
  records,
  verification: null,
  nextSteps: [],
  requests: 4,
});

const snapshot = (connections: Array<{ sysId: string; raw: Record<string, string> }>): Snapshot =>
  ({
    discoveredAt: '2026-02-01T00:00:00.000Z',
    connections: connections.map((c) => ({ ...c, name: c.raw.name ?? '' })),
    credentials: [],
  }) as unknown as Snapshot; // Only the fields compareDrift reads.

const touched = (after: Record<string, string> | null) => ({
  actionId: 'connection:main',
  table: 'http_connection',
  sysId: 'c1',
  name: 'Conn',
  op: 'create',
  before: null,
  after,
  verified: true,
  mismatches: [],
});

describe('compareDrift', () => {
  it('ignores system-maintained fields and fields discovery did not read', () => {
    const result = compareDrift(
      record([
        touched({ name: 'Conn', active: 'true', sys_updated_on: 'x', sys_mod_count: '0', order: '1' }),
      ]),
      snapshot([
        { sysId: 'c1', raw: { name: 'Conn', active: 'true', sys_updated_on: 'y', sys_mod_count: '3' } },
      ]),
    );
    expect(result).toMatchObject({
      drifted: false,
      differences: [],
      applyId: 'a1',
      appliedAt: '2026-01-01T00:00:05.000Z',
    });
  });

  it('lists each differing field with the applied and current values', () => {
    const result = compareDrift(
      record([touched({ name: 'Conn', active: 'true', sys_domain: 'global' })]),
      snapshot([{ sysId: 'c1', raw: { name: 'Conn', active: 'false', sys_domain: 'emea' } }]),
    );
    expect(result.differences.map((d) => [d.field, d.applied, d.current])).toEqual([
      ['active', 'true', 'false'],
      ['sys_domain', 'global', 'emea'],
    ]);
  });

  it('reports a deleted record, and one a rollback removed that came back', () => {
    expect(compareDrift(record([touched({ name: 'Conn' })]), snapshot([])).differences).toEqual([
      expect.objectContaining({ field: '(record)', applied: 'present', current: 'absent' }),
    ]);
    expect(
      compareDrift(record([touched(null)]), snapshot([{ sysId: 'c1', raw: { name: 'Conn' } }])).differences,
    ).toEqual([expect.objectContaining({ field: '(record)', applied: 'absent', current: 'present' })]);
  });
});

describe('compareDrift: the Application Registries (issue 10)', () => {
  const TOKEN_URL = 'https://login.microsoftonline.com/t/oauth2/v2.0/token';
  const registryTouched = (after: Record<string, string>) => ({
    actionId: 'registry:client_credentials',
    table: 'oauth_entity',
    sysId: 'r1',
    name: 'Microsoft Exchange Online_clientCredentials',
    op: 'update',
    before: null,
    after,
    verified: true,
    mismatches: [],
  });
  const withRegistry = (values: Record<string, string> | null, read = true): Snapshot =>
    ({
      ...snapshot([]),
      ...(read
        ? {
            registries: {
              authorization_code: null,
              client_credentials: values
                ? {
                    sysId: 'r1',
                    name: 'Microsoft Exchange Online_clientCredentials',
                    values,
                    secretSet: true,
                  }
                : null,
            },
          }
        : {}),
    }) as Snapshot;
  const applied = { client_id: 'c', token_url: TOKEN_URL, client_secret: '********' };

  it('compares a registry with the values discovery read, never the secret', () => {
    expect(
      compareDrift(
        record([registryTouched(applied)]),
        withRegistry({ client_id: 'c', token_url: TOKEN_URL, client_secret: '' }),
      ).drifted,
    ).toBe(false);
    expect(
      compareDrift(
        record([registryTouched(applied)]),
        withRegistry({ client_id: 'other', token_url: TOKEN_URL }),
      ).differences,
    ).toEqual([
      expect.objectContaining({ table: 'oauth_entity', field: 'client_id', applied: 'c', current: 'other' }),
    ]);
  });

  it('a registry gone is drift; a snapshot that did not read registries says nothing about them', () => {
    expect(compareDrift(record([registryTouched(applied)]), withRegistry(null)).differences).toEqual([
      expect.objectContaining({ field: '(record)', applied: 'present', current: 'absent' }),
    ]);
    expect(compareDrift(record([registryTouched(applied)]), withRegistry(null, false)).drifted).toBe(false);
  });
});
