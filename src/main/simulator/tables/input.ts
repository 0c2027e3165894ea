// Turns a POST/PATCH body into stored values: fields the table does not have are ignored (an instance
// ignores them); system fields cannot be set except sys_domain (and sys_id on insert, which an instance
// accepts); booleans become "true"/"false"; with sysparm_input_display_value=true references may be given
// by display value and password2 fields are stored usable, without it password2 values are stored
// malformed (docs/servicenow.md §3.7).
import type { SimDatabase } from '../db/database';
import { fieldsOf, SYSTEM_FIELDS, type FieldDef } from '../db/schema';
import { isSysId } from '../db/ids';
import { storeSecret } from '../auth/secrets';
import { displayOf } from './fields';

function asText(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? value.join(',') : undefined;
  if (typeof value === 'object' && 'value' in value) return asText((value as { value: unknown }).value);
  return undefined;
}

function resolveReference(db: SimDatabase, refTable: string, value: string, inputDisplay: boolean): string {
  if (value === '' || !inputDisplay) return value;
  if (refTable === 'domain' && value === 'global') return value;
  if (isSysId(value) && db.get(refTable, value)) return value;
  const byDisplay = db.find(refTable, (r) => displayOf(db, refTable, r) === value);
  // An unknown display value leaves the reference empty, as the form would.
  return byDisplay?.sys_id ?? '';
}

function coerce(db: SimDatabase, def: FieldDef, text: string, inputDisplay: boolean): string {
  switch (def.type) {
    case 'boolean':
      return ['true', '1', 'yes'].includes(text.trim().toLowerCase()) ? 'true' : 'false';
    case 'integer':
      return text.trim() === '' || Number.isFinite(Number(text)) ? text.trim() : '';
    case 'reference':
      return resolveReference(db, def.ref ?? '', text, inputDisplay);
    case 'password2':
      return storeSecret(text, inputDisplay);
    default:
      return text;
  }
}

export function coerceInput(
  db: SimDatabase,
  table: string,
  body: Record<string, unknown>,
  options: { inputDisplay: boolean; allowSysId: boolean },
): Record<string, string> {
  const defs = fieldsOf(table);
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(body)) {
    const def = defs[name];
    if (!def) continue;
    if (name in SYSTEM_FIELDS && name !== 'sys_domain' && !(name === 'sys_id' && options.allowSysId))
      continue;
    const text = asText(raw);
    if (text === undefined) continue;
    if (name === 'sys_id') {
      if (isSysId(text)) out.sys_id = text;
      continue;
    }
    out[name] = coerce(db, def, text, options.inputDisplay);
  }
  return out;
}
