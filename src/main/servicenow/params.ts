// Table API query parameters (docs/servicenow.md §3.2) and the relative URLs the Batch API takes.

export interface ListParams {
  query?: string;
  fields?: readonly string[];
  /** Default 1000; the Table API's own default (10 000) is too large for one answer. */
  limit?: number;
  offset?: number;
  displayValue?: boolean | 'all';
  /** Default true: references come back as plain sys_ids. */
  excludeReferenceLink?: boolean;
  noDomain?: boolean;
}

export interface WriteParams {
  /** Required to set encrypted (password2) fields (docs/servicenow.md §3.7). */
  inputDisplayValue?: boolean;
  fields?: readonly string[];
  noDomain?: boolean;
}

export const DEFAULT_LIMIT = 1000;

const TABLE_NAME = /^[a-z][a-z0-9_]*$/i;
const SYS_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export function checkTable(table: string): string {
  if (!TABLE_NAME.test(table)) throw new TypeError(`Not a table name: ${JSON.stringify(table)}`);
  return table;
}

export function checkSysId(sysId: string): string {
  if (!SYS_ID.test(sysId)) throw new TypeError(`Not a sys_id: ${JSON.stringify(sysId)}`);
  return sysId;
}

export function tablePath(table: string, sysId?: string): string {
  return `/api/now/table/${checkTable(table)}${sysId === undefined ? '' : `/${checkSysId(sysId)}`}`;
}

export function listSearch(params: ListParams = {}, withPaging = true): URLSearchParams {
  const search = new URLSearchParams();
  if (params.query) search.set('sysparm_query', params.query);
  if (params.fields?.length) search.set('sysparm_fields', params.fields.join(','));
  if (withPaging) {
    search.set('sysparm_limit', String(params.limit ?? DEFAULT_LIMIT));
    if (params.offset) search.set('sysparm_offset', String(params.offset));
  }
  if (params.displayValue !== undefined) search.set('sysparm_display_value', String(params.displayValue));
  search.set('sysparm_exclude_reference_link', String(params.excludeReferenceLink ?? true));
  if (params.noDomain) search.set('sysparm_query_no_domain', 'true');
  return search;
}

export function writeSearch(params: WriteParams = {}): URLSearchParams {
  const search = new URLSearchParams();
  if (params.inputDisplayValue) search.set('sysparm_input_display_value', 'true');
  if (params.fields?.length) search.set('sysparm_fields', params.fields.join(','));
  search.set('sysparm_exclude_reference_link', 'true');
  if (params.noDomain) search.set('sysparm_query_no_domain', 'true');
  return search;
}

/** A delete's parameters: in the scope discovery read the record in (query_no_domain), as an update's. */
export function deleteSearch(): URLSearchParams {
  return new URLSearchParams({ sysparm_query_no_domain: 'true' });
}

/** A relative Table API URL for a Batch API item, e.g. `tableUrl('sys_alias', { query: 'name=x' })`. */
export function tableUrl(table: string, params?: ListParams & { sysId?: string }): string {
  const search = listSearch(params, params?.sysId === undefined);
  return `${tablePath(table, params?.sysId)}?${search.toString()}`;
}

/** Escapes a value for an encoded query: `^` separates terms, `^^` is a literal caret. */
export function queryValue(value: string): string {
  return value.replace(/\^/g, '^^');
}
