// Encoded query evaluator. Pure: the caller supplies how to read a (possibly dot-walked) field of a row.
// A condition on a field the resolver does not know (`undefined`) is ignored, as an instance ignores an
// invalid part of a query (docs/servicenow.md §3.2).
import type { Condition, OrderBy, ParsedQuery } from './parse';

/** Returns the field's stored value, or undefined when the table has no such field. */
export type FieldReader<R> = (row: R, field: string) => string | undefined;

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Evaluates one condition; `undefined` means the condition does not apply (unknown field). */
export function testCondition(actual: string | undefined, condition: Condition): boolean | undefined {
  if (actual === undefined) return undefined;
  const { op, value } = condition;
  switch (op) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    case 'IN':
      return value.split(',').includes(actual);
    case 'NOTIN':
      return !value.split(',').includes(actual);
    case 'LIKE':
      return actual.includes(value);
    case 'NOT LIKE':
      return !actual.includes(value);
    case 'STARTSWITH':
      return actual.startsWith(value);
    case 'ENDSWITH':
      return actual.endsWith(value);
    case 'ISEMPTY':
      return actual === '';
    case 'ISNOTEMPTY':
      return actual !== '';
    case '>':
      return compare(actual, value) > 0;
    case '>=':
      return compare(actual, value) >= 0;
    case '<':
      return compare(actual, value) < 0;
    case '<=':
      return compare(actual, value) <= 0;
  }
}

export function matches<R>(query: ParsedQuery, row: R, read: FieldReader<R>): boolean {
  if (query.groups.length === 0) return true;
  return query.groups.some((group) =>
    group.every((clause) => {
      const outcomes = clause.map((c) => testCondition(read(row, c.field), c)).filter((o) => o !== undefined);
      // Every condition of the clause was invalid: the clause is ignored.
      return outcomes.length === 0 || outcomes.some(Boolean);
    }),
  );
}

/** Stable sort by the ORDERBY parts; orderings on unknown fields are ignored. */
export function sortRows<R>(rows: readonly R[], orderBy: readonly OrderBy[], read: FieldReader<R>): R[] {
  const indexed = rows.map((row, index) => ({ row, index }));
  indexed.sort((x, y) => {
    for (const { field, desc } of orderBy) {
      const a = read(x.row, field);
      const b = read(y.row, field);
      if (a === undefined || b === undefined) continue;
      const c = compare(a, b);
      if (c !== 0) return desc ? -c : c;
    }
    return x.index - y.index;
  });
  return indexed.map((e) => e.row);
}
