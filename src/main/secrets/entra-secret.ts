// The customer's Entra client secret, per instance, kept only in the OS keychain (issue 10, item 3;
// docs/servicenow.md §8). It is entered once (app or CLI) and read back only by main, at the moment it is
// sent to Entra (the check) or to the instance (the registry write), so a queued apply can use it later.
//
// "A re-apply with the same secret writes nothing" needs to know what was last written, but the registry's
// password2 field can never be read back. So after a verified write we keep a keyed fingerprint of the
// secret — HMAC-SHA256 under a random key that also lives only in the keychain — and compare against it.
// A fingerprint on disk (or an unkeyed hash) would let anyone with the workspace test guesses offline.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntraSecretState } from '../../shared/domain/registry-planner';
import type { SecretStore } from './secret-store';

const secretAccount = (instanceId: string): string => `entra-secret:${instanceId}`;
const writtenAccount = (instanceId: string): string => `entra-written:${instanceId}`;
/** One key for all instances: its only job is to make the fingerprints useless outside this keychain. */
export const FINGERPRINT_KEY_ACCOUNT = 'entra-fingerprint-key';

export async function saveEntraSecret(store: SecretStore, instanceId: string, secret: string): Promise<void> {
  if (!secret) throw new Error('The Entra client secret is empty.');
  await store.set(secretAccount(instanceId), secret);
}

export async function readEntraSecret(store: SecretStore, instanceId: string): Promise<string | null> {
  const secret = await store.get(secretAccount(instanceId));
  return secret ? secret : null;
}

export async function hasEntraSecret(store: SecretStore, instanceId: string): Promise<boolean> {
  return (await readEntraSecret(store, instanceId)) !== null;
}

/** Forgets the secret and what was written with it (instance removal, "forget secret"). */
export async function deleteEntraSecret(store: SecretStore, instanceId: string): Promise<boolean> {
  const [secret, written] = await Promise.all([
    store.delete(secretAccount(instanceId)),
    store.delete(writtenAccount(instanceId)),
  ]);
  return secret || written;
}

/**
 * What the planner needs to know about `secret` (registry-planner.ts): `missing` when there is none,
 * `unchanged` when its fingerprint equals the one remembered for this instance's last verified write,
 * `replace` when another was written, `unknown` when nothing is remembered.
 */
export async function entraSecretState(
  store: SecretStore,
  instanceId: string,
  secret: string | null,
): Promise<EntraSecretState> {
  if (!secret) return 'missing';
  const remembered = await store.get(writtenAccount(instanceId));
  if (!remembered) return 'unknown';
  const key = await store.get(FINGERPRINT_KEY_ACCOUNT);
  if (!key) return 'unknown';
  const now = Buffer.from(fingerprint(key, secret), 'hex');
  const then = Buffer.from(remembered, 'hex');
  return now.length === then.length && timingSafeEqual(now, then) ? 'unchanged' : 'replace';
}

/** Called after the registries were written with `secret` and verified. */
export async function rememberWrittenSecret(
  store: SecretStore,
  instanceId: string,
  secret: string,
): Promise<void> {
  const key = await fingerprintKey(store);
  await store.set(writtenAccount(instanceId), fingerprint(key, secret));
}

function fingerprint(key: string, secret: string): string {
  return createHmac('sha256', Buffer.from(key, 'hex')).update(secret, 'utf8').digest('hex');
}

/**
 * The key, created on first use. Two processes creating it at once: the last write wins and the loser's
 * fingerprint no longer matches, so that instance's next apply says `replace` and writes the same secret
 * once more — harmless, and never a wrong `unchanged`. Re-reading after the write keeps this process on
 * the key that stayed.
 */
async function fingerprintKey(store: SecretStore): Promise<string> {
  const existing = await store.get(FINGERPRINT_KEY_ACCOUNT);
  if (existing) return existing;
  await store.set(FINGERPRINT_KEY_ACCOUNT, randomBytes(32).toString('hex'));
  const stored = await store.get(FINGERPRINT_KEY_ACCOUNT);
  if (!stored) throw new Error('The keychain did not keep the Entra fingerprint key.');
  return stored;
}
