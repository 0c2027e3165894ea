// How a client proves who it is. Basic: a fixed header. OAuth (password grant at /oauth_token.do,
// docs/servicenow.md §3.6): a bearer token fetched once, shared by concurrent calls, renewed shortly before it
// expires (refresh grant first, password grant as the fallback) and renewed once more after a 401.
import type { TokenBody } from './schemas';

export type InstanceAuth =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'oauth'; clientId: string; clientSecret: string; username: string; password: string };

export interface AuthProvider {
  readonly kind: InstanceAuth['kind'];
  readonly username: string;
  /** The Authorization header value for the next request. */
  authorization(): Promise<string>;
  /** After a 401: forget the token so the next `authorization()` fetches a new one. False if pointless. */
  invalidate(): boolean;
  /** Every value that must be masked in logs and errors (and, as they arrive, tokens). */
  secrets(): string[];
}

/** Sends one form POST to /oauth_token.do and returns its parsed body, or throws a ServiceNowError. */
export type TokenFetcher = (form: Record<string, string>) => Promise<TokenBody>;

export function createAuthProvider(
  auth: InstanceAuth,
  fetchToken: TokenFetcher,
  onSecret: (value: string) => void,
  now: () => number = Date.now,
): AuthProvider {
  return auth.kind === 'basic' ? basicAuth(auth) : oauth(auth, fetchToken, onSecret, now);
}

function basicAuth(auth: Extract<InstanceAuth, { kind: 'basic' }>): AuthProvider {
  const encoded = Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64');
  const header = `Basic ${encoded}`;
  return {
    kind: 'basic',
    username: auth.username,
    authorization: () => Promise.resolve(header),
    invalidate: () => false,
    secrets: () => [auth.password, encodeURIComponent(auth.password), encoded, header],
  };
}

interface Token {
  access: string;
  refresh: string | null;
  /** Epoch ms after which the token is not used any more (already shortened by the safety margin). */
  renewAt: number;
}

/** Tokens without `expires_in` are assumed to live ServiceNow's default 30 minutes. */
const DEFAULT_LIFETIME_S = 1800;

function oauth(
  auth: Extract<InstanceAuth, { kind: 'oauth' }>,
  fetchToken: TokenFetcher,
  onSecret: (value: string) => void,
  now: () => number,
): AuthProvider {
  let token: Token | null = null;
  let pending: Promise<Token> | null = null;
  const client = { client_id: auth.clientId, client_secret: auth.clientSecret };

  const accept = (body: TokenBody): Token => {
    onSecret(body.access_token);
    if (body.refresh_token) onSecret(body.refresh_token);
    const lifetimeS = body.expires_in === undefined ? DEFAULT_LIFETIME_S : Number(body.expires_in);
    // Renew a little early (10 % of the lifetime, at most a minute) so a token never expires in flight.
    const marginMs = Math.min(60_000, lifetimeS * 100);
    return {
      access: body.access_token,
      refresh: body.refresh_token ?? null,
      renewAt: now() + lifetimeS * 1000 - marginMs,
    };
  };

  const passwordGrant = async (): Promise<Token> =>
    accept(
      await fetchToken({
        grant_type: 'password',
        ...client,
        username: auth.username,
        password: auth.password,
      }),
    );

  const renew = async (previous: Token | null): Promise<Token> => {
    if (previous?.refresh) {
      try {
        return accept(
          await fetchToken({ grant_type: 'refresh_token', ...client, refresh_token: previous.refresh }),
        );
      } catch {
        // A refused or expired refresh token is normal (its lifetime is shorter than the session's); the
        // password grant below reports any real problem.
      }
    }
    return passwordGrant();
  };

  return {
    kind: 'oauth',
    username: auth.username,
    async authorization() {
      if (!token || now() >= token.renewAt) {
        // One request in flight for everybody: concurrent calls wait for the same token.
        pending ??= renew(token).finally(() => {
          pending = null;
        });
        token = await pending;
      }
      return `Bearer ${token.access}`;
    },
    invalidate() {
      // Keep the refresh token: a 401 on the access token says nothing about it.
      if (token) token = { ...token, renewAt: 0 };
      return true;
    },
    secrets: () => [
      auth.password,
      encodeURIComponent(auth.password),
      auth.clientSecret,
      encodeURIComponent(auth.clientSecret),
    ],
  };
}
