// How a saved instance signs in from its stored secrets (src/main/operations/credentials.ts): the client
// gets credentials only when everything its sign-in method needs is stored.
import { describe, expect, it } from 'vitest';
import { authFromSecrets, originOf } from '../../../src/main/operations/credentials';

const basic = { authMethod: 'basic' as const, username: 'admin' };
const oauth = { authMethod: 'oauth' as const, username: 'admin', clientId: 'client-1' };

describe('authFromSecrets', () => {
  it('basic: the user and the stored password; nothing without a password', () => {
    expect(authFromSecrets(basic, { password: 'pw' })).toEqual({
      kind: 'basic',
      username: 'admin',
      password: 'pw',
    });
    expect(authFromSecrets(basic, {})).toBeNull();
  });

  it('OAuth: needs the client id and the stored client secret besides the password', () => {
    expect(authFromSecrets(oauth, { password: 'pw', clientSecret: 'cs' })).toEqual({
      kind: 'oauth',
      clientId: 'client-1',
      clientSecret: 'cs',
      username: 'admin',
      password: 'pw',
    });
    expect(authFromSecrets(oauth, { password: 'pw' })).toBeNull();
    expect(
      authFromSecrets({ ...oauth, clientId: undefined }, { password: 'pw', clientSecret: 'cs' }),
    ).toBeNull();
    expect(authFromSecrets(oauth, { clientSecret: 'cs' })).toBeNull();
  });
});

describe('originOf', () => {
  it('the scheme, host and port of a URL; text that is no URL as it is', () => {
    expect(originOf('https://acme.service-now.com/now/nav/ui')).toBe('https://acme.service-now.com');
    expect(originOf('http://127.0.0.1:8080/x')).toBe('http://127.0.0.1:8080');
    expect(originOf('acme')).toBe('acme');
  });
});
