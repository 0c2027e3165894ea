// Access controls (docs/servicenow.md §3.6 "Roles"; docs/reliability.md §4.5): this product's records need admin.
// A user without the admin role may read ordinary tables but not the connection and credential tables,
// and may write nothing. The message texts follow what instances are seen to send; they are UNCERTAIN.
import { failure, type SimResponse } from '../http/response';
import { isA } from '../db/schema';
import type { Caller } from './caller';

export type Operation = 'read' | 'insert' | 'update' | 'delete';

const PROTECTED_READ: readonly string[] = ['sys_connection', 'discovery_credentials', 'oauth_credential'];

const VERB: Record<Exclude<Operation, 'read'>, string> = {
  insert: 'Insert',
  update: 'Update',
  delete: 'Delete',
};

export function aclDenial(caller: Caller, table: string, operation: Operation): SimResponse | null {
  if (caller.isAdmin) return null;
  if (operation === 'read') {
    if (!PROTECTED_READ.some((root) => isA(table, root))) return null;
    return failure(
      403,
      'Insufficient rights to query records',
      'Field(s) present in the query do not have permission to be read',
    );
  }
  return failure(
    403,
    'Operation Failed',
    `ACL Exception ${VERB[operation]} Failed due to security constraints`,
  );
}
