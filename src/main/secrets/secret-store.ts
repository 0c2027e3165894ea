// Where instance secrets live: the OS keychain when there is one, otherwise memory for this run only.
// Behind one small interface so a keytar replacement (Electron safeStorage, @napi-rs/keyring) stays a
// one-file swap: keytar is archived upstream (docs/reliability.md §2.1).
import * as z from 'zod/mini';
import '../../shared/zod-english';

export interface SecretStore {
  readonly kind: 'keychain' | 'memory';
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** Resolves true when something was deleted. */
  delete(account: string): Promise<boolean>;
}

/** The keychain service name every Spokesmith secret is filed under. */
export const KEYCHAIN_SERVICE = 'Spokesmith';

/**
 * What one instance keeps in the keychain (one account per instance id, the value a JSON string):
 * the password for basic auth, or for OAuth (password grant) the client secret plus the password.
 * The client id is not a secret: it lives in the workspace's instance entry.
 */
export const InstanceSecretsSchema = z.strictObject({
  password: z.optional(z.string().check(z.minLength(1))),
  clientSecret: z.optional(z.string().check(z.minLength(1))),
  /**
   * The instance origin the secrets were verified against and stored for: they are only ever sent there
   * (src/main/operations/credentials.ts). Absent in entries stored before it was recorded.
   */
  origin: z.optional(z.string().check(z.minLength(1))),
});
export type InstanceSecrets = z.infer<typeof InstanceSecretsSchema>;

export async function readInstanceSecrets(
  store: SecretStore,
  instanceId: string,
): Promise<InstanceSecrets | null> {
  const raw = await store.get(instanceId);
  if (raw === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // Never echo the stored value: it is a secret even when it is malformed.
    return null;
  }
  const result = InstanceSecretsSchema.safeParse(parsed);
  return result.success ? result.data : null;
}

export async function writeInstanceSecrets(
  store: SecretStore,
  instanceId: string,
  secrets: InstanceSecrets,
): Promise<void> {
  await store.set(instanceId, JSON.stringify(InstanceSecretsSchema.parse(secrets)));
}
