import { describe, expect, it } from 'vitest';
import { parseCondition, parseQuery } from '../../../src/main/simulator/query/parse';

describe('parseCondition', () => {
  it.each([
    ['name=abc', { field: 'name', op: '=', value: 'abc' }],
    ['name!=abc', { field: 'name', op: '!=', value: 'abc' }],
    ['idINa,b', { field: 'id', op: 'IN', value: 'a,b' }],
    ['idNOTINa,b', { field: 'id', op: 'NOTIN', value: 'a,b' }],
    ['nameLIKEExch', { field: 'name', op: 'LIKE', value: 'Exch' }],
    ['nameNOT LIKEExch', { field: 'name', op: 'NOT LIKE', value: 'Exch' }],
    ['nameSTARTSWITHMS', { field: 'name', op: 'STARTSWITH', value: 'MS' }],
    ['nameENDSWITH2', { field: 'name', op: 'ENDSWITH', value: '2' }],
    ['parentISEMPTY', { field: 'parent', op: 'ISEMPTY', value: '' }],
    ['parentISNOTEMPTY', { field: 'parent', op: 'ISNOTEMPTY', value: '' }],
    ['order>=100', { field: 'order', op: '>=', value: '100' }],
    ['order<5', { field: 'order', op: '<', value: '5' }],
    [
      'connection_alias.name=Microsoft_Exchange_Online',
      { field: 'connection_alias.name', op: '=', value: 'Microsoft_Exchange_Online' },
    ],
    ['name=a=b', { field: 'name', op: '=', value: 'a=b' }],
  ])('%s', (text, expected) => {
    expect(parseCondition(text)).toEqual(expected);
  });

  it.each(['=abc', 'nameBOGUSx', 'Name=x', 'parentISEMPTYjunk', '', '.name=x'])('rejects %j', (text) => {
    expect(parseCondition(text)).toBeNull();
  });
});

describe('parseQuery', () => {
  it('returns no groups for an empty or missing query', () => {
    expect(parseQuery('')).toEqual({ groups: [], orderBy: [] });
    expect(parseQuery(null)).toEqual({ groups: [], orderBy: [] });
  });

  it('ANDs on ^ and ORs on ^OR with the previous condition', () => {
    const q = parseQuery('active=true^name=a^ORname=b');
    expect(q.groups).toEqual([
      [
        [{ field: 'active', op: '=', value: 'true' }],
        [
          { field: 'name', op: '=', value: 'a' },
          { field: 'name', op: '=', value: 'b' },
        ],
      ],
    ]);
  });

  it('splits groups on ^NQ', () => {
    const q = parseQuery('name=a^active=true^NQname=b');
    expect(q.groups).toHaveLength(2);
    expect(q.groups[1]).toEqual([[{ field: 'name', op: '=', value: 'b' }]]);
  });

  it('reads ORDERBY and ORDERBYDESC anywhere, without mistaking them for ^OR', () => {
    const q = parseQuery('ORDERBYname^active=true^ORDERBYDESCsys_created_on');
    expect(q.orderBy).toEqual([
      { field: 'name', desc: false },
      { field: 'sys_created_on', desc: true },
    ]);
    expect(q.groups).toEqual([[[{ field: 'active', op: '=', value: 'true' }]]]);
  });

  it('treats ^^ as a literal caret in a value', () => {
    expect(parseQuery('name=a^^b').groups).toEqual([[[{ field: 'name', op: '=', value: 'a^b' }]]]);
  });

  it('drops unreadable parts and the ^EQ marker', () => {
    const q = parseQuery('nameBOGUSx^active=true^EQ');
    expect(q.groups).toEqual([[[{ field: 'active', op: '=', value: 'true' }]]]);
  });

  it('keeps ORDERBY-only queries filter-free', () => {
    expect(parseQuery('ORDERBYname').groups).toEqual([]);
  });
});
