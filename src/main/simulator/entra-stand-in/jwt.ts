// An app-only access token shaped like the ones Entra issues for Microsoft Graph (a v1.0 JWT: `aud`, `iss`,
// `tid`, `appid`, `idtyp: app`, `roles`), but unsigned (`alg: none`, empty signature): nobody can mint a
// real Microsoft signature, and the Entra check only decodes the payload to read `roles`.
import { randomUUID } from 'node:crypto';

export interface AppOnlyClaims {
  tenantId: string;
  clientId: string;
  audience: string;
  /** null: no `roles` claim at all (nothing admin-consented). */
  roles: string[] | null;
  lifetimeSeconds: number;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export function appOnlyToken(claims: AppOnlyClaims, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const servicePrincipal = randomUUID();
  const payload: Record<string, unknown> = {
    aud: claims.audience,
    iss: `https://sts.windows.net/${claims.tenantId}/`,
    iat,
    nbf: iat,
    exp: iat + claims.lifetimeSeconds,
    app_displayname: 'Spokesmith demo Entra app',
    appid: claims.clientId,
    appidacr: '1',
    idp: `https://sts.windows.net/${claims.tenantId}/`,
    idtyp: 'app',
    oid: servicePrincipal,
    sub: servicePrincipal,
    tid: claims.tenantId,
    uti: randomUUID().replace(/-/g, ''),
    ver: '1.0',
    ...(claims.roles ? { roles: claims.roles } : {}),
  };
  return `${b64url({ typ: 'JWT', alg: 'none' })}.${b64url(payload)}.`;
}
