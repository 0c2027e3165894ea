// Stored rows as they may be shown outside the database: password2 values masked.
import { fieldsOf } from '../db/schema';
import { maskSecret } from '../auth/secrets';

export function maskStoredRow(table: string, row: Readonly<Record<string, string>>): Record<string, string> {
  const defs = fieldsOf(row.sys_class_name ?? table);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(row)) {
    out[name] = defs[name]?.type === 'password2' ? maskSecret(value) : value;
  }
  return out;
}
