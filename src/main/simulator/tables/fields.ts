// Reading fields of a row as queries and sysparm_fields see them: plain elements and one level of
// dot-walking through a reference (`connection_alias.name`, docs/servicenow.md §3.2).
import type { Row, SimDatabase } from '../db/database';
import { displayFieldOf, fieldsOf, type FieldDef } from '../db/schema';

export interface ResolvedField {
  def: FieldDef;
  value: string;
  /** For a dot-walked field: the referenced row, when it exists. */
  via?: Row;
}

/** The field's definition and value, or undefined when the table has no such (dot-walked) field. */
export function resolveField(
  db: SimDatabase,
  table: string,
  row: Row,
  path: string,
): ResolvedField | undefined {
  const dot = path.indexOf('.');
  const defs = fieldsOf(table);
  if (dot < 0) {
    const def = defs[path];
    return def ? { def, value: row[path] ?? '' } : undefined;
  }
  const head = path.slice(0, dot);
  const tail = path.slice(dot + 1);
  const headDef = defs[head];
  if (!headDef || headDef.type !== 'reference' || !headDef.ref || tail.includes('.')) return undefined;
  const def = fieldsOf(headDef.ref)[tail];
  if (!def) return undefined;
  const target = db.get(headDef.ref, row[head] ?? '');
  return { def, value: target?.[tail] ?? '', ...(target ? { via: target } : {}) };
}

/** The display value of a record (its display field, a reference's display followed once). */
export function displayOf(db: SimDatabase, table: string, row: Row | undefined, depth = 0): string {
  if (!row) return '';
  const concrete = row.sys_class_name ?? table;
  const field = displayFieldOf(concrete);
  const def = fieldsOf(concrete)[field];
  const value = row[field] ?? '';
  if (def?.type === 'reference' && def.ref && depth < 2) {
    return displayOf(db, def.ref, db.get(def.ref, value), depth + 1);
  }
  return value;
}

/** The display value of a reference field's value (`global` for the global domain). */
export function referenceDisplay(db: SimDatabase, refTable: string, value: string): string {
  if (value === '') return '';
  if (refTable === 'domain' && value === 'global') return 'global';
  return displayOf(db, refTable, db.get(refTable, value));
}
