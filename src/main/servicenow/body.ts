// Reading a ServiceNow body without trusting it: JSON that may be followed by a second JSON object (a
// transaction-quota cancellation appended after a partly written result, docs/reliability.md §4.2), truncated
// JSON, or an HTML page (a hibernating developer instance, §4.4).
import { ErrorBodySchema, TokenErrorSchema } from './schemas';

export type BodyKind =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown; failure: InstanceFailure | null }
  | { kind: 'html'; hibernating: boolean }
  | { kind: 'garbled'; failure: InstanceFailure | null; hibernating: boolean };

/** The instance's own words about a failure, from `{"error":{message,detail},"status":"failure"}`. */
export interface InstanceFailure {
  message: string | null;
  detail: string | null;
}

const HIBERNATING = /hibernat/i;

export function inspectBody(text: string, contentType: string | undefined): BodyKind {
  const trimmed = text.trim();
  if (!trimmed) return { kind: 'empty' };
  if (/\btext\/html\b/i.test(contentType ?? '') || /^<(!doctype|html|head|body)\b/i.test(trimmed)) {
    return { kind: 'html', hibernating: HIBERNATING.test(trimmed) };
  }
  const { values, complete } = parseConcatenatedJson(trimmed);
  const first = values[0];
  if (complete && values.length > 0) {
    const failure = values.map(failureOf).find((f) => f !== null) ?? null;
    return { kind: 'json', value: values.length === 1 ? first : mergeObjects(values), failure };
  }
  return { kind: 'garbled', failure: failureFromText(trimmed), hibernating: HIBERNATING.test(trimmed) };
}

/**
 * `status: "failure"` or an `error` member marks a failed transaction, whatever the HTTP status said. The
 * Table API's `{"error":{message,detail}}` and the token endpoint's `{"error","error_description"}` are
 * both read through their zod schemas.
 */
export function failureOf(value: unknown): InstanceFailure | null {
  if (!isObject(value)) return null;
  if (value['status'] !== 'failure' && value['error'] === undefined) return null;
  const table = ErrorBodySchema.safeParse(value);
  if (table.success)
    return { message: table.data.error.message || null, detail: table.data.error.detail || null };
  const oauth = TokenErrorSchema.safeParse(value);
  if (oauth.success && (oauth.data.error_description || oauth.data.error)) {
    return { message: oauth.data.error_description || oauth.data.error || null, detail: null };
  }
  return { message: null, detail: null };
}

function failureFromText(text: string): InstanceFailure | null {
  if (!/"status"\s*:\s*"failure"|"error"\s*:/.test(text)) return null;
  // The last error object wins: the quota error is appended after whatever was written before it.
  const errorAt = text.lastIndexOf('"error"');
  const tail = errorAt >= 0 ? text.slice(errorAt) : text;
  return { message: quotedMember(tail, 'message'), detail: quotedMember(tail, 'detail') };
}

function quotedMember(text: string, name: string): string | null {
  const match = new RegExp(`"${name}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(text);
  if (!match?.[1]) return null;
  try {
    return JSON.parse(`"${match[1]}"`) as string;
  } catch {
    return match[1];
  }
}

/** Parses `{…}{…}` / `{…} {…}` sequences; `complete` is false when something unparsable remains. */
export function parseConcatenatedJson(text: string): { values: unknown[]; complete: boolean } {
  try {
    return { values: [JSON.parse(text)], complete: true };
  } catch {
    // fall through to the tolerant scan
  }
  const values: unknown[] = [];
  let index = 0;
  while (index < text.length) {
    while (index < text.length && /\s/.test(text.charAt(index))) index++;
    if (index >= text.length) break;
    const end = endOfValue(text, index);
    if (end < 0) return { values, complete: false };
    try {
      values.push(JSON.parse(text.slice(index, end)));
    } catch {
      return { values, complete: false };
    }
    index = end;
  }
  return { values, complete: values.length > 0 };
}

/** Index just past the object or array starting at `start`, or -1 when it never closes. */
function endOfValue(text: string, start: number): number {
  const open = text.charAt(start);
  if (open !== '{' && open !== '[') return -1;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text.charAt(i);
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function mergeObjects(values: unknown[]): unknown {
  return values.every(isObject) ? Object.assign({}, ...values) : values[0];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
