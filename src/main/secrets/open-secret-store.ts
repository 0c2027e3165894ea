// Picks the secret store at start: the OS keychain if a probe write/read/delete works, otherwise memory
// for this run, with a plain-words message the UI shows (docs/reliability.md §2.2 lists the failures).
import { KeytarSecretStore, loadKeytar, type KeytarLike } from './keytar-store';
import { MemorySecretStore } from './memory-store';
import { KEYCHAIN_SERVICE, type SecretStore } from './secret-store';

export interface OpenedSecretStore {
  store: SecretStore;
  available: boolean;
  message: string;
}

export interface OpenSecretStoreOptions {
  /** Use memory without touching the keychain (tests, SPOKESMITH_SECRET_STORE=memory in development). */
  forceMemory?: boolean;
  loadKeytar?: () => Promise<KeytarLike>;
  service?: string;
}

const PROBE_ACCOUNT = '__spokesmith_probe__';
const MEMORY_ONLY = 'Secrets are kept in memory for this run only and must be entered again next time.';

export async function openSecretStore(options: OpenSecretStoreOptions = {}): Promise<OpenedSecretStore> {
  if (options.forceMemory) {
    return {
      store: new MemorySecretStore(),
      available: false,
      message: `The OS keychain is not used (memory store selected). ${MEMORY_ONLY}`,
    };
  }
  const service = options.service ?? KEYCHAIN_SERVICE;
  let keytar: KeytarLike;
  try {
    keytar = await (options.loadKeytar ?? loadKeytar)();
  } catch (error) {
    return memoryFallback(`The keychain library could not be loaded (${shortReason(error)}). ${MEMORY_ONLY}`);
  }
  try {
    // A write, not just a read: a locked collection can answer reads and still refuse new items.
    await keytar.setPassword(service, PROBE_ACCOUNT, 'probe');
    const back = await keytar.getPassword(service, PROBE_ACCOUNT);
    await keytar.deletePassword(service, PROBE_ACCOUNT);
    if (back !== 'probe') throw new Error('the keychain did not return what was stored');
  } catch (error) {
    return memoryFallback(`${describeKeychainError(error)} ${MEMORY_ONLY}`);
  }
  return {
    store: new KeytarSecretStore(keytar, service),
    available: true,
    message: 'Secrets are stored in the OS keychain.',
  };
}

function memoryFallback(message: string): OpenedSecretStore {
  return { store: new MemorySecretStore(), available: false, message };
}

/** Turns a keychain failure into one sentence a consultant can act on. */
export function describeKeychainError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (
    /autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|Failed to connect to socket|Could not connect|dbus/i.test(text)
  ) {
    return (
      'No OS keychain is available: this session has no reachable D-Bus session bus (usual over SSH, in ' +
      'containers or without a desktop session).'
    );
  }
  if (/org\.freedesktop\.secrets/i.test(text)) {
    return (
      'No OS keychain is available: no Secret Service is running (install and start GNOME Keyring, or ' +
      'KWallet with its Secret Service).'
    );
  }
  if (/locked collection|collection\/login|Object does not exist at path|locked/i.test(text)) {
    return 'The OS keychain is locked or has no default collection: unlock it (log in to the desktop) and restart.';
  }
  return `The OS keychain could not be used (${shortReason(error)}).`;
}

function shortReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.slice(0, 160);
}
