// A row as the Table API returns it (docs/servicenow.md §3.3): every value a string; references as
// `{link, value}` (plain sys_id with sysparm_exclude_reference_link=true); sysparm_display_value
// true/false/all; password2 values never echoed.
import type { Row, SimDatabase } from '../db/database';
import { fieldsOf, type FieldDef } from '../db/schema';
import { maskSecret } from '../auth/secrets';
import { referenceDisplay, resolveField } from './fields';

export type DisplayMode = 'false' | 'true' | 'all';

export interface SerializeOptions {
  /** sysparm_fields; null: every field of the table. */
  fields: string[] | null;
  display: DisplayMode;
  excludeReferenceLink: boolean;
  /** e.g. http://127.0.0.1:4000 (links point here). */
  baseUrl: string;
}

export type JsonValue = string | Record<string, string>;

function renderValue(db: SimDatabase, def: FieldDef, stored: string, options: SerializeOptions): JsonValue {
  if (def.type === 'password2') {
    const masked = maskSecret(stored);
    return options.display === 'all' ? { display_value: masked, value: masked } : masked;
  }
  if (def.type === 'reference' && def.ref) {
    if (stored === '') return options.display === 'all' ? { display_value: '', value: '' } : '';
    const link = `${options.baseUrl}/api/now/table/${def.ref}/${stored}`;
    if (options.display === 'false') return options.excludeReferenceLink ? stored : { link, value: stored };
    const display = referenceDisplay(db, def.ref, stored);
    if (options.display === 'true')
      return options.excludeReferenceLink ? display : { display_value: display, link };
    // UNCERTAIN (docs/servicenow.md §3.3, §6.9): the `all` shape of a reference is not documented.
    return options.excludeReferenceLink
      ? { display_value: display, value: stored }
      : { display_value: display, link, value: stored };
  }
  if (options.display === 'all') return { display_value: stored, value: stored };
  return stored;
}

export function serializeRow(
  db: SimDatabase,
  table: string,
  row: Row,
  options: SerializeOptions,
): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  const names = options.fields ?? Object.keys(fieldsOf(table));
  for (const name of names) {
    const field = resolveField(db, table, row, name);
    if (!field) continue; // invalid fields are ignored (§3.2)
    out[name] = renderValue(db, field.def, field.value, options);
  }
  return out;
}

export function parseFieldList(raw: string | null): string[] | null {
  if (raw === null) return null;
  const fields = raw
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  return fields.length > 0 ? fields : null;
}

export function parseDisplayMode(raw: string | null): DisplayMode {
  const v = raw?.toLowerCase();
  return v === 'true' || v === 'all' ? v : 'false';
}
