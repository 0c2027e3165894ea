// The Batch API (docs/servicenow.md §7): POST /api/now/v1/batch. Items run one after another through the same
// Table API code; bodies travel base64-encoded; every item run is in serviced_requests, items not run
// (the batch ran past its time limit) are listed in unserviced_requests. Each item takes the same
// path as a single request (handleTable: ACLs, business rules, unique names), so an item's refusal is
// its own status and the items after it still run; faults on the whole HTTP request are the handler's.
import { STATUS_CODES } from 'node:http';
import { immediateFaultResponse } from '../faults/responses';
import { failure, json, notAResource, type SimResponse } from '../http/response';
import { classify } from '../http/routes';
import { handleTable, type TableContext } from '../tables/table-api';
import { isJsonContentType } from '../tables/headers';
import type { BatchItemLogEntry, FaultSpec } from '../types';

interface BatchItem {
  id?: unknown;
  method?: unknown;
  url?: unknown;
  headers?: unknown;
  body?: unknown;
  exclude_response_headers?: unknown;
}

export interface BatchOptions {
  /** The "REST Batch API request timeout" quota (30 s). */
  timeLimitMs: number;
  /** Time each item takes on the instance (lets tests drive a batch past its time limit). */
  itemLatencyMs: number;
  /** The item-level fault (a business rule's or ACL's refusal) aimed at this item, if any. */
  itemFault?: (target: { method: string; table: string | null; path: string }) => FaultSpec | null;
}

/** What each item of a batch body targets (for fault matching and the request log); [] if unreadable. */
export function batchTargets(body: Buffer | null): BatchItemLogEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body?.toString('utf8') ?? '');
  } catch {
    return [];
  }
  const items = (parsed as { rest_requests?: unknown } | null)?.rest_requests;
  if (!Array.isArray(items)) return [];
  return items.map((raw: unknown) => {
    const item = (typeof raw === 'object' && raw !== null ? raw : {}) as BatchItem;
    const method = typeof item.method === 'string' ? item.method.toUpperCase() : '';
    let url: URL | null = null;
    try {
      url = typeof item.url === 'string' ? new URL(item.url, 'http://batch.invalid') : null;
    } catch {
      url = null;
    }
    const path = url?.pathname ?? '';
    const query = Object.fromEntries(url?.searchParams ?? []);
    const route = classify(path);
    return {
      method,
      table: route.kind === 'table' ? route.table : null,
      path,
      query,
      fields: bodyFields(item.body),
      status: 0,
    };
  });
}

/** The names of the fields an item's body carries (base64 JSON), never their values; [] when none. */
function bodyFields(body: unknown): string[] {
  if (typeof body !== 'string' || body === '') return [];
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.keys(parsed) : [];
  } catch {
    return [];
  }
}

function headerList(raw: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (!Array.isArray(raw)) return out;
  for (const h of raw as { name?: unknown; value?: unknown }[]) {
    if (typeof h?.name === 'string' && typeof h.value === 'string') out[h.name.toLowerCase()] = h.value;
  }
  return out;
}

function runItem(ctx: TableContext, item: BatchItem, options: BatchOptions): SimResponse {
  if (typeof item.method !== 'string' || typeof item.url !== 'string') {
    return failure(400, 'Invalid batch request item', 'method and url are required');
  }
  let url: URL;
  try {
    url = new URL(item.url, 'http://batch.invalid');
  } catch {
    return notAResource();
  }
  const route = classify(url.pathname);
  if (route.kind !== 'table') return notAResource();
  const fault = options.itemFault?.({
    method: item.method.toUpperCase(),
    table: route.table,
    path: url.pathname,
  });
  const refused = fault ? immediateFaultResponse(fault) : null;
  if (refused) return refused;
  const body = typeof item.body === 'string' && item.body !== '' ? Buffer.from(item.body, 'base64') : null;
  const headers = {
    accept: 'application/json',
    'content-type': 'application/json',
    ...headerList(item.headers),
  };
  return handleTable(ctx, {
    method: item.method,
    collectionPath: route.collectionPath,
    table: route.table,
    sysId: route.sysId,
    query: url.searchParams,
    headers,
    body,
  });
}

export async function handleBatch(
  ctx: TableContext,
  contentType: string | undefined,
  body: Buffer | null,
  options: BatchOptions,
): Promise<{ response: SimResponse; items: number; statuses: number[] }> {
  if (!isJsonContentType(contentType)) {
    return {
      response: failure(400, 'Exception while reading request', 'Content-Type must be application/json'),
      items: 0,
      statuses: [],
    };
  }
  let parsed: { batch_request_id?: unknown; rest_requests?: unknown };
  try {
    parsed = JSON.parse(body?.toString('utf8') ?? '') as typeof parsed;
  } catch {
    return {
      response: failure(400, 'Exception while reading request', 'Cannot decode: invalid JSON'),
      items: 0,
      statuses: [],
    };
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.rest_requests)) {
    return {
      response: failure(400, 'Exception while reading request', 'rest_requests is required'),
      items: 0,
      statuses: [],
    };
  }
  const items = parsed.rest_requests as BatchItem[];
  const started = Date.now();
  const serviced: unknown[] = [];
  const unserviced: string[] = [];
  const statuses: number[] = [];
  for (const item of items) {
    const id = typeof item?.id === 'string' || typeof item?.id === 'number' ? String(item.id) : '';
    if (Date.now() - started > options.timeLimitMs) {
      unserviced.push(id);
      statuses.push(0);
      continue;
    }
    const itemStarted = Date.now();
    if (options.itemLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, options.itemLatencyMs));
    const r = runItem(ctx, typeof item === 'object' && item !== null ? item : {}, options);
    statuses.push(r.status);
    serviced.push({
      id,
      status_code: r.status,
      status_text: STATUS_CODES[r.status] ?? '',
      body: r.body === null ? '' : Buffer.from(r.body, 'utf8').toString('base64'),
      ...(item?.exclude_response_headers === true
        ? {}
        : { headers: Object.entries(r.headers).map(([name, value]) => ({ name, value })) }),
      execution_time: Date.now() - itemStarted,
      ...(r.status >= 400 ? { error_message: STATUS_CODES[r.status] ?? 'Error' } : {}),
    });
  }
  const requestId = typeof parsed.batch_request_id === 'string' ? parsed.batch_request_id : '';
  return {
    response: json(200, {
      batch_request_id: requestId,
      serviced_requests: serviced,
      unserviced_requests: unserviced,
    }),
    items: items.length,
    statuses,
  };
}
