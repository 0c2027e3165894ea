// OAuth bearer and refresh tokens issued by /oauth_token.do (docs/servicenow.md §3.6). Kept in memory only.
import { randomBytes } from 'node:crypto';

interface Issued {
  userSysId: string;
  expiresAt: number;
}

export interface TokenGrant {
  access_token: string;
  refresh_token: string;
  scope: string;
  token_type: 'Bearer';
  expires_in: number;
}

const REFRESH_TTL_MS = 100 * 24 * 3600 * 1000; // 8,640,000 s, the documented default lifespan (§1.4)

function token(): string {
  return randomBytes(48).toString('base64url');
}

export class TokenStore {
  private readonly access = new Map<string, Issued>();
  private readonly refresh = new Map<string, Issued>();

  constructor(private readonly ttlSeconds: number) {}

  issue(userSysId: string): TokenGrant {
    const now = Date.now();
    const grant: TokenGrant = {
      access_token: token(),
      refresh_token: token(),
      scope: 'useraccount',
      token_type: 'Bearer',
      expires_in: this.ttlSeconds,
    };
    this.access.set(grant.access_token, { userSysId, expiresAt: now + this.ttlSeconds * 1000 });
    this.refresh.set(grant.refresh_token, { userSysId, expiresAt: now + REFRESH_TTL_MS });
    return grant;
  }

  /** The user of a live access token, or null (unknown or expired). */
  userOfAccess(accessToken: string): string | null {
    const issued = this.access.get(accessToken);
    if (!issued) return null;
    if (issued.expiresAt <= Date.now()) {
      this.access.delete(accessToken);
      return null;
    }
    return issued.userSysId;
  }

  /** Exchanges a refresh token for a new grant (the old refresh token stays valid, as on an instance). */
  redeem(refreshToken: string): TokenGrant | null {
    const issued = this.refresh.get(refreshToken);
    if (!issued || issued.expiresAt <= Date.now()) return null;
    return this.issue(issued.userSysId);
  }
}
