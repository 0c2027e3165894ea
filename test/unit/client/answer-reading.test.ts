// How much of an answer is read and how its fields are flattened: the response limit's sources in order
// (option, SPOKESMITH_MAX_RESPONSE_MB, default) and the reference shapes an instance may send
// (docs/servicenow.md §3.3, the `display_value=all` shape being UNCERTAIN).
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_RESPONSE_BYTES, responseLimitBytes } from '../../../src/main/servicenow/client';
import { flattenRecord } from '../../../src/main/servicenow/schemas';

const MB = 1024 * 1024;

describe('responseLimitBytes', () => {
  it('32 MB unless told otherwise', () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(32 * MB);
    expect(responseLimitBytes(undefined, undefined)).toBe(32 * MB);
  });

  it('the option wins over the variable; the variable is in MB, fractions rounded to a byte', () => {
    expect(responseLimitBytes(1000, '2')).toBe(1000);
    expect(responseLimitBytes(undefined, '2')).toBe(2 * MB);
    expect(responseLimitBytes(undefined, '0.0000005')).toBe(1);
  });

  it('a variable that is not a positive number is ignored', () => {
    for (const value of ['', '0', '-3', 'lots'])
      expect(responseLimitBytes(undefined, value), JSON.stringify(value)).toBe(32 * MB);
  });

  it('an option that is not a positive number of bytes is refused', () => {
    for (const option of [0, -1, Number.NaN])
      expect(() => responseLimitBytes(option, undefined)).toThrow(
        new TypeError('maxResponseBytes must be a positive number of bytes.'),
      );
  });
});

describe('flattenRecord, on every reference shape', () => {
  const onlyDisplay = { ref: { display_value: 'Exchange' } };
  const onlyValue = { ref: { value: 'abc' } };
  const nothing = { ref: { link: 'https://x/api' } };

  it('a reference without a value falls back to its display value, in every mode', () => {
    expect(flattenRecord(onlyDisplay)).toEqual({ ref: 'Exchange' });
    expect(flattenRecord(onlyDisplay, true)).toEqual({ ref: 'Exchange' });
    expect(flattenRecord(onlyDisplay, 'all')).toEqual({ ref: 'Exchange', dv_ref: 'Exchange' });
  });

  it('a reference without a display value keeps its value, and "all" adds no dv_ field', () => {
    expect(flattenRecord(onlyValue, true)).toEqual({ ref: 'abc' });
    expect(flattenRecord(onlyValue, 'all')).toEqual({ ref: 'abc' });
  });

  it('a reference with neither, or with nulls, is empty', () => {
    expect(flattenRecord(nothing)).toEqual({ ref: '' });
    expect(flattenRecord({ ref: { value: null, display_value: null } }, 'all')).toEqual({
      ref: '',
      dv_ref: '',
    });
    expect(flattenRecord({ ref: { value: 0, display_value: false } }, true)).toEqual({ ref: 'false' });
  });
});
