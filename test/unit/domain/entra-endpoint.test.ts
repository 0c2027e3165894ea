// The Entra endpoints the registries name: one slash between authority and tenant however the authority
// is written, and the tenant path-encoded because it is typed by a person (untrusted input).
import { describe, expect, it } from 'vitest';
import { ENTRA_LOGIN_AUTHORITY, entraEndpoint } from '../../../src/shared/domain/entra';

const TENANT = '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e';

describe('entraEndpoint', () => {
  it('builds the v2.0 token and authorize endpoints of a tenant', () => {
    expect(entraEndpoint(ENTRA_LOGIN_AUTHORITY, TENANT, 'token')).toBe(
      `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
    );
    expect(entraEndpoint(ENTRA_LOGIN_AUTHORITY, 'contoso.onmicrosoft.com', 'authorize')).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize',
    );
  });

  it('drops every trailing slash of the authority, so there is one slash before the tenant', () => {
    for (const authority of ['https://login.microsoftonline.com/', 'https://login.microsoftonline.com//']) {
      expect(entraEndpoint(authority, TENANT, 'token')).toBe(
        `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
      );
    }
  });

  it('path-encodes the tenant, so a typed value cannot reach another path', () => {
    expect(entraEndpoint(ENTRA_LOGIN_AUTHORITY, '../common', 'token')).toBe(
      'https://login.microsoftonline.com/..%2Fcommon/oauth2/v2.0/token',
    );
  });
});
