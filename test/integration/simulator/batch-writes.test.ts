// Batched writes on the embedded instance (docs/servicenow.md §7): items run in order through the same
// Table API path as single requests, so business rules refuse one item (its own status) and the items
// after it still run; faults on the HTTP request hit the whole batch that carries a matching item.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, spokeIds, type FaultSpec, type Simulator } from '../../../src/main/simulator';
import { basic, call } from './http';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario: 'credentials' });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset('credentials');
  sim.faults.clear();
  sim.clearLog();
});

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');
const unb64 = (value: string): unknown => JSON.parse(Buffer.from(value, 'base64').toString('utf8'));

const postConnection = (id: string, body: Record<string, string>) => ({
  id,
  method: 'POST',
  url: '/api/now/table/http_connection?sysparm_exclude_reference_link=true',
  headers: [{ name: 'Content-Type', value: 'application/json' }],
  body: b64(body),
});
const connectionsNamed = (name: string) => sim.db.filter('http_connection', (c) => c.name === name);

function batch(rest_requests: unknown[]) {
  return call(sim, 'POST', '/api/now/v1/batch', { body: { batch_request_id: 'w', rest_requests } });
}

/** The same POST with a deadline, for faults that never answer. */
function batchWithin(ms: number, rest_requests: unknown[]): Promise<Response> {
  return fetch(`${sim.url}/api/now/v1/batch`, {
    method: 'POST',
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      Authorization: basic(sim.users.admin),
    },
    body: JSON.stringify({ batch_request_id: 'w', rest_requests }),
    signal: AbortSignal.timeout(ms),
  });
}

describe('batched writes', () => {
  it('run in order under the same business rules: a refused item has its own 403, later items still run', async () => {
    const alias = spokeIds.alias('main');
    const r = await batch([
      postConnection('1', { name: 'first', active: 'true', connection_alias: alias }),
      // Same name: the unique-name rule.
      postConnection('2', { name: 'first', active: 'false' }),
      // A second active connection on the alias: the one-active-per-alias rule.
      postConnection('3', { name: 'second', active: 'true', connection_alias: alias }),
      postConnection('4', { name: 'third', active: 'false', connection_alias: alias }),
    ]);
    expect(r.status).toBe(200);
    const answers = r.json.serviced_requests as { id: string; status_code: number; body: string }[];
    expect(answers.map((a) => [a.id, a.status_code])).toEqual([
      ['1', 201],
      ['2', 403],
      ['3', 403],
      ['4', 201],
    ]);
    expect(JSON.stringify(unb64(answers[1]!.body))).toMatch(/Unique connection name/);
    expect(JSON.stringify(unb64(answers[2]!.body))).toMatch(/single active connection/);
    expect(connectionsNamed('first')).toHaveLength(1);
    expect(connectionsNamed('second')).toHaveLength(0);
    expect(connectionsNamed('third')).toHaveLength(1);
    // The log keeps each item with its status.
    expect(sim.log[0]?.items?.map((i) => `${i.method} ${i.table} ${i.status}`)).toEqual([
      'POST http_connection 201',
      'POST http_connection 403',
      'POST http_connection 403',
      'POST http_connection 201',
    ]);
  });

  it('an item sees what the items before it wrote (deactivate, then activate another)', async () => {
    const alias = spokeIds.alias('main');
    const created = await call(sim, 'POST', '/api/now/table/http_connection', {
      body: { name: 'old', active: 'true', connection_alias: alias },
    });
    const oldId = created.json.result.sys_id as string;
    const r = await batch([
      {
        id: 'off',
        method: 'PATCH',
        url: `/api/now/table/http_connection/${oldId}`,
        body: b64({ active: 'false' }),
      },
      postConnection('new', { name: 'new', active: 'true', connection_alias: alias }),
    ]);
    expect(r.json.serviced_requests.map((a: { status_code: number }) => a.status_code)).toEqual([200, 201]);
    // In the other order the rule would have refused the new one.
    sim.reset('credentials');
    const again = await call(sim, 'POST', '/api/now/table/http_connection', {
      body: { name: 'old', active: 'true', connection_alias: alias },
    });
    const r2 = await batch([
      postConnection('new', { name: 'new', active: 'true', connection_alias: alias }),
      {
        id: 'off',
        method: 'PATCH',
        url: `/api/now/table/http_connection/${again.json.result.sys_id as string}`,
        body: b64({ active: 'false' }),
      },
    ]);
    expect(r2.json.serviced_requests.map((a: { status_code: number }) => a.status_code)).toEqual([403, 200]);
  });

  it('a business-rule refusal fault answers the matching item only, counting items for skip/times', async () => {
    sim.faults.add({
      kind: 'forbidden',
      message: 'Blocked by rule',
      match: { method: 'POST', table: 'http_connection' },
      skip: 1,
      times: 1,
    });
    const r = await batch([
      postConnection('1', { name: 'a', active: 'false' }),
      postConnection('2', { name: 'b', active: 'false' }),
      postConnection('3', { name: 'c', active: 'false' }),
    ]);
    expect(r.status).toBe(200);
    expect(r.json.serviced_requests.map((a: { status_code: number }) => a.status_code)).toEqual([
      201, 403, 201,
    ]);
    expect(connectionsNamed('b')).toHaveLength(0);
    expect(sim.log[0]?.fault).toBeUndefined();
  });

  it('a fault aimed at the batch path refuses the envelope: nothing runs', async () => {
    sim.faults.add({ kind: 'forbidden', match: { pathIncludes: '/batch' } });
    const r = await batch([postConnection('1', { name: 'a', active: 'false' })]);
    expect(r.status).toBe(403);
    expect(connectionsNamed('a')).toHaveLength(0);
  });

  it('a read-only batch is not hit by a fault aimed at writes', async () => {
    sim.faults.add({ kind: 'status', status: 503, match: { method: 'POST', table: 'http_connection' } });
    const r = await batch([{ id: 'r', method: 'GET', url: '/api/now/table/http_connection' }]);
    expect(r.status).toBe(200);
    expect(sim.log[0]?.fault).toBeUndefined();
  });
});

describe('request-level faults on a batch that carries a matching item', () => {
  const items = () => [
    postConnection('1', { name: 'a', active: 'false' }),
    postConnection('2', { name: 'b', active: 'false' }),
  ];
  const match = { method: 'POST', table: 'http_connection' };

  const answered: [string, FaultSpec, number, boolean][] = [
    ['429', { kind: 'rate_limit', retryAfterSeconds: 1, match }, 429, false],
    ['503', { kind: 'status', status: 503, match }, 503, false],
    ['500 (cancelled in the queue)', { kind: 'status', status: 500, match }, 500, false],
    ['quota cancel (committed, 200 with a failure body)', { kind: 'quota_cancel', match }, 200, true],
  ];
  for (const [label, fault, status, committed] of answered) {
    it(`${label}: the whole batch is answered ${status}; its items ${committed ? 'ran' : 'did not run'}`, async () => {
      sim.faults.add({ ...fault, times: 1 });
      const r = await batch(items());
      expect(r.status).toBe(status);
      if (committed) expect(r.json.status).toBe('failure');
      expect(connectionsNamed('a')).toHaveLength(committed ? 1 : 0);
      expect(connectionsNamed('b')).toHaveLength(committed ? 1 : 0);
      expect(sim.log[0]?.fault).toBe(fault.kind);
      // The fault is spent: the same batch goes through now.
      if (!committed) expect((await batch(items())).status).toBe(200);
    });
  }

  it('reset: the connection drops before anything runs', async () => {
    sim.faults.add({ kind: 'reset', match, times: 1 });
    await expect(batch(items())).rejects.toThrow();
    expect(connectionsNamed('a')).toHaveLength(0);
  });

  it('hang: never answered, nothing runs', async () => {
    sim.faults.add({ kind: 'hang', match, times: 1 });
    await expect(batchWithin(300, items())).rejects.toThrow();
    expect(connectionsNamed('a')).toHaveLength(0);
  });

  it('hang after commit: every item ran, the answer never comes', async () => {
    sim.faults.add({ kind: 'hang_after_commit', match, times: 1 });
    await expect(batchWithin(300, items())).rejects.toThrow();
    expect(connectionsNamed('a')).toHaveLength(1);
    expect(connectionsNamed('b')).toHaveLength(1);
  });
});
