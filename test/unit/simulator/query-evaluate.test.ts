import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../../src/main/simulator/query/parse';
import { matches, sortRows, testCondition } from '../../../src/main/simulator/query/evaluate';

type R = Record<string, string>;
const rows: R[] = [
  { name: 'MS Graph 1', active: 'true', order: '100', parent: '', alias: 'a1' },
  { name: 'MS Graph 2', active: 'false', order: '20', parent: 'p', alias: 'a2' },
  { name: 'Exchange_Online_Connection', active: 'true', order: '3', parent: '', alias: 'a1' },
];
const aliases: Record<string, R> = { a1: { name: 'Main' }, a2: { name: 'Child' } };
// A reader that knows the fields above plus one dot-walk through `alias`.
const read = (row: R, field: string): string | undefined => {
  if (field === 'alias.name') return aliases[row.alias ?? '']?.name ?? '';
  return field in row ? row[field] : undefined;
};
const names = (query: string): string[] =>
  sortRows(
    rows.filter((r) => matches(parseQuery(query), r, read)),
    parseQuery(query).orderBy,
    read,
  ).map((r) => r.name ?? '');

describe('testCondition', () => {
  it('answers undefined for an unknown field', () => {
    expect(testCondition(undefined, { field: 'x', op: '=', value: 'a' })).toBeUndefined();
  });
  it('compares numbers numerically and strings lexically', () => {
    expect(testCondition('100', { field: 'o', op: '>', value: '20' })).toBe(true);
    expect(testCondition('b', { field: 'o', op: '>', value: 'a' })).toBe(true);
    expect(testCondition('3', { field: 'o', op: '<=', value: '3' })).toBe(true);
  });
});

describe('matches', () => {
  it.each([
    ['active=true', ['MS Graph 1', 'Exchange_Online_Connection']],
    ['active!=true', ['MS Graph 2']],
    ['nameINMS Graph 1,MS Graph 2', ['MS Graph 1', 'MS Graph 2']],
    ['nameNOTINMS Graph 1,MS Graph 2', ['Exchange_Online_Connection']],
    ['nameLIKEGraph', ['MS Graph 1', 'MS Graph 2']],
    ['nameNOT LIKEGraph', ['Exchange_Online_Connection']],
    ['nameSTARTSWITHExchange', ['Exchange_Online_Connection']],
    ['nameENDSWITH2', ['MS Graph 2']],
    ['parentISEMPTY', ['MS Graph 1', 'Exchange_Online_Connection']],
    ['parentISNOTEMPTY', ['MS Graph 2']],
    ['order>=20', ['MS Graph 1', 'MS Graph 2']],
    ['order<20', ['Exchange_Online_Connection']],
    ['name=MS Graph 1^ORname=MS Graph 2', ['MS Graph 1', 'MS Graph 2']],
    ['active=true^name=MS Graph 2^ORname=MS Graph 1', ['MS Graph 1']],
    ['name=MS Graph 2^NQactive=true^order<50', ['MS Graph 2', 'Exchange_Online_Connection']],
    ['alias.name=Main', ['MS Graph 1', 'Exchange_Online_Connection']],
    ['alias.nameINChild', ['MS Graph 2']],
    ['name=mS gRAPH 1', []],
  ])('%s', (query, expected) => {
    expect(names(query)).toEqual(expected);
  });

  it('ignores conditions on unknown columns (a real instance returns every row)', () => {
    expect(names('bogus_column=1')).toHaveLength(3);
    expect(names('bogus_column=1^active=false')).toEqual(['MS Graph 2']);
  });

  it('ignores a bad operator', () => {
    expect(names('nameBOGUSx^active=false')).toEqual(['MS Graph 2']);
  });
});

describe('sortRows', () => {
  it('orders by ORDERBY and ORDERBYDESC, numbers numerically, stable on ties', () => {
    expect(names('ORDERBYorder')).toEqual(['Exchange_Online_Connection', 'MS Graph 2', 'MS Graph 1']);
    expect(names('ORDERBYDESCorder')).toEqual(['MS Graph 1', 'MS Graph 2', 'Exchange_Online_Connection']);
    expect(names('ORDERBYactive^ORDERBYDESCname')).toEqual([
      'MS Graph 2',
      'MS Graph 1',
      'Exchange_Online_Connection',
    ]);
  });
  it('ignores ordering on an unknown field', () => {
    expect(names('ORDERBYbogus')).toEqual(rows.map((r) => r.name));
  });
});
