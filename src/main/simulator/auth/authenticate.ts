// Who is this request from (docs/servicenow.md §3.6): Basic auth, a Bearer token, or a session cookie.
// A request with an Authorization header is judged by it; without one, a valid JSESSIONID authenticates.
import type { Row, SimDatabase } from '../db/database';
import { findUser } from '../rules/caller';
import { secretMatches } from './secrets';
import { parseCookies, type Session, type SessionStore } from './sessions';
import type { TokenStore } from './tokens';

export type AuthOutcome =
  | { ok: true; user: Row; session: Session; newSession: boolean }
  | { ok: false; reason: 'missing' | 'invalid' };

export function checkPassword(db: SimDatabase, userName: string, password: string): Row | undefined {
  const user = findUser(db, userName);
  if (!user || user.active === 'false' || user.locked_out === 'true') return undefined;
  return secretMatches(user.user_password, password) ? user : undefined;
}

function userFromAuthorization(db: SimDatabase, tokens: TokenStore, header: string): Row | undefined {
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const credential = rest.join(' ');
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return checkPassword(db, decoded.slice(0, colon), decoded.slice(colon + 1));
  }
  if (scheme?.toLowerCase() === 'bearer') {
    const userSysId = tokens.userOfAccess(credential);
    const user = userSysId ? db.get('sys_user', userSysId) : undefined;
    return user && user.active !== 'false' ? user : undefined;
  }
  return undefined;
}

export function authenticate(
  db: SimDatabase,
  tokens: TokenStore,
  sessions: SessionStore,
  headers: { authorization?: string | undefined; cookie?: string | undefined },
): AuthOutcome {
  const existing = sessions.get(parseCookies(headers.cookie).JSESSIONID);
  if (headers.authorization) {
    const user = userFromAuthorization(db, tokens, headers.authorization);
    if (!user) return { ok: false, reason: 'invalid' };
    if (existing && existing.userSysId === user.sys_id)
      return { ok: true, user, session: existing, newSession: false };
    return { ok: true, user, session: sessions.create(user.sys_id ?? ''), newSession: true };
  }
  if (existing) {
    const user = db.get('sys_user', existing.userSysId);
    if (user && user.active !== 'false') return { ok: true, user, session: existing, newSession: false };
    return { ok: false, reason: 'invalid' };
  }
  return { ok: false, reason: 'missing' };
}
