// The desired state's Entra section: each rule both ways, and that it stays optional.
import { describe, expect, it } from 'vitest';
import {
  defaultDesiredState,
  formatIssue,
  validateDesiredState,
  validateEntraApp,
} from '../../../src/shared/domain/desired-state';
import { isTenant } from '../../../src/shared/domain/entra';

const NOW = new Date('2026-12-06T15:00:00.000Z');
const TENANT = '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e';
const CLIENT = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';
const ok = { tenant: TENANT, clientId: CLIENT };

function fieldsOf(input: unknown): Record<string, string> {
  const { issues } = validateEntraApp(input, NOW);
  return Object.fromEntries(issues.map((i) => [i.field, i.message]));
}

describe('validateEntraApp', () => {
  it('accepts a tenant GUID and a client GUID, lower-casing both', () => {
    const { entra, issues } = validateEntraApp(
      { tenant: ` ${TENANT.toUpperCase()} `, clientId: CLIENT.toUpperCase() },
      NOW,
    );
    expect(issues).toEqual([]);
    expect(entra).toEqual({ tenant: TENANT, clientId: CLIENT });
  });

  it('accepts a *.onmicrosoft.com tenant domain', () => {
    expect(validateEntraApp({ ...ok, tenant: 'Contoso.onmicrosoft.com' }, NOW).entra?.tenant).toBe(
      'contoso.onmicrosoft.com',
    );
  });

  it.each([
    ['contoso.com', 'not onmicrosoft.com'],
    ['-bad.onmicrosoft.com', 'label starts with a hyphen'],
    ['a.b.onmicrosoft.com', 'two labels'],
    ['6d4e8b3a1c2f4a5b9e7d2f3a4b5c6d7e', 'GUID without hyphens'],
    ['common', 'the multi-tenant alias'],
  ])('rejects tenant %s (%s), naming the field', (tenant) => {
    expect(fieldsOf({ ...ok, tenant })['entra.tenant']).toMatch(/^Tenant ID must be the Directory/);
    expect(isTenant(tenant)).toBe(false);
  });

  it('requires tenant and client ID', () => {
    expect(fieldsOf({ tenant: ' ', clientId: '' })).toEqual({
      'entra.tenant': 'Tenant ID is required.',
      'entra.clientId': 'Client ID is required.',
    });
    expect(fieldsOf({})).toEqual({
      'entra.tenant': 'Tenant ID is required.',
      'entra.clientId': 'Client ID is required.',
    });
  });

  it('rejects a client ID that is not a GUID (a domain is a tenant, not a client)', () => {
    expect(fieldsOf({ ...ok, clientId: 'contoso.onmicrosoft.com' })['entra.clientId']).toMatch(
      /^Client ID must be the Application \(client\) ID/,
    );
  });

  it('takes an expiry today or later, and refuses one in the past (now injected)', () => {
    expect(validateEntraApp({ ...ok, secretExpires: '2026-12-06' }, NOW).entra?.secretExpires).toBe(
      '2026-12-06',
    );
    expect(fieldsOf({ ...ok, secretExpires: '2026-12-05' })['entra.secretExpires']).toBe(
      'Client secret expiry 2026-12-05 is in the past: create a new client secret in Entra and enter its expiry.',
    );
    // The same date is fine a day earlier: the rule reads the injected clock, not the real one.
    expect(
      validateEntraApp({ ...ok, secretExpires: '2026-12-05' }, new Date('2026-12-05T23:59:00Z')).issues,
    ).toEqual([]);
  });

  it.each(['2027-02-30', '06/30/2027', '2027-6-30', 'soon'])('rejects expiry %s as not a date', (d) => {
    expect(fieldsOf({ ...ok, secretExpires: d })['entra.secretExpires']).toBe(
      'Client secret expiry must be a date such as 2027-06-30.',
    );
  });

  it('refuses a secret in the desired state and says where it belongs, without echoing it', () => {
    const { entra, issues } = validateEntraApp({ ...ok, clientSecret: 'Sup3r~secret' }, NOW);
    expect(entra).toBeUndefined();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ form: null, field: 'entra.clientSecret', severity: 'error' });
    expect(issues[0]?.message).toMatch(/keychain/);
    expect(JSON.stringify(issues)).not.toContain('Sup3r~secret');
  });

  it('names an unknown field', () => {
    expect(fieldsOf({ ...ok, authority: 'x' })['entra.authority']).toMatch(/^Unknown field "authority"/);
  });

  it('reports a non-object as the section', () => {
    expect(validateEntraApp('tenant', NOW).issues.map((i) => i.field)).toEqual(['entra.entra']);
  });

  it('formats issues with the field path', () => {
    const [issue] = validateEntraApp({ ...ok, tenant: 'x' }, NOW).issues;
    expect(formatIssue(issue!)).toMatch(/^entra\.tenant: Tenant ID must be/);
  });
});

describe('validateDesiredState with the Entra section', () => {
  const forms = defaultDesiredState();

  it('stays valid without it (backwards compatible) and has no entra key', () => {
    const { desired, issues } = validateDesiredState({ main: forms.main, clientCred: forms.clientCred }, NOW);
    expect(issues).toEqual([]);
    expect(desired).toBeDefined();
    expect(desired).not.toHaveProperty('entra');
  });

  it('carries a valid Entra app', () => {
    const { desired } = validateDesiredState(
      { ...forms, entra: { ...ok, secretExpires: '2027-01-01' } },
      NOW,
    );
    expect(desired?.entra).toEqual({ ...ok, secretExpires: '2027-01-01' });
  });

  it('an invalid Entra app makes the whole desired state invalid, with its issue', () => {
    const { desired, issues } = validateDesiredState({ ...forms, entra: { ...ok, clientId: 'nope' } }, NOW);
    expect(desired).toBeUndefined();
    expect(issues.map((i) => i.field)).toEqual(['entra.clientId']);
  });
});
