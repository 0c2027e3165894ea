// Verify: after the last write, re-read every touched record (one GET per table, so at most two) and
// compare each field that was sent with what the instance now holds.
import type { WritableAction } from '../../shared/domain/plan';
import type { RawRecord } from '../servicenow';
import type { EngineClient } from './client';
import { readTouched, touchedQueries, type TouchedRows } from './touched';

/** Re-reads the records of these write actions by sys_id (known from the plan or from their steps). */
export async function reReadWritten(
  client: EngineClient,
  writes: readonly WritableAction[],
  sysIds: ReadonlyMap<string, string | null>,
): Promise<TouchedRows> {
  // By sys_id only: a create that did not happen has none, and its name is not looked up again.
  const bySysId = writes.map((a) => ({ ...a, op: 'update' as const }));
  return readTouched(client, touchedQueries(bySysId, sysIds));
}

/** Fields whose value on the instance differs from what was sent. */
export function mismatches(body: Record<string, string>, row: RawRecord): string[] {
  return Object.entries(body)
    .filter(([field, value]) => (row[field] ?? '') !== value)
    .map(([field]) => field);
}

export function matches(body: Record<string, string>, row: RawRecord): boolean {
  return mismatches(body, row).length === 0;
}

/** A delete is verified by absence; a create or update by every sent field. */
export function verifies(
  action: WritableAction,
  body: Record<string, string>,
  row: RawRecord | null,
): boolean {
  if (action.op === 'delete') return row === null;
  return row !== null && matches(body, row);
}
