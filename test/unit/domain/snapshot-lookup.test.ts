// Lookups in a snapshot: the global domain whatever its case or spelling as empty, references by name,
// and a reference the snapshot does not hold shown as it is rather than dropped.
import { describe, expect, it } from 'vitest';
import {
  aliasNameOf,
  credentialNameOf,
  domainName,
  grantOfProfile,
  resolveDomain,
} from '../../../src/shared/domain/snapshot-lookup';
import { IDS, freshSnapshot, provisionedSnapshot } from '../engine/snapshot-fixtures';

describe('domains', () => {
  it('"global" in any case is the global domain; a domain is found by name or sys_id; else none', () => {
    const snap = freshSnapshot();
    expect(resolveDomain(snap, 'Global')).toEqual({ sysId: 'global', name: 'global' });
    expect(resolveDomain(snap, 'INITECH')).toEqual({ sysId: IDS.domainInitech, name: 'INITECH' });
    expect(resolveDomain(snap, IDS.domainInitech)?.name).toBe('INITECH');
    expect(resolveDomain(snap, 'ACME')).toBeNull();
  });

  it('a domain sys_id reads as its name; empty and "global" read as global; an unknown one as itself', () => {
    const snap = freshSnapshot();
    expect(domainName(snap, IDS.domainInitech)).toBe('INITECH');
    expect(domainName(snap, '')).toBe('global');
    expect(domainName(snap, 'global')).toBe('global');
    expect(domainName(snap, 'd9')).toBe('d9');
  });
});

describe('references by name', () => {
  const snap = provisionedSnapshot();

  it('an alias, a credential and a profile; none for an empty reference or one the snapshot lacks', () => {
    expect(aliasNameOf(snap, IDS.aliasClientCred)).toBe('Microsoft_Exchange_Online_clientCred');
    expect(aliasNameOf(snap, null)).toBeNull();
    expect(aliasNameOf(snap, 'a9')).toBeNull();
    expect(credentialNameOf(snap, 'c2')).toBe('Exchange_Online_Credentials_clientCred');
    expect(credentialNameOf(snap, null)).toBeNull();
    expect(grantOfProfile(snap, IDS.profileClientCred)).toBe('client_credentials');
    expect(grantOfProfile(snap, IDS.profileAuthCode)).toBe('authorization_code');
    expect(grantOfProfile(snap, null)).toBeNull();
    expect(
      grantOfProfile({ ...snap, profiles: { authorization_code: null, client_credentials: null } }, 'p9'),
    ).toBeNull();
  });
});
