// The in-memory record store. Rows are stored per concrete table (sys_class_name); reads on a parent
// table include its children's rows. Every value is a string, as the Table API shows it (§3.3).
import { fieldsOf, selfAndDescendants, tableExists, SYSTEM_FIELDS } from './schema';
import { glideDateTime, isSysId, newSysId } from './ids';

export type Row = Readonly<Record<string, string>>;

export interface WriteMeta {
  /** user_name for sys_created_by / sys_updated_by. */
  user?: string;
  /** sys_domain of a new row when the fields don't name one. */
  domain?: string;
  /** Fixed timestamp (seeding). */
  at?: number;
}

export type TableDump = Record<string, Record<string, string>[]>;

export class SimDatabase {
  private readonly tables = new Map<string, Map<string, Record<string, string>>>();
  private readonly listeners = new Set<() => void>();

  /** Called after every change (the simulator saves its state file from here). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Rows of the table and of the tables that extend it, in insertion order. */
  rows(table: string): Row[] {
    const out: Row[] = [];
    for (const t of selfAndDescendants(table)) {
      const rows = this.tables.get(t);
      if (rows) out.push(...rows.values());
    }
    return out;
  }

  find(table: string, predicate: (row: Row) => boolean): Row | undefined {
    return this.rows(table).find(predicate);
  }

  filter(table: string, predicate: (row: Row) => boolean): Row[] {
    return this.rows(table).filter(predicate);
  }

  /** The row with this sys_id in the table or one of its children. */
  get(table: string, sysId: string): Row | undefined {
    for (const t of selfAndDescendants(table)) {
      const row = this.tables.get(t)?.get(sysId);
      if (row) return row;
    }
    return undefined;
  }

  /** Finds a row by sys_id in any table. */
  getAnywhere(sysId: string): Row | undefined {
    for (const rows of this.tables.values()) {
      const row = rows.get(sysId);
      if (row) return row;
    }
    return undefined;
  }

  /**
   * Inserts a row into a concrete table. Fields not in the table's dictionary are dropped; missing ones
   * get the empty value ("set to the associated data type's null value", §3.1).
   */
  insert(table: string, fields: Record<string, string>, meta: WriteMeta = {}): Row {
    if (!tableExists(table)) throw new Error(`Unknown table ${table}`);
    const defs = fieldsOf(table);
    const sysId = fields.sys_id && isSysId(fields.sys_id) ? fields.sys_id : newSysId();
    if (this.getAnywhere(sysId)) throw new Error(`Duplicate sys_id ${sysId}`);
    const now = glideDateTime(meta.at);
    const row: Record<string, string> = {};
    for (const [name, def] of Object.entries(defs)) {
      row[name] = fields[name] ?? (def.type === 'boolean' ? 'false' : '');
    }
    Object.assign(row, {
      sys_id: sysId,
      sys_class_name: table,
      sys_created_on: now,
      sys_updated_on: now,
      sys_created_by: meta.user ?? 'system',
      sys_updated_by: meta.user ?? 'system',
      sys_mod_count: '0',
      sys_domain: fields.sys_domain || meta.domain || 'global',
    });
    this.tableRows(table).set(sysId, row);
    this.changed();
    return { ...row };
  }

  /** Updates the given fields (those of `table`'s dictionary, system fields other than sys_domain excepted). */
  update(
    table: string,
    sysId: string,
    fields: Record<string, string>,
    meta: WriteMeta = {},
  ): Row | undefined {
    const current = this.get(table, sysId);
    if (!current) return undefined;
    const concrete = current.sys_class_name ?? table;
    const defs = fieldsOf(table);
    const next: Record<string, string> = { ...current };
    for (const [name, value] of Object.entries(fields)) {
      if (!(name in defs)) continue;
      if (name in SYSTEM_FIELDS && name !== 'sys_domain') continue;
      next[name] = value;
    }
    next.sys_updated_on = glideDateTime(meta.at);
    next.sys_updated_by = meta.user ?? 'system';
    next.sys_mod_count = String(Number(current.sys_mod_count ?? '0') + 1);
    this.tableRows(concrete).set(sysId, next);
    this.changed();
    return { ...next };
  }

  delete(table: string, sysId: string): boolean {
    const current = this.get(table, sysId);
    if (!current) return false;
    this.tables.get(current.sys_class_name ?? table)?.delete(sysId);
    this.changed();
    return true;
  }

  clear(): void {
    this.tables.clear();
    this.changed();
  }

  /** Every row of every table, keyed by concrete table (the state file's content). */
  dump(): TableDump {
    const out: TableDump = {};
    for (const [table, rows] of this.tables) out[table] = [...rows.values()].map((r) => ({ ...r }));
    return out;
  }

  /** Replaces the content with a dump (rows of unknown tables are refused by the caller's validation). */
  load(dump: TableDump): void {
    this.tables.clear();
    for (const [table, rows] of Object.entries(dump)) {
      const target = this.tableRows(table);
      for (const row of rows) target.set(row.sys_id ?? newSysId(), { ...row, sys_class_name: table });
    }
    this.changed();
  }

  private tableRows(table: string): Map<string, Record<string, string>> {
    let rows = this.tables.get(table);
    if (!rows) {
      rows = new Map();
      this.tables.set(table, rows);
    }
    return rows;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
