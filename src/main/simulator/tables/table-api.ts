// The Table API (docs/servicenow.md §3): GET list / by sys_id, POST, PATCH, PUT, DELETE on
// /api/now/[v1|v2/]table/{table}[/{sys_id}]. Pure request → response over the database, so the Batch
// API runs its items through exactly this code (§7).
import type { Row, SimDatabase } from '../db/database';
import { tableExists } from '../db/schema';
import { isSysId } from '../db/ids';
import { parseQuery, type Condition, type ParsedQuery } from '../query/parse';
import { matches, sortRows } from '../query/evaluate';
import { failure, invalidTable, json, noRecord, type SimResponse } from '../http/response';
import type { Caller } from '../rules/caller';
import { aclDenial } from '../rules/acl';
import { canSee, visibleDomains } from '../rules/domains';
import { connectionRuleViolation } from '../rules/business-rules';
import { fieldsOf } from '../db/schema';
import { resolveField } from './fields';
import { coerceInput } from './input';
import { parseDisplayMode, parseFieldList, serializeRow, type SerializeOptions } from './serialize';
import { acceptsJson, isJsonContentType } from './headers';

export interface TableRequest {
  method: string;
  /** The path as requested, e.g. /api/now/v2/table/sys_alias (without the sys_id). */
  collectionPath: string;
  table: string;
  sysId: string | null;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: Buffer | null;
}

export interface TableContext {
  db: SimDatabase;
  baseUrl: string;
  caller: Caller;
}

const DEFAULT_LIMIT = 10000;

function flag(query: URLSearchParams, name: string): boolean {
  return query.get(name)?.toLowerCase() === 'true';
}

function serializeOptions(ctx: TableContext, query: URLSearchParams): SerializeOptions {
  return {
    fields: parseFieldList(query.get('sysparm_fields')),
    display: parseDisplayMode(query.get('sysparm_display_value')),
    excludeReferenceLink: flag(query, 'sysparm_exclude_reference_link'),
    baseUrl: ctx.baseUrl,
  };
}

/** name=value filter pairs, used when there is no sysparm_query (§3.2: the two are mutually exclusive). */
function filterPairs(query: URLSearchParams): ParsedQuery {
  const clause: Condition[][] = [];
  for (const [name, value] of query) {
    if (name.startsWith('sysparm_')) continue;
    clause.push([{ field: name, op: '=', value }]);
  }
  return { groups: clause.length ? [clause] : [], orderBy: [] };
}

function nonNegativeInt(raw: string | null, fallback: number): number {
  if (raw === null || !/^\d+$/.test(raw.trim())) return fallback;
  return Number(raw.trim());
}

function reader(db: SimDatabase, table: string) {
  return (row: Row, path: string): string | undefined => {
    const field = resolveField(db, table, row, path);
    return field?.value;
  };
}

/** Booleans compare as stored ("true"/"false") whether the query says true/1 or false/0. */
function normalizeBooleans(parsed: ParsedQuery, table: string): ParsedQuery {
  const defs = fieldsOf(table);
  const fix = (c: Condition): Condition => {
    if (defs[c.field]?.type !== 'boolean') return c;
    const value = c.value === '1' ? 'true' : c.value === '0' ? 'false' : c.value;
    return { ...c, value };
  };
  return { ...parsed, groups: parsed.groups.map((g) => g.map((clause) => clause.map(fix))) };
}

function linkHeader(
  ctx: TableContext,
  req: TableRequest,
  offset: number,
  limit: number,
  total: number,
): string {
  const at = (o: number): string => {
    const q = new URLSearchParams(req.query);
    q.set('sysparm_offset', String(o));
    q.set('sysparm_limit', String(limit));
    return `<${ctx.baseUrl}${req.collectionPath}?${q.toString()}>`;
  };
  const links = [`${at(0)};rel="first"`];
  if (limit > 0 && offset > 0) links.push(`${at(Math.max(0, offset - limit))};rel="prev"`);
  if (limit > 0 && offset + limit < total) links.push(`${at(offset + limit)};rel="next"`);
  const last = limit > 0 && total > 0 ? Math.floor((total - 1) / limit) * limit : 0;
  links.push(`${at(last)};rel="last"`);
  return links.join(',');
}

function visibleRow(ctx: TableContext, req: TableRequest): Row | undefined {
  if (!req.sysId || !isSysId(req.sysId)) return undefined;
  const row = ctx.db.get(req.table, req.sysId);
  const visibility = visibleDomains(ctx.db, ctx.caller, flag(req.query, 'sysparm_query_no_domain'));
  return row && canSee(visibility, row) ? row : undefined;
}

function list(ctx: TableContext, req: TableRequest): SimResponse {
  const visibility = visibleDomains(ctx.db, ctx.caller, flag(req.query, 'sysparm_query_no_domain'));
  const raw = req.query.get('sysparm_query');
  const parsed = normalizeBooleans(raw !== null ? parseQuery(raw) : filterPairs(req.query), req.table);
  const read = reader(ctx.db, req.table);
  const rows = sortRows(
    ctx.db.rows(req.table).filter((r) => canSee(visibility, r) && matches(parsed, r, read)),
    parsed.orderBy,
    read,
  );
  const offset = nonNegativeInt(req.query.get('sysparm_offset'), 0);
  const limit = nonNegativeInt(req.query.get('sysparm_limit'), DEFAULT_LIMIT);
  const page = rows.slice(offset, offset + limit);
  const options = serializeOptions(ctx, req.query);
  const headers: Record<string, string> = { 'X-Total-Count': String(rows.length) };
  if (!flag(req.query, 'sysparm_suppress_pagination_header')) {
    headers.Link = linkHeader(ctx, req, offset, limit, rows.length);
  }
  return json(200, { result: page.map((r) => serializeRow(ctx.db, req.table, r, options)) }, headers);
}

type BodyResult = { ok: true; value: Record<string, unknown> } | { ok: false; response: SimResponse };

function readBody(req: TableRequest): BodyResult {
  const text = req.body?.toString('utf8') ?? '';
  if (text.trim() === '') return { ok: true, value: {} };
  if (!isJsonContentType(req.headers['content-type'])) {
    return {
      ok: false,
      response: failure(400, 'Exception while reading request', 'Content-Type must be application/json'),
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      ok: false,
      response: failure(400, 'Exception while reading request', 'Cannot decode: invalid JSON'),
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    // §3.1: one record per call; multiple-record insertion is not supported.
    return {
      ok: false,
      response: failure(400, 'Exception while reading request', 'The payload must be a single JSON object'),
    };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function insert(ctx: TableContext, req: TableRequest): SimResponse {
  const body = readBody(req);
  if (!body.ok) return body.response;
  const inputDisplay = flag(req.query, 'sysparm_input_display_value');
  const fields = coerceInput(ctx.db, req.table, body.value, { inputDisplay, allowSysId: true });
  if (fields.sys_id && ctx.db.getAnywhere(fields.sys_id)) {
    return failure(403, 'Operation Failed', `Error during insert of ${req.table} (duplicate sys_id)`);
  }
  const prospective = { active: 'false', ...fields, sys_domain: fields.sys_domain || ctx.caller.domain };
  const violation = connectionRuleViolation(ctx.db, req.table, prospective);
  if (violation) return violation;
  const row = ctx.db.insert(req.table, fields, { user: ctx.caller.userName, domain: ctx.caller.domain });
  const options = serializeOptions(ctx, req.query);
  return json(
    201,
    { result: serializeRow(ctx.db, req.table, row, options) },
    { Location: `${ctx.baseUrl}/api/now/table/${req.table}/${row.sys_id}` },
  );
}

function update(ctx: TableContext, req: TableRequest): SimResponse {
  const current = visibleRow(ctx, req);
  if (!current) return noRecord();
  const body = readBody(req);
  if (!body.ok) return body.response;
  const inputDisplay = flag(req.query, 'sysparm_input_display_value');
  const fields = coerceInput(ctx.db, req.table, body.value, { inputDisplay, allowSysId: false });
  const violation = connectionRuleViolation(ctx.db, req.table, { ...current, ...fields }, current.sys_id);
  if (violation) return violation;
  const row = ctx.db.update(req.table, current.sys_id ?? '', fields, { user: ctx.caller.userName });
  if (!row) return noRecord();
  return json(200, { result: serializeRow(ctx.db, req.table, row, serializeOptions(ctx, req.query)) });
}

function remove(ctx: TableContext, req: TableRequest): SimResponse {
  const current = visibleRow(ctx, req);
  if (!current) return noRecord();
  ctx.db.delete(req.table, current.sys_id ?? '');
  return { status: 204, headers: {}, body: null };
}

function effectiveMethod(req: TableRequest): string {
  const override = req.headers['x-http-method-override']?.trim().toUpperCase();
  const method = req.method.toUpperCase();
  return method === 'POST' && override ? override : method;
}

const methodNotAllowed = (): SimResponse =>
  failure(405, 'Method not Supported', 'The requested method is not supported for this resource');

function dispatch(ctx: TableContext, req: TableRequest, method: string): SimResponse {
  if (method === 'GET' || method === 'HEAD') {
    const denial = aclDenial(ctx.caller, req.table, 'read');
    if (denial) return denial;
    if (req.sysId === null) return list(ctx, req);
    const row = visibleRow(ctx, req);
    if (!row) return noRecord();
    return json(200, { result: serializeRow(ctx.db, req.table, row, serializeOptions(ctx, req.query)) });
  }
  const operation = method === 'POST' ? 'insert' : method === 'DELETE' ? 'delete' : 'update';
  if (!['POST', 'PATCH', 'PUT', 'DELETE'].includes(method)) return methodNotAllowed();
  if ((method === 'POST') !== (req.sysId === null)) return methodNotAllowed();
  const denial = aclDenial(ctx.caller, req.table, operation);
  if (denial) return denial;
  if (method === 'POST') return insert(ctx, req);
  if (method === 'DELETE') return remove(ctx, req);
  return update(ctx, req);
}

export function handleTable(ctx: TableContext, req: TableRequest): SimResponse {
  if (!acceptsJson(req.headers.accept)) {
    return failure(400, 'Invalid Accept header', 'Accept must allow application/json');
  }
  if (!tableExists(req.table)) return invalidTable(req.table);
  const method = effectiveMethod(req);
  const response = dispatch(ctx, req, method);
  if (req.headers['x-no-response-body']?.toLowerCase() === 'true' && response.status < 300) {
    return { ...response, body: null };
  }
  if (method === 'HEAD') return { ...response, body: null };
  return response;
}
