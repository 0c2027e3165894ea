// The customer's Entra app registration as the stand-in token endpoint knows it (docs/servicenow.md §8). The
// secret is kept as a salted hash, like the password2 fields, so neither the control API nor a state dump
// can show it.
import { secretMatches, storeSecret } from '../auth/secrets';
import type { EntraAppConfig, EntraAppView } from '../types';

/** Public demo values, like the other demo credentials (src/main/simulator/auth/credentials.ts). */
export const DEMO_ENTRA_APP: Readonly<
  Pick<EntraAppConfig, 'tenantId' | 'tenantDomain' | 'clientId' | 'clientSecret'>
> = {
  tenantId: '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e',
  tenantDomain: 'spokesmith-demo.onmicrosoft.com',
  clientId: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f',
  clientSecret: 'spokesmith-demo-entra-secret',
};

/** The Graph application permission the spoke's Walk-up calendar actions use (docs/servicenow.md §1.4). */
export const DEMO_ROLES = ['Calendars.ReadWrite'];

type Stored = Omit<EntraAppConfig, 'clientSecret'> & { secretHash: string };

function defaults(): EntraAppConfig {
  return {
    ...DEMO_ENTRA_APP,
    secretExpired: false,
    adminConsented: true,
    roles: [...DEMO_ROLES],
    fault: null,
  };
}

export class EntraApp {
  private app: Stored;

  constructor(private readonly initial: Partial<EntraAppConfig> = {}) {
    this.app = this.store({ ...defaults(), ...initial });
  }

  reset(): void {
    this.app = this.store({ ...defaults(), ...this.initial });
  }

  configure(patch: Partial<EntraAppConfig>): EntraAppView {
    const { clientSecret, ...rest } = patch;
    this.app = {
      ...this.app,
      ...rest,
      roles: rest.roles ? [...rest.roles] : this.app.roles,
      ...(clientSecret !== undefined ? { secretHash: storeSecret(clientSecret, true) } : {}),
    };
    return this.view();
  }

  view(): EntraAppView {
    const { secretHash, ...rest } = this.app;
    return { ...rest, roles: [...rest.roles], secretSet: secretHash !== '' };
  }

  /** True when `tenant` (GUID or domain, any case) names this app's tenant. */
  isTenant(tenant: string): boolean {
    const t = tenant.toLowerCase();
    return t === this.app.tenantId.toLowerCase() || t === this.app.tenantDomain.toLowerCase();
  }

  secretIs(candidate: string): boolean {
    return secretMatches(this.app.secretHash, candidate);
  }

  get config(): Readonly<Omit<Stored, 'secretHash'>> {
    return this.view();
  }

  private store(config: EntraAppConfig): Stored {
    const { clientSecret, ...rest } = config;
    return { ...rest, roles: [...rest.roles], secretHash: storeSecret(clientSecret, true) };
  }
}
