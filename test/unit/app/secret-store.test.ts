import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../src/main/secrets/memory-store';
import { describeKeychainError, openSecretStore } from '../../../src/main/secrets/open-secret-store';
import { readInstanceSecrets, writeInstanceSecrets } from '../../../src/main/secrets/secret-store';

describe('keychain failures in plain words', () => {
  it('names the cause for each known Secret Service failure', () => {
    expect(describeKeychainError(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'))).toMatch(
      /no reachable D-Bus/,
    );
    expect(describeKeychainError(new Error('Could not connect: No such file or directory'))).toMatch(
      /no reachable D-Bus/,
    );
    expect(
      describeKeychainError(
        new Error('The name org.freedesktop.secrets was not provided by any .service files'),
      ),
    ).toMatch(/no Secret Service is running/);
    expect(
      describeKeychainError(
        new Error('Object does not exist at path “/org/freedesktop/secrets/collection/login”'),
      ),
    ).toMatch(/locked or has no default collection/);
    expect(describeKeychainError(new Error('Cannot create an item in a locked collection'))).toMatch(
      /locked/,
    );
    expect(describeKeychainError(new Error('something else\nsecond line'))).toBe(
      'The OS keychain could not be used (something else).',
    );
  });

  it('falls back to memory when the native keychain module cannot even load', async () => {
    const opened = await openSecretStore({
      loadKeytar: async () => {
        throw new Error("Cannot find module 'keytar'");
      },
    });
    expect(opened.available).toBe(false);
    expect(opened.store.kind).toBe('memory');
    expect(opened.message).toMatch(/could not be loaded.*memory for this run only/);
  });

  it('forced memory never touches the keychain', async () => {
    let loaded = false;
    const opened = await openSecretStore({
      forceMemory: true,
      loadKeytar: async () => {
        loaded = true;
        throw new Error('unused');
      },
    });
    expect(loaded).toBe(false);
    expect(opened.store.kind).toBe('memory');
  });
});

describe('instance secrets', () => {
  it('round-trip as one JSON value per instance and ignore a malformed stored value', async () => {
    const store = new MemorySecretStore();
    await writeInstanceSecrets(store, 'acme', { password: 'p', clientSecret: 's' });
    expect(await readInstanceSecrets(store, 'acme')).toEqual({ password: 'p', clientSecret: 's' });
    await store.set('broken', 'not json');
    expect(await readInstanceSecrets(store, 'broken')).toBeNull();
    expect(await readInstanceSecrets(store, 'missing')).toBeNull();
  });
});
