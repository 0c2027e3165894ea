// What planRegistries promises about each Application Registry row, from both sides of every condition:
// which record a blocked row names and what it read, and the notes that tell a person what happens to the
// client secret (kept, replaced because Spokesmith did not write it, written encrypted) — each note only
// when its case holds (docs/servicenow.md §8: a password2 value is never read back).
import { describe, expect, it } from 'vitest';
import type { EntraApp } from '../../../src/shared/domain/desired-state';
import type { RegistryAction } from '../../../src/shared/domain/plan';
import { registryFields } from '../../../src/shared/domain/registry-fields';
import { planRegistries, type EntraSecretState } from '../../../src/shared/domain/registry-planner';
import type { RegistryRecord, Snapshot } from '../../../src/shared/domain/snapshot';
import { IDS, freshSnapshot } from '../engine/snapshot-fixtures';

const ENTRA: EntraApp = {
  tenant: '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e',
  clientId: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f',
};
const INSTANCE = 'https://dev12345.service-now.com';

const KEPT = 'No client secret was given: the one the registry holds is kept.';
const FOREIGN = 'The registry holds a client secret Spokesmith did not write; it is replaced.';
const ENCRYPTED = 'The client secret is written as an encrypted field and never read back.';

/** The Authorization Code registry as read, with the values a consultant typed in by hand earlier. */
function authCodeRow(secretSet: boolean | null): RegistryRecord {
  return {
    sysId: IDS.entityAuthCode,
    name: 'Microsoft Exchange Online',
    values: {
      client_id: 'typed-by-hand',
      default_grant_type: 'authorization_code',
      token_url: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    },
    secretSet,
  };
}

/** The clientCredentials registry as an earlier apply of ENTRA left it. */
function clientCredRow(secretSet: boolean | null): RegistryRecord {
  return {
    sysId: IDS.entityClientCred,
    name: 'Microsoft Exchange Online_clientCredentials',
    values: { ...registryFields(ENTRA, INSTANCE).client_credentials },
    secretSet,
  };
}

function withRegistries(secretSet: boolean | null): Snapshot {
  const s = freshSnapshot();
  s.registries = { authorization_code: authCodeRow(secretSet), client_credentials: clientCredRow(secretSet) };
  return s;
}

function plan(snapshot: Snapshot, secret: EntraSecretState): [RegistryAction, RegistryAction] {
  const [auth, cc] = planRegistries(snapshot, ENTRA, secret);
  if (!auth || !cc) throw new Error('planRegistries must plan both registries');
  return [auth, cc];
}

describe('a row blocked by the instance names the record it read', () => {
  it('no admin role: each row keeps its sys_id and every value discovery read', () => {
    const s = withRegistries(true);
    s.user.roles = ['itil'];
    const [auth, cc] = plan(s, 'unchanged');
    expect(auth).toMatchObject({ op: 'blocked', sysId: IDS.entityAuthCode, secret: null, body: {} });
    expect(auth.reason).toMatch(/does not have the admin role/);
    expect(auth.before).toEqual(authCodeRow(true).values);
    expect(cc.sysId).toBe(IDS.entityClientCred);
    expect(cc.before).toEqual(registryFields(ENTRA, INSTANCE).client_credentials);
  });

  it('blocked with no record read: no sys_id and nothing before', () => {
    const s = withRegistries(true);
    s.spoke.installed = false;
    s.registries = { authorization_code: null, client_credentials: null };
    const [auth] = plan(s, 'unchanged');
    expect(auth).toMatchObject({ op: 'blocked', sysId: null, before: null });
  });
});

describe('no secret at hand', () => {
  it('a registry without a secret blocks, still naming its record, its read values and field changes', () => {
    const [auth] = plan(withRegistries(false), 'missing');
    expect(auth).toMatchObject({ op: 'blocked', sysId: IDS.entityAuthCode, secret: null, body: {} });
    expect(auth.reason).toBe(
      'The registry "Microsoft Exchange Online" has no client secret and none was given: enter the Entra app\'s client secret.',
    );
    expect(auth.before).toEqual(authCodeRow(false).values);
    expect(auth.changes.client_id).toEqual({ before: 'typed-by-hand', after: ENTRA.clientId });
    expect(auth.notes).toEqual([]);
  });

  it('a registry holding a secret keeps it, and says so (nothing else about the secret)', () => {
    const [auth, cc] = plan(withRegistries(true), 'missing');
    expect(auth).toMatchObject({ op: 'update', secret: 'unchanged' });
    expect(auth.notes).toEqual([KEPT]);
    expect(cc).toMatchObject({ op: 'noop', secret: 'unchanged' });
    expect(cc.notes).toEqual([KEPT]);
  });

  it('the same secret as last written: no note at all', () => {
    const [auth, cc] = plan(withRegistries(true), 'unchanged');
    expect(auth).toMatchObject({ op: 'update', secret: 'unchanged' });
    expect(auth.notes).toEqual([]);
    expect(cc).toMatchObject({ op: 'noop', secret: 'unchanged' });
    expect(cc.notes).toEqual([]);
  });
});

describe('a secret is written', () => {
  it('one Spokesmith did not write (no fingerprint): replaced, with both notes', () => {
    const [auth, cc] = plan(withRegistries(true), 'unknown');
    expect(auth.secret).toBe('replace');
    expect(auth.notes).toEqual([FOREIGN, ENCRYPTED]);
    expect(cc).toMatchObject({ op: 'update', secret: 'replace', body: {} });
    expect(cc.notes).toEqual([FOREIGN, ENCRYPTED]);
  });

  it('another secret than the one last written: replaced, but it was ours, so only the encryption note', () => {
    const [auth, cc] = plan(withRegistries(true), 'replace');
    expect(auth.secret).toBe('replace');
    expect(auth.notes).toEqual([ENCRYPTED]);
    expect(cc).toMatchObject({ op: 'update', secret: 'replace' });
    expect(cc.notes).toEqual([ENCRYPTED]);
  });

  it('an empty registry with no fingerprint: "set", not "replaced", so only the encryption note', () => {
    const [auth, cc] = plan(withRegistries(false), 'unknown');
    expect(auth.secret).toBe('set');
    expect(auth.notes).toEqual([ENCRYPTED]);
    expect(cc).toMatchObject({ op: 'update', secret: 'set' });
    expect(cc.notes).toEqual([ENCRYPTED]);
  });

  it('an update carries every value discovery read, for the review and for rollback', () => {
    const [auth, cc] = plan(withRegistries(false), 'unknown');
    expect(auth).toMatchObject({ op: 'update', sysId: IDS.entityAuthCode });
    expect(auth.before).toEqual(authCodeRow(false).values);
    expect(cc.before).toEqual(registryFields(ENTRA, INSTANCE).client_credentials);
  });
});
