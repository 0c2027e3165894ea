// Workspace files may be kept in git: the same content must give the same bytes (keys sorted at every
// depth, array order kept), and a write is skipped only when the content is really the same.
import { describe, expect, it } from 'vitest';
import { sameJson, sortKeysDeep } from '../../../src/main/workspace/stable-json';

describe('sortKeysDeep', () => {
  it('sorts object keys at every depth, keeps arrays in their order, and drops undefined values', () => {
    const sorted = sortKeysDeep({ b: 1, a: { d: [{ z: 1, y: 2 }, 3], c: undefined }, e: null });
    expect(JSON.stringify(sorted)).toBe('{"a":{"d":[{"y":2,"z":1},3]},"b":1,"e":null}');
    expect(sorted.a).not.toHaveProperty('c'); // Dropped, not kept as a key JSON happens to skip.
  });

  it('leaves no key holding undefined, at any depth', () => {
    expect(sortKeysDeep({ b: 1, a: undefined, c: { d: undefined } })).toStrictEqual({ b: 1, c: {} });
  });

  it('leaves non-plain objects and scalars as they are', () => {
    const date = new Date('2026-01-01T00:00:00.000Z');
    expect(sortKeysDeep(date)).toBe(date);
    expect(sortKeysDeep('text')).toBe('text');
    expect(sortKeysDeep(0)).toBe(0);
    expect(sortKeysDeep(null)).toBeNull();
  });
});

describe('sameJson', () => {
  it('is true for the same content in another key order', () => {
    expect(sameJson({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
  });

  it('is false when a value, an array order or a key differs', () => {
    expect(sameJson({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 1 })).toBe(false);
    expect(sameJson({ a: 'x' }, { a: 'X' })).toBe(false);
  });
});
