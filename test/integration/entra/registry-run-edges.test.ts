// The registry writes' last checks in the engine (src/main/engine/run.ts), through the operations layer
// against the embedded instance: a secret the re-read shows empty is not verified, and a keychain that
// cannot keep the fingerprint of the secret just written leaves a note instead of a wrong "unchanged".
import { describe, expect, it } from 'vitest';
import { OAUTH_REGISTRIES } from '../../../src/shared/servicenow/spoke';
import { applyWith, entraSetup, type EntraSetup } from './fixture';

async function setup(): Promise<EntraSetup> {
  const s = await entraSetup();
  return s;
}

describe('a registry write', () => {
  it('whose secret the re-read shows empty is not verified, and the apply fails naming client_secret', async () => {
    const s = await setup();
    const sim = s.h.sim;
    const main = OAUTH_REGISTRIES.authorization_code.entityName;
    const outcome = await applyWith(s, {
      onApplyProgress: (p) => {
        // Someone empties the secret between the write and the verification's re-read.
        if (p.phase !== 'verifying') return;
        const row = sim.db.find('oauth_entity', (r) => r.name === main)!;
        sim.db.update('oauth_entity', row.sys_id!, { client_secret: '' });
      },
    });
    expect(outcome.status).toBe('failed');
    const registry = outcome.record?.records.find((r) => r.name === main);
    expect(registry?.verified).toBe(false);
    expect(registry?.mismatches).toEqual(['client_secret']);
    const other = outcome.record?.records.find(
      (r) => r.name === OAUTH_REGISTRIES.client_credentials.entityName,
    );
    expect(other).toMatchObject({ verified: true, mismatches: [] });
  });

  it('whose fingerprint the keychain cannot keep succeeds, with a note that the next apply writes it again', async () => {
    const s = await setup();
    const set = s.secrets.set.bind(s.secrets);
    s.secrets.set = async (account, secret) => {
      // The Entra secret itself is already stored; only what the apply keeps after writing fails.
      if (!account.startsWith('entra-secret:')) throw new Error('keychain locked');
      return set(account, secret);
    };
    const outcome = await applyWith(s);
    expect(outcome.record?.status).toBe('succeeded');
    expect(outcome.record?.notes).toEqual([
      'The keychain did not keep the fingerprint of the client secret just written: the next apply writes it again.',
    ]);
  });
});
