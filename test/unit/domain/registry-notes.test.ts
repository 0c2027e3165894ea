// What a registry action tells the consultant about the client secret, for each secret state (a note per
// fact, and no note that does not hold), and that a registry action always shows the record as it was.
import { describe, expect, it } from 'vitest';
import { planRegistries, type EntraSecretState } from '../../../src/shared/domain/registry-planner';
import type { Snapshot } from '../../../src/shared/domain/snapshot';
import { IDS, freshSnapshot, shippedRegistries } from '../engine/snapshot-fixtures';

const ENTRA = {
  tenant: '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e',
  clientId: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f',
};
const KEPT = 'No client secret was given: the one the registry holds is kept.';
const FOREIGN = 'The registry holds a client secret Spokesmith did not write; it is replaced.';
const WRITTEN = 'The client secret is written as an encrypted field and never read back.';

/** The spoke's registries as shipped, the client-credentials one holding a secret or not. */
function withRegistries(secretSet: boolean | null): Snapshot {
  const s = freshSnapshot();
  s.registries = shippedRegistries(secretSet);
  return s;
}

const clientCred = (snap: Snapshot, secret: EntraSecretState) =>
  planRegistries(snap, ENTRA, secret).find((r) => r.grant === 'client_credentials')!;

describe('the notes about the client secret', () => {
  it.each<[EntraSecretState, boolean, string, string[]]>([
    ['missing', true, 'unchanged', [KEPT]],
    ['unchanged', true, 'unchanged', []],
    ['replace', true, 'replace', [WRITTEN]],
    ['unknown', true, 'replace', [FOREIGN, WRITTEN]],
    ['unknown', false, 'set', [WRITTEN]],
  ])('our secret %s, registry secret set %s: secret %s', (secret, secretSet, op, notes) => {
    const action = clientCred(withRegistries(secretSet), secret);
    expect(action.op).toBe('update');
    expect(action.secret).toBe(op);
    expect(action.notes).toEqual(notes);
  });
});

describe('a registry action shows the record as it was', () => {
  it('when updated', () => {
    const action = clientCred(withRegistries(true), 'replace');
    expect(action.sysId).toBe(IDS.entityClientCred);
    expect(action.before).toEqual({ default_grant_type: 'client_credentials' });
  });

  it('when blocked for want of a secret', () => {
    const action = clientCred(withRegistries(false), 'missing');
    expect(action.op).toBe('blocked');
    expect(action.sysId).toBe(IDS.entityClientCred);
    expect(action.before).toEqual({ default_grant_type: 'client_credentials' });
  });

  it('when the whole instance is blocked (no admin role), it still names the record', () => {
    const snap = withRegistries(true);
    snap.user.roles = ['itil'];
    const action = clientCred(snap, 'replace');
    expect(action.op).toBe('blocked');
    expect(action.reason).toBe('The user admin does not have the admin role the procedure requires.');
    expect(action.sysId).toBe(IDS.entityClientCred);
    expect(action.before).toEqual({ default_grant_type: 'client_credentials' });
  });
});
