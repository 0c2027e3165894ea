// Who is calling: the authenticated user as the rules need it (roles and domain read from the records on
// every request, so a reset or a role change applies at once).
import type { Row, SimDatabase } from '../db/database';

export interface Caller {
  sysId: string;
  userName: string;
  isAdmin: boolean;
  /** `global` or a domain sys_id. */
  domain: string;
}

export function hasRole(db: SimDatabase, userSysId: string, roleName: string): boolean {
  const role = db.find('sys_user_role', (r) => r.name === roleName);
  if (!role) return false;
  return db.rows('sys_user_has_role').some((r) => r.user === userSysId && r.role === role.sys_id);
}

export function callerFor(db: SimDatabase, user: Row): Caller {
  const sysId = user.sys_id ?? '';
  return {
    sysId,
    userName: user.user_name ?? '',
    isAdmin: hasRole(db, sysId, 'admin'),
    domain: user.sys_domain || 'global',
  };
}

export function findUser(db: SimDatabase, userName: string): Row | undefined {
  return db.find('sys_user', (r) => r.user_name === userName);
}
