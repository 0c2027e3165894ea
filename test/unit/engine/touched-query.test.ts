// The pre-write re-read, the settling re-read and the verification ask each table for the records an apply
// touches (src/main/engine/touched.ts): the known ones by sys_id, the ones it creates by name, in one encoded
// query per table. The read is capped (100 rows), so a query that asked for less, or for the whole table,
// would miss a touched record on a customer instance with many connections and report it gone.
import { describe, expect, it } from 'vitest';
import { touchedQueries, touchedQueryString } from '../../../src/main/engine/touched';
import type { WritableAction } from '../../../src/shared/domain/plan';

const action = (over: Partial<WritableAction> & Pick<WritableAction, 'id' | 'table' | 'op' | 'name'>) =>
  ({ sysId: null, body: {}, changes: {}, notes: [], ...over }) as unknown as WritableAction;

const CONN = 'http_connection';
const CRED = 'oauth_2_0_credentials';

describe('the records an apply touches, per table', () => {
  it('are the known ones by sys_id and the created ones by name, with the sys_ids a resumed apply learnt', () => {
    const queries = touchedQueries(
      [
        action({ id: 'credential:main', table: CRED, op: 'create', name: 'Cred A' }),
        action({ id: 'connection:main', table: CONN, op: 'update', name: 'Conn A', sysId: 'c1' }),
        action({ id: 'connection:clientCred', table: CONN, op: 'create', name: 'Conn B' }),
      ],
      new Map([
        ['connection:clientCred', 'c2'],
        ['credential:main', null],
      ]),
    );
    expect(queries.map((q) => [q.table, [...q.sysIds], [...q.names]])).toEqual([
      [CRED, [], ['Cred A']],
      [CONN, ['c1', 'c2'], ['Conn B']],
    ]);
  });

  it('leave out a table with nothing to find (an update without its sys_id is not read by name)', () => {
    const queries = touchedQueries([action({ id: 'x', table: CONN, op: 'update', name: 'Conn A' })]);
    expect(queries).toEqual([]);
  });
});

describe('the query of one table', () => {
  it('finds the known records or the new ones: sys_idIN…^NQnameIN…', () => {
    const q = { table: CONN, sysIds: new Set(['c1', 'c2']), names: new Set(['Conn B', 'Conn C']) };
    expect(touchedQueryString(q)).toBe('sys_idINc1,c2^NQnameINConn B,Conn C');
    expect(touchedQueryString({ ...q, names: new Set() })).toBe('sys_idINc1,c2');
    expect(touchedQueryString({ ...q, sysIds: new Set() })).toBe('nameINConn B,Conn C');
  });

  it('matches a name holding a comma with = (IN would split it), and escapes ^ in names', () => {
    const q = { table: CONN, sysIds: new Set<string>(), names: new Set(['a,b', 'plain', 'x^y']) };
    expect(touchedQueryString(q)).toBe('nameINplain,x^^y^NQname=a,b');
  });
});
