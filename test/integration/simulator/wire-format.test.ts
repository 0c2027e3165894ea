// The simulator on the wire, checked with plain fetch only (nothing from src/ but startSimulator) against
// the reference in docs/servicenow.md §3 (status codes, headers, body shapes) and §7 (Batch API).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../src/main/simulator';

let sim: Awaited<ReturnType<typeof startSimulator>>;
let base: string;
const AUTH = `Basic ${Buffer.from('admin:spokesmith-demo').toString('base64')}`;
const JSON_HEADERS = { Authorization: AUTH, Accept: 'application/json', 'Content-Type': 'application/json' };

beforeAll(async () => {
  sim = await startSimulator();
  base = sim.url;
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${base}/__simulator/faults`, { method: 'DELETE' });
  await fetch(`${base}/__simulator/reset`, { method: 'POST', body: JSON.stringify({ scenario: 'fresh' }) });
});

/** Table API values are strings, or reference objects of strings (§3.3). */
function allStrings(record: Record<string, unknown>): boolean {
  return Object.values(record).every(
    (v) =>
      typeof v === 'string' ||
      (typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'string')),
  );
}

async function addFault(spec: unknown): Promise<void> {
  const r = await fetch(`${base}/__simulator/faults`, { method: 'POST', body: JSON.stringify(spec) });
  expect(r.status).toBe(201);
}

describe('Table API wire format', () => {
  it('GET list: 200, JSON content type, X-Total-Count, Link, {"result":[…]} of strings, session cookies', async () => {
    const r = await fetch(`${base}/api/now/table/sys_alias?sysparm_limit=1`, {
      headers: { Authorization: AUTH, Accept: 'application/json' },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('x-total-count')).toBe('2');
    const link = r.headers.get('link') ?? '';
    expect(link).toMatch(/<http:\/\/[^>]+sysparm_offset=0[^>]*>;rel="first"/);
    expect(link).toMatch(/<[^>]+sysparm_offset=1[^>]*>;rel="next"/);
    expect(link).toMatch(/;rel="last"/);
    const cookies = r.headers.getSetCookie();
    expect(cookies.some((c) => /^JSESSIONID=[^;]+;/.test(c))).toBe(true);
    expect(cookies.some((c) => /^glide_user_route=[^;]+;/.test(c))).toBe(true);
    const body = (await r.json()) as { result: Record<string, unknown>[] };
    expect(Object.keys(body)).toEqual(['result']);
    expect(body.result).toHaveLength(1);
    expect(allStrings(body.result[0] ?? {})).toBe(true);
    expect(body.result[0]?.sys_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('POST: 201 with Location of the new record; PATCH 200; DELETE 204 without a body', async () => {
    const created = await fetch(`${base}/api/now/table/oauth_2_0_credentials`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ name: 'wire', active: 'true', applies_to: 'all', order: '100' }),
    });
    expect(created.status).toBe(201);
    const { result } = (await created.json()) as { result: Record<string, string> };
    expect(created.headers.get('location')).toBe(
      `${base}/api/now/table/oauth_2_0_credentials/${result.sys_id}`,
    );
    expect(result).toMatchObject({
      name: 'wire',
      active: 'true',
      order: '100',
      sys_class_name: 'oauth_2_0_credentials',
    });
    expect(allStrings(result)).toBe(true);

    const patched = await fetch(`${base}/api/now/table/oauth_2_0_credentials/${result.sys_id}`, {
      method: 'PATCH',
      headers: JSON_HEADERS,
      body: JSON.stringify({ order: 200 }),
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { result: Record<string, string> }).result.order).toBe('200');

    const deleted = await fetch(`${base}/api/now/table/oauth_2_0_credentials/${result.sys_id}`, {
      method: 'DELETE',
      headers: JSON_HEADERS,
    });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
  });

  it('errors: {"error":{"message","detail"},"status":"failure"} with 400, 401, 404', async () => {
    const invalid = await fetch(`${base}/api/now/table/not_a_table`, {
      headers: { Authorization: AUTH, Accept: 'application/json' },
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({
      error: { message: 'Invalid table not_a_table', detail: null },
      status: 'failure',
    });

    const unauth = await fetch(`${base}/api/now/table/sys_alias`, {
      headers: { Accept: 'application/json' },
    });
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await unauth.json()).toEqual({
      error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' },
      status: 'failure',
    });

    const missing = await fetch(`${base}/api/now/table/sys_alias/00000000000000000000000000000000`, {
      headers: { Authorization: AUTH, Accept: 'application/json' },
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: {
        message: 'No Record found',
        detail: "Record doesn't exist or ACL restricts the record retrieval",
      },
      status: 'failure',
    });
  });

  it('429: Retry-After, X-RateLimit-Limit/-Reset/-Rule and the documented body (§3.5)', async () => {
    await addFault({ kind: 'rate_limit', retryAfterSeconds: 120, times: 1 });
    const r = await fetch(`${base}/api/now/table/sys_alias`, {
      headers: { Authorization: AUTH, Accept: 'application/json' },
    });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('120');
    expect(r.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
    expect(Number(r.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(r.headers.get('x-ratelimit-rule')).toMatch(/^[0-9a-f]{32}$/);
    expect(await r.json()).toEqual({
      error: {
        message: 'Rate limit exceeded',
        detail: 'Rate limit of 100 requests per hour for Table API exceeded',
      },
      status: 'failure',
    });
  });

  it('hibernation: 200 text/html page', async () => {
    await addFault({ kind: 'hibernate', times: 1 });
    const r = await fetch(`${base}/api/now/table/sys_alias`, {
      headers: { Authorization: AUTH, Accept: 'application/json' },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await r.text()).toContain('<h1>Your instance is hibernating</h1>');
  });
});

describe('OAuth and Batch wire format', () => {
  it('oauth_token.do answers the documented token response (§3.6)', async () => {
    const r = await fetch(`${base}/oauth_token.do`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&client_id=spokesmith-demo-client&client_secret=spokesmith-demo-secret&username=admin&password=spokesmith-demo',
    });
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'expires_in',
      'refresh_token',
      'scope',
      'token_type',
    ]);
    expect(body).toMatchObject({ scope: 'useraccount', token_type: 'Bearer', expires_in: 1799 });
  });

  it('batch answers batch_request_id, serviced_requests (base64 bodies) and unserviced_requests (§7)', async () => {
    const r = await fetch(`${base}/api/now/v1/batch`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({
        batch_request_id: '7',
        rest_requests: [
          {
            id: '11',
            method: 'GET',
            url: '/api/now/table/sys_alias?sysparm_fields=name',
            exclude_response_headers: true,
          },
        ],
      }),
    });
    expect(r.status).toBe(200);
    const body = (await r.json()) as {
      batch_request_id: string;
      serviced_requests: {
        id: string;
        status_code: number;
        status_text: string;
        body: string;
        execution_time: number;
      }[];
      unserviced_requests: string[];
    };
    expect(body.batch_request_id).toBe('7');
    expect(body.unserviced_requests).toEqual([]);
    const item = body.serviced_requests[0];
    expect(item).toMatchObject({ id: '11', status_code: 200, status_text: 'OK' });
    expect(JSON.parse(Buffer.from(item?.body ?? '', 'base64').toString('utf8'))).toEqual({
      result: [{ name: 'Microsoft_Exchange_Online' }, { name: 'Microsoft_Exchange_Online_clientCred' }],
    });
  });
});
