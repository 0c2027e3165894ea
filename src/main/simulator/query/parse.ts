// Encoded query parser (docs/servicenow.md §3.2). Pure: it knows the grammar, not the tables. Parts it cannot
// read are dropped, the way an instance silently ignores an invalid part of a query.
//
// Grammar: groups separated by `^NQ` (OR of groups); inside a group, conditions separated by `^` (AND)
// or `^OR` (OR with the previous condition); `ORDERBY<col>` / `ORDERBYDESC<col>` anywhere; `^^` is a
// literal `^` in a value; a trailing `^EQ` is the end-of-query marker some UIs add.

export const OPERATORS = [
  '=',
  '!=',
  'IN',
  'NOTIN',
  'LIKE',
  'NOT LIKE',
  'STARTSWITH',
  'ENDSWITH',
  'ISEMPTY',
  'ISNOTEMPTY',
  '>',
  '>=',
  '<',
  '<=',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Condition {
  /** Column name, possibly dot-walked (`connection_alias.name`). */
  field: string;
  op: Operator;
  value: string;
}

/** Conditions OR-ed together. */
export type Clause = Condition[];
/** Clauses AND-ed together. */
export type Group = Clause[];

export interface OrderBy {
  field: string;
  desc: boolean;
}

export interface ParsedQuery {
  /** OR-ed (`^NQ`); an empty list matches every row. */
  groups: Group[];
  orderBy: OrderBy[];
}

// Longest first, so `NOTIN` wins over `IN`, `ISNOTEMPTY` over `ISEMPTY`, `!=` over `=`.
const OPERATOR_MATCH_ORDER: readonly Operator[] = [
  'ISNOTEMPTY',
  'ISEMPTY',
  'STARTSWITH',
  'ENDSWITH',
  'NOT LIKE',
  'NOTIN',
  'LIKE',
  'IN',
  '!=',
  '>=',
  '<=',
  '=',
  '>',
  '<',
];
const VALUELESS: ReadonlySet<Operator> = new Set(['ISEMPTY', 'ISNOTEMPTY']);
const FIELD = /^[a-z0-9_]+(?:\.[a-z0-9_]+)*/;

/** Splits on single `^`, turning `^^` into a literal `^`. */
function splitParts(query: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < query.length; i += 1) {
    const ch = query[i];
    if (ch === '^') {
      if (query[i + 1] === '^') {
        current += '^';
        i += 1;
        continue;
      }
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

export function parseCondition(part: string): Condition | null {
  const field = FIELD.exec(part)?.[0];
  if (!field) return null;
  const rest = part.slice(field.length);
  const op = OPERATOR_MATCH_ORDER.find((candidate) => rest.startsWith(candidate));
  if (!op) return null;
  const value = rest.slice(op.length);
  if (VALUELESS.has(op) && value !== '') return null;
  return { field, op, value };
}

export function parseQuery(query: string | null | undefined): ParsedQuery {
  const result: ParsedQuery = { groups: [], orderBy: [] };
  if (!query) return result;
  let group: Group = [];
  const closeGroup = (): void => {
    result.groups.push(group);
    group = [];
  };
  for (const raw of splitParts(query)) {
    const part = raw.trim();
    if (part === '' || part === 'EQ') continue;
    if (part.startsWith('ORDERBYDESC')) {
      const field = part.slice('ORDERBYDESC'.length);
      if (FIELD.test(field)) result.orderBy.push({ field, desc: true });
      continue;
    }
    if (part.startsWith('ORDERBY')) {
      const field = part.slice('ORDERBY'.length);
      if (FIELD.test(field)) result.orderBy.push({ field, desc: false });
      continue;
    }
    if (part.startsWith('NQ')) {
      closeGroup();
      const condition = parseCondition(part.slice(2));
      if (condition) group.push([condition]);
      continue;
    }
    if (part.startsWith('OR')) {
      const condition = parseCondition(part.slice(2));
      const previous = group.at(-1);
      if (condition && previous) previous.push(condition);
      else if (condition) group.push([condition]);
      continue;
    }
    const condition = parseCondition(part);
    if (condition) group.push([condition]);
  }
  closeGroup();
  // A query made only of ORDERBY parts (or of ignored parts) filters nothing.
  result.groups = result.groups.filter((g) => g.length > 0);
  return result;
}
