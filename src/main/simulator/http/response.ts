// The simulator's internal answer type and the ServiceNow-shaped bodies (docs/servicenow.md §3.3).

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  /** null: no body at all (204, X-no-response-body). */
  body: string | null;
}

export const JSON_TYPE = 'application/json;charset=UTF-8';
export const HTML_TYPE = 'text/html;charset=UTF-8';

export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

/** `{"error":{"message","detail"},"status":"failure"}` */
export function failure(
  status: number,
  message: string,
  detail: string | null,
  headers: Record<string, string> = {},
): SimResponse {
  return json(status, { error: { message, detail }, status: 'failure' }, headers);
}

export function html(status: number, body: string, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'Content-Type': HTML_TYPE, ...headers }, body };
}

export const noRecord = (): SimResponse =>
  failure(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");

export const invalidTable = (table: string): SimResponse => failure(400, `Invalid table ${table}`, null);

export const notAResource = (): SimResponse =>
  failure(400, 'Requested URI does not represent any resource', null);

/** 401 for missing or bad credentials (docs/servicenow.md §3.3; the text is third-party observed, UNCERTAIN). */
export const notAuthenticated = (): SimResponse =>
  failure(401, 'User Not Authenticated', 'Required to provide Auth information', {
    'WWW-Authenticate': 'BASIC realm="Service-now"',
  });

export { escapeHtml } from '../../../shared/html';
