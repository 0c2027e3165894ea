// The OS keychain through keytar: macOS Keychain, Windows Credential Vault, Linux Secret Service.
import { KEYCHAIN_SERVICE, type SecretStore } from './secret-store';

/** The part of keytar we use; injected so the loader can fail softly when the native module is missing. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export class KeytarSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;

  constructor(
    private readonly keytar: KeytarLike,
    private readonly service: string = KEYCHAIN_SERVICE,
  ) {}

  get(account: string): Promise<string | null> {
    return this.keytar.getPassword(this.service, account);
  }

  set(account: string, secret: string): Promise<void> {
    return this.keytar.setPassword(this.service, account, secret);
  }

  delete(account: string): Promise<boolean> {
    return this.keytar.deletePassword(this.service, account);
  }
}

export async function loadKeytar(): Promise<KeytarLike> {
  const mod = (await import('keytar')) as KeytarLike & { default?: KeytarLike };
  // keytar is CommonJS: under ESM its functions sit on `default` (and, depending on the loader, also on
  // the namespace itself).
  return mod.default ?? mod;
}
