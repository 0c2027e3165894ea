// The Entra card as typed: an empty card means "no Entra app" (the registries are left alone), anything
// typed is the Entra app to validate, and a stored draft of any shape reads back as three strings.
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ENTRA_DRAFT,
  entraDraftFields,
  entraInputOf,
  isEntraDraftEmpty,
} from '../../../src/shared/domain/entra-draft';
import { defaultDesiredState, validateDesiredState } from '../../../src/shared/domain/desired-state';

const NOW = new Date('2026-12-06T15:00:00.000Z');
const TENANT = '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e';
const CLIENT = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';

describe('entraDraftFields', () => {
  it('reads the three typed fields of a stored draft', () => {
    expect(entraDraftFields({ tenant: TENANT, clientId: CLIENT, secretExpires: '2027-06-30' })).toEqual({
      tenant: TENANT,
      clientId: CLIENT,
      secretExpires: '2027-06-30',
    });
  });

  it('reads a field that is not a string, or is missing, as empty', () => {
    expect(entraDraftFields({ tenant: 42, clientId: null, secretExpires: { date: '2027-06-30' } })).toEqual(
      EMPTY_ENTRA_DRAFT,
    );
    expect(entraDraftFields({ tenant: TENANT })).toEqual({ tenant: TENANT, clientId: '', secretExpires: '' });
  });

  it('reads a draft without an Entra section (null, undefined, a string) as the empty card', () => {
    for (const value of [null, undefined, 'contoso.onmicrosoft.com', 7, true]) {
      expect(entraDraftFields(value)).toEqual({ tenant: '', clientId: '', secretExpires: '' });
    }
  });

  it('never carries a secret a stored draft might hold', () => {
    const fields = entraDraftFields({ tenant: TENANT, clientId: CLIENT, clientSecret: 'Sup3r~secret' });
    expect(Object.keys(fields).sort()).toEqual(['clientId', 'secretExpires', 'tenant']);
    expect(JSON.stringify(fields)).not.toContain('Sup3r~secret');
  });
});

describe('isEntraDraftEmpty', () => {
  it('the empty card and a card holding only spaces are empty', () => {
    expect(isEntraDraftEmpty(EMPTY_ENTRA_DRAFT)).toBe(true);
    expect(isEntraDraftEmpty({ tenant: '  ', clientId: '\t', secretExpires: ' ' })).toBe(true);
  });

  it.each([
    ['tenant', { tenant: 'contoso.onmicrosoft.com', clientId: '', secretExpires: '' }],
    ['clientId', { tenant: '', clientId: CLIENT, secretExpires: '' }],
    ['secretExpires', { tenant: ' ', clientId: ' ', secretExpires: '2027-06-30' }],
  ])('a card with only %s typed is not empty', (_field, fields) => {
    expect(isEntraDraftEmpty(fields)).toBe(false);
  });
});

describe('entraInputOf', () => {
  it('an empty card gives no Entra app, so the desired state leaves the registries alone', () => {
    expect(entraInputOf(EMPTY_ENTRA_DRAFT)).toBeUndefined();
    expect(entraInputOf({ tenant: ' ', clientId: '', secretExpires: '  ' })).toBeUndefined();
    const forms = defaultDesiredState();
    const { desired } = validateDesiredState({ ...forms, entra: entraInputOf(EMPTY_ENTRA_DRAFT) }, NOW);
    expect(desired).toBeDefined();
    expect(desired).not.toHaveProperty('entra');
  });

  it('a typed card gives the typed values, expiry included', () => {
    expect(entraInputOf({ tenant: TENANT, clientId: CLIENT, secretExpires: '2027-06-30' })).toEqual({
      tenant: TENANT,
      clientId: CLIENT,
      secretExpires: '2027-06-30',
    });
  });

  it('leaves out an expiry that is empty or only spaces (it is optional), so the card still validates', () => {
    const input = entraInputOf({ tenant: TENANT, clientId: CLIENT, secretExpires: '   ' });
    expect(input).toEqual({ tenant: TENANT, clientId: CLIENT });
    const { desired, issues } = validateDesiredState({ ...defaultDesiredState(), entra: input }, NOW);
    expect(issues).toEqual([]);
    expect(desired?.entra).toEqual({ tenant: TENANT, clientId: CLIENT });
  });

  it('a card with only an expiry typed is an Entra app that lacks its tenant and client ID', () => {
    const input = entraInputOf({ tenant: '', clientId: '', secretExpires: '2027-06-30' });
    expect(input).toEqual({ tenant: '', clientId: '', secretExpires: '2027-06-30' });
    const { desired, issues } = validateDesiredState({ ...defaultDesiredState(), entra: input }, NOW);
    expect(desired).toBeUndefined();
    expect(issues.map((i) => i.field)).toEqual(['entra.tenant', 'entra.clientId']);
  });
});
