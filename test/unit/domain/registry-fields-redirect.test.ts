// The redirect URL Spokesmith writes must equal the one the instance generates (docs/servicenow.md §1.4),
// whatever trailing slashes the instance URL was typed with: a doubled slash is a different URL to Entra.
import { describe, expect, it } from 'vitest';
import { redirectUrl, registryFields } from '../../../src/shared/domain/registry-fields';

const ENTRA = {
  tenant: '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e',
  clientId: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f',
};

describe('redirectUrl', () => {
  it.each([
    'https://dev12345.service-now.com',
    'https://dev12345.service-now.com/',
    'https://dev12345.service-now.com//',
    'https://dev12345.service-now.com////',
  ])('%s → exactly one slash before oauth_redirect.do', (instanceUrl) => {
    expect(redirectUrl(instanceUrl)).toBe('https://dev12345.service-now.com/oauth_redirect.do');
  });

  it('the Authorization Code registry gets that same URL', () => {
    expect(registryFields(ENTRA, 'https://dev12345.service-now.com//').authorization_code.redirect_url).toBe(
      'https://dev12345.service-now.com/oauth_redirect.do',
    );
  });
});
