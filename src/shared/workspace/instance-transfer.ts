// Import and export of the instance list, as CSV (for spreadsheets) or JSON. Never secrets: a
// secret-looking column or key refuses the whole import. Bad rows are reported with their row number
// and field; good rows are returned so the caller can decide to import them. Pure.
import { parseCsv, writeCsv } from './csv';
import { instanceIdFromUrl, normalizeWorkspaceUrl } from './instance-id';
import { InstanceIdSchema, TemplateNameSchema, VariableNameSchema, type InstanceEntry } from './schemas';
import { looksLikeSecret, secretRefusal } from './secret-fields';

/** One instance as imported or exported: the shareable fields, no timestamps, no status. */
export interface InstanceTransferRow {
  id?: string;
  name: string;
  url: string;
  authMethod: 'basic' | 'oauth';
  username: string;
  clientId?: string;
  isDemo?: boolean;
  tags?: string[];
  template?: string;
  variables?: Record<string, string>;
}

export interface TransferError {
  /** CSV: the spreadsheet row (the header is row 1). JSON: the 1-based position in the list. 0: the file. */
  row: number;
  field: string;
  message: string;
}

export interface InstanceImportResult {
  rows: Array<{ row: number; instance: InstanceTransferRow }>;
  errors: TransferError[];
  /** Set when the file was refused as a whole (e.g. a secret column); then rows is empty. */
  refused: string | null;
}

export const INSTANCE_LIST_KIND = 'spokesmith.instance-list';
const BASE_COLUMNS = [
  'id',
  'name',
  'url',
  'authMethod',
  'username',
  'clientId',
  'isDemo',
  'tags',
  'template',
];
const VARIABLE_PREFIX = 'var:';
/** Spreadsheet-friendly spellings people type in headers. */
const COLUMN_ALIASES: Record<string, string> = {
  instance: 'url',
  instanceurl: 'url',
  host: 'url',
  auth: 'authMethod',
  authmethod: 'authMethod',
  user: 'username',
  username: 'username',
  user_name: 'username',
  clientid: 'clientId',
  client_id: 'clientId',
  isdemo: 'isDemo',
};

// --- Export ---

export function toTransferRow(entry: InstanceEntry): InstanceTransferRow {
  const row: InstanceTransferRow = {
    id: entry.id,
    name: entry.name,
    url: entry.url,
    authMethod: entry.authMethod,
    username: entry.username,
  };
  if (entry.clientId) row.clientId = entry.clientId;
  if (entry.isDemo) row.isDemo = true;
  if (entry.tags?.length) row.tags = entry.tags;
  if (entry.template) row.template = entry.template;
  if (entry.variables && Object.keys(entry.variables).length) row.variables = entry.variables;
  return row;
}

export function exportInstancesJson(entries: readonly InstanceEntry[]): string {
  return `${JSON.stringify({ kind: INSTANCE_LIST_KIND, version: 1, instances: entries.map(toTransferRow) }, null, 2)}\n`;
}

export function exportInstancesCsv(entries: readonly InstanceEntry[]): string {
  const variableNames = [...new Set(entries.flatMap((e) => Object.keys(e.variables ?? {})))].sort();
  const header = [...BASE_COLUMNS, ...variableNames.map((v) => VARIABLE_PREFIX + v)];
  const rows = entries.map((e) => [
    e.id,
    e.name,
    e.url,
    e.authMethod,
    e.username,
    e.clientId ?? '',
    e.isDemo ? 'true' : '',
    (e.tags ?? []).join(';'),
    e.template ?? '',
    ...variableNames.map((v) => e.variables?.[v] ?? ''),
  ]);
  return writeCsv([header, ...rows]);
}

// --- Import ---

export function importInstancesCsv(text: string): InstanceImportResult {
  const parsed = parseCsv(text);
  const errors: TransferError[] = parsed.errors.map((e) => ({
    row: e.row,
    field: '(row)',
    message: e.message,
  }));
  const [header, ...records] = parsed.records;
  if (!header)
    return {
      rows: [],
      errors: [...errors, fileError('The file is empty: it needs a header row.')],
      refused: null,
    };

  const columns = header.fields.map((raw) => raw.trim());
  const secret = columns.find(looksLikeSecret);
  if (secret !== undefined) return refuse(secretRefusal(secret, 'Column'));
  const keys = columns.map(columnKey);
  for (const [index, key] of keys.entries()) {
    if (key === null) {
      errors.push({
        row: 1,
        field: columns[index] || `column ${index + 1}`,
        message: `Unknown column "${columns[index]}": use ${BASE_COLUMNS.join(', ')} or var:<name> for a template variable.`,
      });
    }
  }
  const duplicate = keys.find((k, i) => k !== null && keys.indexOf(k) !== i);
  if (duplicate) errors.push({ row: 1, field: duplicate, message: `Column "${duplicate}" appears twice.` });
  if (errors.some((e) => e.row === 1)) return { rows: [], errors, refused: null };

  const objects = records.map((record) => {
    const object: Record<string, unknown> = {};
    const variables: Record<string, string> = {};
    record.fields.forEach((value, index) => {
      const key = keys[index];
      if (!key || value.trim() === '') return;
      if (key.startsWith(VARIABLE_PREFIX)) variables[key.slice(VARIABLE_PREFIX.length)] = value;
      else if (key === 'tags')
        object.tags = value
          .split(';')
          .map((t) => t.trim())
          .filter(Boolean);
      else object[key] = value.trim();
    });
    if (Object.keys(variables).length) object.variables = variables;
    if (record.fields.length > keys.length) {
      errors.push({
        row: record.row,
        field: '(row)',
        message: `The row has ${record.fields.length} fields; the header has ${keys.length}.`,
      });
    }
    return { row: record.row, object };
  });
  return validateAll(objects, errors);
}

export function importInstancesJson(text: string): InstanceImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      rows: [],
      errors: [fileError(`The file is not valid JSON (${(error as Error).message}).`)],
      refused: null,
    };
  }
  const list = Array.isArray(data) ? data : isObject(data) ? data.instances : undefined;
  if (!Array.isArray(list)) {
    return {
      rows: [],
      errors: [fileError('Expected a list of instances, or an object with "instances".')],
      refused: null,
    };
  }
  const secretKey = findSecretKey(data);
  if (secretKey) return refuse(secretRefusal(secretKey, 'Key'));
  const errors: TransferError[] = [];
  const objects = list.map((item: unknown, index) => {
    if (!isObject(item)) {
      errors.push({ row: index + 1, field: '(row)', message: 'Each instance must be an object.' });
      return { row: index + 1, object: null };
    }
    for (const key of Object.keys(item)) {
      if (!BASE_COLUMNS.includes(key) && key !== 'variables') {
        errors.push({ row: index + 1, field: key, message: `Unknown field "${key}".` });
      }
    }
    return { row: index + 1, object: item };
  });
  return validateAll(objects, errors);
}

function validateAll(
  objects: Array<{ row: number; object: Record<string, unknown> | null }>,
  errors: TransferError[],
): InstanceImportResult {
  const rows: InstanceImportResult['rows'] = [];
  const seenIds = new Map<string, number>();
  const seenUrls = new Map<string, number>();
  for (const { row, object } of objects) {
    if (!object || errors.some((e) => e.row === row)) continue;
    const rowErrors: TransferError[] = [];
    const fail = (field: string, message: string) => rowErrors.push({ row, field, message });
    const text = (field: string): string | undefined => {
      const value = object[field];
      if (value === undefined || value === null || value === '') return undefined;
      if (typeof value !== 'string') {
        fail(field, `${field} must be text.`);
        return undefined;
      }
      return value.trim();
    };

    const name = text('name');
    if (!name) fail('name', 'name is required.');
    else if (name.length > 80) fail('name', 'name must be at most 80 characters.');
    const rawUrl = text('url');
    const url = rawUrl ? normalizeWorkspaceUrl(rawUrl) : null;
    if (!rawUrl) fail('url', 'url is required (e.g. https://acme.service-now.com).');
    else if (!url) fail('url', `"${rawUrl}" is not an instance URL (https, or http on this computer only).`);
    const authRaw = text('authMethod') ?? 'basic';
    const authMethod = authRaw.toLowerCase();
    if (authMethod !== 'basic' && authMethod !== 'oauth')
      fail('authMethod', `authMethod must be basic or oauth, not "${authRaw}".`);
    const username = text('username');
    if (!username) fail('username', 'username is required.');
    const clientId = text('clientId');
    if (authMethod === 'oauth' && !clientId)
      fail('clientId', 'clientId is required when authMethod is oauth.');
    let id = text('id');
    if (id !== undefined && !InstanceIdSchema.safeParse(id).success) {
      fail('id', `id "${id}" must be lowercase letters, digits and dashes.`);
      id = undefined;
    }
    const template = text('template');
    if (template !== undefined && !TemplateNameSchema.safeParse(template).success) {
      fail('template', `template "${template}" is not a valid template name.`);
    }
    const isDemo = parseBool(object.isDemo);
    if (isDemo === null) fail('isDemo', 'isDemo must be true or false.');
    const tags = parseTags(object.tags);
    if (tags === null) fail('tags', 'tags must be a list of words (in CSV: separated by ;).');
    const variables = parseVariables(object.variables, fail);

    if (url) {
      const finalId = id ?? safeId(url);
      const idRow = finalId ? seenIds.get(finalId) : undefined;
      if (idRow) fail(id ? 'id' : 'url', `Same instance id "${finalId}" as row ${idRow}.`);
      const urlRow = seenUrls.get(url);
      if (urlRow) fail('url', `Same URL as row ${urlRow}.`);
      if (finalId) seenIds.set(finalId, row);
      seenUrls.set(url, row);
    }
    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }
    const instance: InstanceTransferRow = {
      name: name!,
      url: url!,
      authMethod: authMethod as 'basic' | 'oauth',
      username: username!,
    };
    if (id) instance.id = id;
    if (clientId) instance.clientId = clientId;
    if (isDemo) instance.isDemo = true;
    if (tags?.length) instance.tags = tags;
    if (template) instance.template = template;
    if (variables && Object.keys(variables).length) instance.variables = variables;
    rows.push({ row, instance });
  }
  errors.sort((a, b) => a.row - b.row);
  return { rows, errors, refused: null };
}

function columnKey(column: string): string | null {
  if (column.toLowerCase().startsWith(VARIABLE_PREFIX)) {
    const name = column.slice(VARIABLE_PREFIX.length).trim();
    return VariableNameSchema.safeParse(name).success ? VARIABLE_PREFIX + name : null;
  }
  if (BASE_COLUMNS.includes(column)) return column;
  return COLUMN_ALIASES[column.toLowerCase().replace(/\s+/g, '')] ?? null;
}

function parseBool(value: unknown): boolean | null {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|yes|1)$/i.test(value.trim())) return true;
  if (typeof value === 'string' && /^(false|no|0)$/i.test(value.trim())) return false;
  return null;
}

function parseTags(value: unknown): string[] | null {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((t) => typeof t === 'string')) {
    return value.map((t: string) => t.trim()).filter(Boolean);
  }
  return null;
}

function parseVariables(
  value: unknown,
  fail: (field: string, message: string) => void,
): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    fail('variables', 'variables must be an object of name → text.');
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!VariableNameSchema.safeParse(name).success)
      fail(`variables.${name}`, `"${name}" is not a valid variable name.`);
    else if (typeof v !== 'string') fail(`variables.${name}`, `variable ${name} must be text.`);
    else out[name] = v;
  }
  return out;
}

function findSecretKey(value: unknown, depth = 0): string | null {
  if (depth > 4 || !value || typeof value !== 'object') return null;
  for (const [key, v] of Object.entries(value)) {
    if (!Array.isArray(value) && looksLikeSecret(key)) return key;
    const nested = findSecretKey(v, depth + 1);
    if (nested) return nested;
  }
  return null;
}

function safeId(url: string): string | null {
  try {
    return instanceIdFromUrl(url);
  } catch {
    return null;
  }
}

const fileError = (message: string): TransferError => ({ row: 0, field: '(file)', message });
const refuse = (message: string): InstanceImportResult => ({
  rows: [],
  errors: [fileError(message)],
  refused: message,
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
