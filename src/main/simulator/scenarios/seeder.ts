// Seeding helpers: records get sys_ids derived from a stable key, so a scenario's records keep the same
// ids across resets and runs (links in the demo keep working, tests can name them).
import type { Row, SimDatabase } from '../db/database';
import { stableSysId } from '../db/ids';

export const SEED_TIME = Date.UTC(2025, 0, 15, 9, 30, 0);

export function seed(db: SimDatabase, table: string, key: string, fields: Record<string, string>): Row {
  return db.insert(
    table,
    { ...fields, sys_id: stableSysId(`${table}:${key}`) },
    { user: 'system', at: SEED_TIME },
  );
}

export function seededId(table: string, key: string): string {
  return stableSysId(`${table}:${key}`);
}
