// Business rules on connections (docs/servicenow.md §1.2): a unique name on the table; one active connection
// per alias per domain unless the alias supports multiple; a credential used by at most one active
// connection. An instance aborts such a write with 403 (§3.4); the message text is UNCERTAIN (§6.9), so
// it follows the usual "aborted by Business Rule" shape.
import { failure, type SimResponse } from '../http/response';
import { isA } from '../db/schema';
import type { SimDatabase } from '../db/database';

function aborted(table: string, rule: string, message: string): SimResponse {
  return failure(
    403,
    message,
    `Operation against file '${table}' was aborted by Business Rule '${rule}'. Business Rule Stack:${rule}`,
  );
}

/**
 * Checks the record as it would be after the write. `selfId` is the record being updated (absent on insert).
 * Returns the 403 to send, or null when the write may go ahead.
 */
export function connectionRuleViolation(
  db: SimDatabase,
  table: string,
  record: Readonly<Record<string, string>>,
  selfId?: string,
): SimResponse | null {
  if (!isA(table, 'sys_connection')) return null;
  const others = db.rows('sys_connection').filter((r) => r.sys_id !== selfId);
  const name = record.name ?? '';
  if (name !== '' && others.some((r) => r.name === name)) {
    return aborted(table, 'Unique connection name', `A connection with the name "${name}" already exists`);
  }
  if (record.active !== 'true') return null;
  const activeOthers = others.filter((r) => r.active === 'true');
  const aliasId = record.connection_alias ?? '';
  if (aliasId !== '') {
    const alias = db.get('sys_alias', aliasId);
    const domain = record.sys_domain || 'global';
    const clash = activeOthers.some(
      (r) => r.connection_alias === aliasId && (r.sys_domain || 'global') === domain,
    );
    if (clash && alias?.multiple_connections !== 'true') {
      return aborted(
        table,
        'Validate single active connection',
        `Only one connection is active per Connection alias at any one time: alias "${alias?.name ?? aliasId}" already has an active connection in this domain`,
      );
    }
  }
  const credential = record.credential ?? '';
  if (credential !== '' && activeOthers.some((r) => r.credential === credential)) {
    return aborted(
      table,
      'Validate unique credential',
      'Credential is unique across active connections: this credential is already used by another active connection',
    );
  }
  return null;
}
