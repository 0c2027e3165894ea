// ServiceNow's boolean fields as the Table API answers them (src/shared/domain/record-fields.ts parseBool):
// 'true'/'false' strings (docs/servicenow.md §3.3), and '1'/'0' where a field is read without display values.
// Anything else — empty, absent, another word — is false, so a field the instance did not send never turns
// a connection active or a MID Server validated.
import { describe, expect, it } from 'vitest';
import { boolString, parseBool } from '../../../src/shared/domain/record-fields';

describe('parseBool', () => {
  it('reads "true" and "1" as true', () => {
    expect(parseBool('true')).toBe(true);
    expect(parseBool('1')).toBe(true);
  });

  it('reads "false", "0", an empty value and an absent field as false', () => {
    expect(parseBool('false')).toBe(false);
    expect(parseBool('0')).toBe(false);
    expect(parseBool('')).toBe(false);
    expect(parseBool(undefined)).toBe(false);
    expect(parseBool(null)).toBe(false);
  });

  it('reads back what boolString writes', () => {
    expect(parseBool(boolString(true))).toBe(true);
    expect(parseBool(boolString(false))).toBe(false);
  });
});
