// The --entra-* flags over the desired state's "entra": which wins, which flag or field a problem names,
// and what the operations are asked to do about the check.
import { describe, expect, it } from 'vitest';
import { resolveEntra } from '../../../src/main/cli/entra-options';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';

const NOW = new Date('2026-12-06T12:00:00Z');
const TENANT = '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e';
const CLIENT = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';
const fromConfig: DesiredState = {
  ...defaultDesiredState(),
  entra: { tenant: 'contoso.onmicrosoft.com', clientId: CLIENT, secretExpires: '2027-06-30' },
};

describe('resolveEntra', () => {
  it('no flags and no Entra app: the desired state as it is, the check at login.microsoftonline.com', () => {
    const desired = defaultDesiredState();
    expect(resolveEntra(desired, {}, NOW)).toEqual({
      desired,
      entraCheck: { authority: 'https://login.microsoftonline.com' },
      problems: [],
    });
  });

  it('flags win over the file, field by field; the rest of the file stays', () => {
    const r = resolveEntra(fromConfig, { entraTenant: TENANT.toUpperCase() }, NOW);
    expect(r.problems).toEqual([]);
    expect(r.desired?.entra).toEqual({ tenant: TENANT, clientId: CLIENT, secretExpires: '2027-06-30' });
  });

  it('a bad flag is named by the flag; a missing value by the flag and the file field', () => {
    expect(resolveEntra(fromConfig, { entraClientId: 'nope' }, NOW).problems).toEqual([
      expect.stringMatching(/^ {2}- --entra-client-id: Client ID must be/),
    ]);
    const missing = resolveEntra(defaultDesiredState(), { entraSecretExpires: '2027-01-01' }, NOW);
    expect(missing.desired).toBeUndefined();
    expect(missing.problems).toEqual([
      expect.stringMatching(
        /--entra-tenant \(or entra\.tenant in the --config file\): Tenant ID is required/,
      ),
      expect.stringMatching(
        /--entra-client-id \(or entra\.clientId in the --config file\): Client ID is required/,
      ),
    ]);
  });

  it('the expiry is judged by the given clock: the day itself is accepted, the day before is not', () => {
    expect(resolveEntra(fromConfig, { entraSecretExpires: '2026-12-06' }, NOW).problems).toEqual([]);
    expect(resolveEntra(fromConfig, { entraSecretExpires: '2026-12-05' }, NOW).problems).toEqual([
      expect.stringMatching(/--entra-secret-expires: .*2026-12-05 is in the past/),
    ]);
  });

  it('--entra-authority is normalized; http only for loopback; never with credentials', () => {
    expect(
      resolveEntra(fromConfig, { entraAuthority: 'https://login.example.com/' }, NOW).entraCheck,
    ).toEqual({
      authority: 'https://login.example.com',
    });
    expect(resolveEntra(fromConfig, { entraAuthority: 'http://127.0.0.1:9/entra' }, NOW).entraCheck).toEqual({
      authority: 'http://127.0.0.1:9/entra',
    });
    for (const bad of [
      'http://login.example.com',
      'https://user:pw@login.example.com',
      'login.example.com',
    ]) {
      const r = resolveEntra(fromConfig, { entraAuthority: bad }, NOW);
      expect(r.desired).toBeUndefined();
      expect(r.problems).toEqual([expect.stringContaining(`--entra-authority: "${bad}" is not usable`)]);
    }
  });

  it('--no-entra-check asks the operations for no check', () => {
    expect(resolveEntra(fromConfig, { entraCheck: false }, NOW).entraCheck).toBe(false);
  });
});
