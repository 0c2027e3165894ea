// Reading the records an apply touches, one GET per table (two tables: credentials and connections),
// all in one Batch API request where the instance takes it (docs/servicenow.md §7): before the first
// write (the before-state, and a check that the plan still holds), to settle writes after an
// interruption or an ambiguous answer, and after the last write (verify). Every field is read, so the
// apply record keeps a before/after of the whole record.
import type { WritableAction } from '../../shared/domain/plan';
import { queryValue, ServiceNowError, tableUrl, type ListParams, type RawRecord } from '../servicenow';
import { batchRefused, isBatchRefusal, rememberBatchRefused } from './batch-refusal';
import type { EngineClient } from './client';

export interface TouchedQuery {
  table: string;
  sysIds: Set<string>;
  names: Set<string>;
}

export function touchedQueries(
  actions: readonly WritableAction[],
  extraSysIds: ReadonlyMap<string, string | null> = new Map(),
): TouchedQuery[] {
  const byTable = new Map<string, TouchedQuery>();
  for (const action of actions) {
    let q = byTable.get(action.table);
    if (!q) {
      q = { table: action.table, sysIds: new Set(), names: new Set() };
      byTable.set(action.table, q);
    }
    if (action.sysId) q.sysIds.add(action.sysId);
    const extra = extraSysIds.get(action.id);
    if (extra) q.sysIds.add(extra);
    if (action.op === 'create') q.names.add(action.name);
  }
  return [...byTable.values()].filter((q) => q.sysIds.size || q.names.size);
}

/** `sys_idINa,b^NQnameINx,y`: one GET per table finds both the known records and the new ones by name. */
export function touchedQueryString(q: TouchedQuery): string {
  const parts: string[] = [];
  if (q.sysIds.size) parts.push(`sys_idIN${[...q.sysIds].join(',')}`);
  // Names may hold commas in principle; IN splits on them, so such a name is matched with `=` instead.
  const plain = [...q.names].filter((n) => !n.includes(','));
  const odd = [...q.names].filter((n) => n.includes(','));
  if (plain.length) parts.push(`nameIN${plain.map(queryValue).join(',')}`);
  for (const name of odd) parts.push(`name=${queryValue(name)}`);
  return parts.join('^NQ');
}

export interface TouchedRows {
  rows: Map<string, RawRecord[]>;
  requests: number;
}

export async function readTouched(client: EngineClient, queries: TouchedQuery[]): Promise<TouchedRows> {
  const start = client.requestCount;
  const params = (q: TouchedQuery): ListParams => ({
    query: touchedQueryString(q),
    noDomain: true,
    limit: 100,
  });
  const rows = new Map<string, RawRecord[]>();
  if (queries.length > 1 && !batchRefused(client)) {
    let answers = null;
    try {
      answers = await client.batch(
        queries.map((q, i) => ({ id: String(i), method: 'GET', url: tableUrl(q.table, params(q)) })),
      );
    } catch (error) {
      if (!isBatchRefusal(error)) throw error;
      rememberBatchRefused(client);
    }
    if (answers) {
      for (const [i, q] of queries.entries()) {
        const answer = answers[i];
        // An item the batch quota left unrun is read on its own; any other failure is the read's.
        if (answer && !answer.serviced) continue;
        if (!answer?.ok) throw new ServiceNowError(answer?.failure ?? missingAnswer(q.table));
        rows.set(
          q.table,
          Array.isArray(answer.result) ? answer.result : answer.result ? [answer.result] : [],
        );
      }
    }
  }
  for (const q of queries) {
    if (!rows.has(q.table)) rows.set(q.table, await client.list(q.table, params(q)));
  }
  return { rows, requests: client.requestCount - start };
}

function missingAnswer(table: string) {
  return {
    code: 'unexpected' as const,
    message: `The batch answer holds no result for ${table}.`,
    ambiguous: false,
  };
}

export function findRow(
  touched: TouchedRows,
  table: string,
  by: { sysId?: string | null; name?: string },
): RawRecord | null {
  const rows = touched.rows.get(table) ?? [];
  if (by.sysId) return rows.find((r) => r.sys_id === by.sysId) ?? null;
  if (by.name !== undefined) return rows.find((r) => r.name === by.name) ?? null;
  return null;
}
