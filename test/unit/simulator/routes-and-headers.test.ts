import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/main/simulator/http/routes';
import { acceptsJson, isJsonContentType } from '../../../src/main/simulator/tables/headers';
import { secretMatches, secretState, storeSecret } from '../../../src/main/simulator/auth/secrets';

describe('classify', () => {
  it.each([
    [
      '/api/now/table/sys_alias',
      { kind: 'table', table: 'sys_alias', sysId: null, collectionPath: '/api/now/table/sys_alias' },
    ],
    [
      '/api/now/v2/table/sys_alias/abc',
      { kind: 'table', table: 'sys_alias', sysId: 'abc', collectionPath: '/api/now/v2/table/sys_alias' },
    ],
    [
      '/api/now/v1/table/x/',
      { kind: 'table', table: 'x', sysId: null, collectionPath: '/api/now/v1/table/x' },
    ],
    ['/api/now/v1/batch', { kind: 'batch' }],
    ['/api/now/batch', { kind: 'batch' }],
    ['/oauth_token.do', { kind: 'oauth_token' }],
    ['/sys_alias.do', { kind: 'page', page: 'sys_alias' }],
    ['/', { kind: 'home' }],
    ['/api/now/v3/table/x', { kind: 'api_unknown' }],
    ['/api/now/table/a/b/c', { kind: 'api_unknown' }],
    ['/favicon.ico', { kind: 'unknown' }],
  ])('%s', (path, expected) => {
    expect(classify(path)).toEqual(expected);
  });
});

describe('headers', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['application/json', true],
    ['*/*', true],
    ['text/html, application/json;q=0.9', true],
    ['application/*', true],
    ['application/xml', false],
    ['text/html', false],
  ])('Accept %j → %s', (accept, expected) => {
    expect(acceptsJson(accept)).toBe(expected);
  });

  it('recognises a JSON content type with parameters only', () => {
    expect(isJsonContentType('application/json; charset=utf-8')).toBe(true);
    expect(isJsonContentType('text/json')).toBe(false);
    expect(isJsonContentType(undefined)).toBe(false);
  });
});

describe('password2 storage', () => {
  it('keeps a usable hash only with input display value, never the secret', () => {
    const usable = storeSecret('s3cret', true);
    const malformed = storeSecret('s3cret', false);
    expect(usable).not.toContain('s3cret');
    expect(malformed).not.toContain('s3cret');
    expect([secretState(usable), secretState(malformed), secretState('')]).toEqual([
      'usable',
      'malformed',
      'unset',
    ]);
    expect(secretMatches(usable, 's3cret')).toBe(true);
    expect(secretMatches(usable, 'other')).toBe(false);
    expect(secretMatches(malformed, 's3cret')).toBe(false);
  });
});
