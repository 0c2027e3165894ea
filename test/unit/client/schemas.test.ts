import { describe, expect, it } from 'vitest';
import { flattenRecord, ListBodySchema, TokenBodySchema } from '../../../src/main/servicenow/schemas';

describe('flattenRecord', () => {
  const wire = {
    name: 'Exchange_Online_Connection',
    active: true,
    order: 100,
    empty: null,
    connection_alias: { value: 'abc123', display_value: 'Microsoft_Exchange_Online', link: 'https://x/api' },
    credential: { value: 'def456', link: 'https://x/api' },
  };

  it('flattens references to their sys_id by default', () => {
    expect(flattenRecord(wire)).toEqual({
      name: 'Exchange_Online_Connection',
      active: 'true',
      order: '100',
      empty: '',
      connection_alias: 'abc123',
      credential: 'def456',
    });
  });

  it('uses display values when asked', () => {
    expect(flattenRecord(wire, true)['connection_alias']).toBe('Microsoft_Exchange_Online');
    expect(flattenRecord(wire, true)['credential']).toBe('def456');
  });

  it('keeps both with "all": the value and dv_<field>', () => {
    const flat = flattenRecord(wire, 'all');
    expect(flat['connection_alias']).toBe('abc123');
    expect(flat['dv_connection_alias']).toBe('Microsoft_Exchange_Online');
  });
});

describe('schemas', () => {
  it('refuses a list body without result', () => {
    expect(ListBodySchema.safeParse({ records: [] }).success).toBe(false);
    expect(ListBodySchema.safeParse({ result: {} }).success).toBe(false);
  });
  it('accepts expires_in as a number or a numeric string, and requires access_token', () => {
    expect(TokenBodySchema.safeParse({ access_token: 'a', expires_in: '1799' }).success).toBe(true);
    expect(TokenBodySchema.safeParse({ access_token: 'a', expires_in: 1799 }).success).toBe(true);
    expect(TokenBodySchema.safeParse({ token_type: 'Bearer' }).success).toBe(false);
  });
});
