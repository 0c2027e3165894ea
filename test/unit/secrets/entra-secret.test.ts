import { describe, expect, it } from 'vitest';
import {
  FINGERPRINT_KEY_ACCOUNT,
  deleteEntraSecret,
  entraSecretState,
  hasEntraSecret,
  readEntraSecret,
  rememberWrittenSecret,
  saveEntraSecret,
} from '../../../src/main/secrets/entra-secret';
import { MemorySecretStore } from '../../../src/main/secrets/memory-store';

const SECRET = 'entra~secret.value-1';

describe('the Entra client secret in the keychain', () => {
  it('is kept per instance and read back only for that instance', async () => {
    const store = new MemorySecretStore();
    await saveEntraSecret(store, 'acme', SECRET);
    expect(await readEntraSecret(store, 'acme')).toBe(SECRET);
    expect(await hasEntraSecret(store, 'acme')).toBe(true);
    expect(await readEntraSecret(store, 'globex')).toBeNull();
    expect(await hasEntraSecret(store, 'globex')).toBe(false);
  });

  it('refuses an empty secret instead of storing it', async () => {
    const store = new MemorySecretStore();
    await expect(saveEntraSecret(store, 'acme', '')).rejects.toThrow(/empty/);
    expect(await store.get('entra-secret:acme')).toBeNull();
  });

  it('is missing without a secret, unknown before anything was written, unchanged for the same one', async () => {
    const store = new MemorySecretStore();
    expect(await entraSecretState(store, 'acme', null)).toBe('missing');
    expect(await entraSecretState(store, 'acme', SECRET)).toBe('unknown');
    await rememberWrittenSecret(store, 'acme', SECRET);
    expect(await entraSecretState(store, 'acme', SECRET)).toBe('unchanged');
    expect(await entraSecretState(store, 'acme', `${SECRET}x`)).toBe('replace');
    // What was written to one instance says nothing about another.
    expect(await entraSecretState(store, 'globex', SECRET)).toBe('unknown');
  });

  it('keeps a keyed fingerprint, never the secret or its plain hash, and one key for all instances', async () => {
    const store = new MemorySecretStore();
    await rememberWrittenSecret(store, 'acme', SECRET);
    const key = await store.get(FINGERPRINT_KEY_ACCOUNT);
    await rememberWrittenSecret(store, 'globex', SECRET);
    expect(await store.get(FINGERPRINT_KEY_ACCOUNT)).toBe(key);
    const fingerprint = await store.get('entra-written:acme');
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint).not.toContain(SECRET);
    const { createHash } = await import('node:crypto');
    expect(fingerprint).not.toBe(createHash('sha256').update(SECRET).digest('hex'));
  });

  it('says unknown, not unchanged, when the fingerprint key was lost', async () => {
    const store = new MemorySecretStore();
    await rememberWrittenSecret(store, 'acme', SECRET);
    await store.delete(FINGERPRINT_KEY_ACCOUNT);
    expect(await entraSecretState(store, 'acme', SECRET)).toBe('unknown');
    // A new key makes the old fingerprint another secret's: replace, never a wrong "unchanged".
    await rememberWrittenSecret(store, 'globex', 'other');
    expect(await entraSecretState(store, 'acme', SECRET)).toBe('replace');
  });

  it('forgets the secret and what was written with it', async () => {
    const store = new MemorySecretStore();
    await saveEntraSecret(store, 'acme', SECRET);
    await rememberWrittenSecret(store, 'acme', SECRET);
    expect(await deleteEntraSecret(store, 'acme')).toBe(true);
    expect(await readEntraSecret(store, 'acme')).toBeNull();
    expect(await entraSecretState(store, 'acme', SECRET)).toBe('unknown');
    expect(await deleteEntraSecret(store, 'acme')).toBe(false);
  });
});
