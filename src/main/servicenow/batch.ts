// Batch API (docs/servicenow.md §7): several Table API calls in one POST /api/now/v1/batch. Item bodies travel
// base64-encoded both ways; each answer is decoded and checked exactly like a direct answer would be.
import { randomUUID } from 'node:crypto';
import type { ServiceNowFailure } from '../../shared/servicenow/errors';
import { inspectBody } from './body';
import { failureFromAnswer } from './errors';
import { deleteSearch, tablePath, writeSearch, type WriteParams } from './params';
import {
  BatchBodySchema,
  flattenRecord,
  ListBodySchema,
  SingleBodySchema,
  type DisplayMode,
  type RawRecord,
} from './schemas';

export type BatchMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface BatchRequestItem {
  /** Unique within the batch; answers are matched by it. */
  id: string;
  method: BatchMethod;
  /** Relative URL with its query, e.g. from `tableUrl()`: `/api/now/table/sys_alias?sysparm_query=…`. */
  url: string;
  body?: Record<string, string>;
}

export interface BatchResponseItem {
  id: string;
  /** False when the instance never ran the item (listed in `unserviced_requests`). */
  serviced: boolean;
  /** 0 when not serviced. */
  status: number;
  ok: boolean;
  /** `result` flattened: a list for list GETs, one record otherwise, null for an empty body or a failure. */
  result: RawRecord[] | RawRecord | null;
  failure: ServiceNowFailure | null;
}

export function buildBatchRequest(items: readonly BatchRequestItem[]): unknown {
  const ids = new Set<string>();
  for (const item of items) {
    if (!item.id || ids.has(item.id))
      throw new TypeError(`Batch item ids must be unique and non-empty: ${JSON.stringify(item.id)}`);
    ids.add(item.id);
    if (!item.url.startsWith('/api/'))
      throw new TypeError(`Batch item ${item.id}: the URL must be relative (/api/…)`);
  }
  return {
    batch_request_id: randomUUID(),
    rest_requests: items.map((item) => ({
      id: item.id,
      method: item.method,
      url: item.url,
      headers: [
        { name: 'Accept', value: 'application/json' },
        { name: 'Content-Type', value: 'application/json' },
      ],
      exclude_response_headers: false,
      ...(item.body === undefined
        ? {}
        : { body: Buffer.from(JSON.stringify(item.body), 'utf8').toString('base64') }),
    })),
  };
}

/**
 * A Table API write as a batch item, with the URL and body the client's create/update/remove would send
 * on their own, so an instance applies the same rules either way.
 */
export function writeItem(
  id: string,
  op: 'create' | 'update' | 'delete',
  table: string,
  sysId: string | null,
  body: Record<string, string>,
  /** inputDisplayValue: the body sets a password2 field (docs/servicenow.md §3.7, §8). */
  params: Pick<WriteParams, 'inputDisplayValue'> = {},
): BatchRequestItem {
  if (op !== 'create' && !sysId) throw new TypeError(`Batch item ${id}: an ${op} needs a sys_id`);
  const path = tablePath(table, op === 'create' ? undefined : (sysId ?? undefined));
  if (op === 'delete') return { id, method: 'DELETE', url: `${path}?${deleteSearch().toString()}` };
  return {
    id,
    method: op === 'create' ? 'POST' : 'PATCH',
    // An update in the scope discovery read it in (query_no_domain), as a single request sends it.
    url: `${path}?${writeSearch(op === 'update' ? { ...params, noDomain: true } : params).toString()}`,
    body,
  };
}

function displayModeOf(url: string): DisplayMode {
  const value = new URL(url, 'http://relative.invalid').searchParams.get('sysparm_display_value');
  return value === 'all' ? 'all' : value === 'true';
}

function describe(item: BatchRequestItem): string {
  const path = item.url.split('?')[0] ?? item.url;
  return `${item.method} ${path} (batch item ${item.id})`;
}

/** Decodes the batch answer; throws a TypeError when its envelope is not a batch answer at all. */
export function readBatchResponse(items: readonly BatchRequestItem[], value: unknown): BatchResponseItem[] {
  const parsed = BatchBodySchema.safeParse(value);
  if (!parsed.success) throw new TypeError('not a Batch API answer');
  const serviced = new Map(parsed.data.serviced_requests.map((s) => [s.id, s]));
  const unserviced = new Set(parsed.data.unserviced_requests);

  return items.map((item): BatchResponseItem => {
    const write = item.method !== 'GET';
    const answer = serviced.get(item.id);
    if (!answer) {
      const skipped = unserviced.has(item.id);
      return {
        id: item.id,
        serviced: false,
        status: 0,
        ok: false,
        result: null,
        failure: skipped
          ? {
              code: 'transaction_cancelled',
              message: `The instance stopped the batch before ${describe(item)} ran (usually the 30-second batch quota). Send it again.`,
              ambiguous: false,
            }
          : {
              code: 'unexpected',
              message: `The batch answer does not mention ${describe(item)}.`,
              ambiguous: write,
            },
      };
    }
    const headers: Record<string, string> = {};
    for (const h of answer.headers ?? []) headers[h.name.toLowerCase()] = h.value;
    const text = answer.body ? Buffer.from(answer.body, 'base64').toString('utf8') : '';
    const body = inspectBody(text, headers['content-type']);
    const ctx = { what: describe(item), write };
    const failure = failureFromAnswer(ctx, { status: answer.status_code, headers, body });
    const base = { id: item.id, serviced: true, status: answer.status_code };
    if (failure) return { ...base, ok: false, result: null, failure };
    if (body.kind !== 'json') return { ...base, ok: true, result: null, failure: null };

    const display = displayModeOf(item.url);
    const list = ListBodySchema.safeParse(body.value);
    if (list.success)
      return {
        ...base,
        ok: true,
        result: list.data.result.map((r) => flattenRecord(r, display)),
        failure: null,
      };
    const single = SingleBodySchema.safeParse(body.value);
    if (single.success)
      return { ...base, ok: true, result: flattenRecord(single.data.result, display), failure: null };
    return {
      ...base,
      ok: false,
      result: null,
      failure: {
        code: 'unexpected',
        message: `The answer to ${describe(item)} has an unexpected shape.`,
        status: answer.status_code,
        ambiguous: write,
      },
    };
  });
}
