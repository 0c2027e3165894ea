// The Batch API (docs/servicenow.md §7): items run through the Table API code, base64 bodies, one log entry.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, spokeIds, type Simulator } from '../../../src/main/simulator';
import { call } from './http';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset('fresh');
  sim.clearLog();
});

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');
const unb64 = (value: string): unknown => JSON.parse(Buffer.from(value, 'base64').toString('utf8'));

describe('Batch API', () => {
  it('runs items in order and answers serviced_requests with base64 bodies like the Table API', async () => {
    const r = await call(sim, 'POST', '/api/now/v1/batch', {
      body: {
        batch_request_id: 'b1',
        rest_requests: [
          {
            id: '1',
            method: 'GET',
            url: '/api/now/table/sys_alias?sysparm_fields=name',
            headers: [{ name: 'Accept', value: 'application/json' }],
          },
          {
            id: '2',
            method: 'POST',
            url: '/api/now/table/oauth_2_0_credentials?sysparm_fields=name',
            headers: [{ name: 'Content-Type', value: 'application/json' }],
            body: b64({ name: 'from-batch', oauth_entity_profile: spokeIds.profile('authorization_code') }),
            exclude_response_headers: true,
          },
          { id: '3', method: 'GET', url: '/api/now/table/oauth_2_0_credentials?sysparm_fields=name' },
        ],
      },
    });
    expect(r.status).toBe(200);
    expect(r.json.batch_request_id).toBe('b1');
    expect(r.json.unserviced_requests).toEqual([]);
    const [one, two, three] = r.json.serviced_requests;
    expect(one).toMatchObject({ id: '1', status_code: 200, status_text: 'OK' });
    expect(unb64(one.body)).toEqual({
      result: [{ name: 'Microsoft_Exchange_Online' }, { name: 'Microsoft_Exchange_Online_clientCred' }],
    });
    expect(one.headers).toEqual(expect.arrayContaining([{ name: 'X-Total-Count', value: '2' }]));
    expect(typeof one.execution_time).toBe('number');
    expect(two).toMatchObject({ id: '2', status_code: 201 });
    expect(two).not.toHaveProperty('headers');
    expect(unb64(two.body)).toEqual({ result: { name: 'from-batch' } });
    expect(unb64(three.body)).toEqual({ result: [{ name: 'from-batch' }] });
    expect(sim.log).toHaveLength(1);
    expect(sim.log[0]).toMatchObject({
      path: '/api/now/v1/batch',
      status: 200,
      batchItems: 3,
      user: 'admin',
    });
  });

  it('applies ACLs and business rules to each item and reports failures per item', async () => {
    const r = await call(sim, 'POST', '/api/now/batch', {
      user: sim.users.nonAdmin,
      body: {
        batch_request_id: 'b2',
        rest_requests: [
          { id: 'a', method: 'GET', url: '/api/now/table/sys_alias?sysparm_fields=name' },
          { id: 'b', method: 'POST', url: '/api/now/table/sys_alias', body: b64({ name: 'x' }) },
          { id: 'c', method: 'GET', url: '/api/now/table/http_connection' },
          { id: 'd', method: 'GET', url: '/api/now/table/u_unknown' },
          { id: 'e', method: 'GET', url: '/api/now/stats' },
          { id: 'f', url: '/api/now/table/sys_alias' },
        ],
      },
    });
    expect(r.status).toBe(200);
    const statuses = r.json.serviced_requests.map((i: { id: string; status_code: number }) => [
      i.id,
      i.status_code,
    ]);
    expect(statuses).toEqual([
      ['a', 200],
      ['b', 403],
      ['c', 403],
      ['d', 400],
      ['e', 400],
      ['f', 400],
    ]);
    expect(r.json.serviced_requests[1].error_message).toBeTruthy();
    expect(sim.db.find('sys_alias', (a) => a.name === 'x')).toBeUndefined();
  });

  it('needs authentication and a JSON body', async () => {
    expect(
      (await call(sim, 'POST', '/api/now/v1/batch', { user: null, body: { rest_requests: [] } })).status,
    ).toBe(401);
    expect((await call(sim, 'POST', '/api/now/v1/batch', { body: '{oops' })).status).toBe(400);
    expect((await call(sim, 'POST', '/api/now/v1/batch', { body: { rest_requests: 'no' } })).status).toBe(
      400,
    );
    expect((await call(sim, 'GET', '/api/now/v1/batch')).status).toBe(405);
  });
});

describe('Batch API time limit', () => {
  it('lists the items not run once the batch passes its time limit in unserviced_requests', async () => {
    const slow = await startSimulator({ batchTimeLimitMs: 100, batchItemLatencyMs: 60 });
    try {
      const r = await call(slow, 'POST', '/api/now/v1/batch', {
        body: {
          batch_request_id: 'slow',
          rest_requests: ['1', '2', '3', '4', '5'].map((id) => ({
            id,
            method: 'POST',
            url: '/api/now/table/oauth_2_0_credentials',
            body: b64({ name: `c${id}` }),
          })),
        },
      });
      expect(r.status).toBe(200);
      const serviced: string[] = r.json.serviced_requests.map((i: { id: string }) => i.id);
      expect(serviced.length).toBeGreaterThan(0);
      expect(r.json.unserviced_requests.length).toBeGreaterThan(0);
      expect([...serviced, ...r.json.unserviced_requests]).toEqual(['1', '2', '3', '4', '5']);
      // Only the serviced items were written.
      expect(slow.db.rows('oauth_2_0_credentials').map((c) => c.name)).toEqual(
        serviced.map((id) => `c${id}`),
      );
    } finally {
      await slow.close();
    }
  });
});
