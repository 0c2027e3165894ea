// Every fault kind through HTTP, at start (options.faults), through the API and through the control API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/main/simulator';
import { call } from './http';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.faults.clear();
  sim.faults.setLatency(0);
  sim.reset('fresh');
  sim.clearLog();
});

const aliases = '/api/now/table/sys_alias?sysparm_fields=name';

describe('answering faults', () => {
  it('rate_limit: 429 with Retry-After, X-RateLimit-* and the documented body', async () => {
    sim.faults.add({ kind: 'rate_limit', retryAfterSeconds: 30 });
    const before = Math.floor(Date.now() / 1000);
    const r = await call(sim, 'GET', aliases);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('30');
    expect(r.headers.get('x-ratelimit-limit')).toBe('100');
    expect(Number(r.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(before + 30);
    expect(r.headers.get('x-ratelimit-rule')).toMatch(/^[0-9a-f]{32}$/);
    expect(r.json).toEqual({
      error: {
        message: 'Rate limit exceeded',
        detail: 'Rate limit of 100 requests per hour for Table API exceeded',
      },
      status: 'failure',
    });
    expect(sim.log.at(-1)).toMatchObject({ status: 429, fault: 'rate_limit' });
  });

  it('rate_limit without Retry-After (full semaphore queue)', async () => {
    sim.faults.add({ kind: 'rate_limit', retryAfterSeconds: null });
    const r = await call(sim, 'GET', aliases);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBeNull();
    expect(r.json.status).toBe('failure');
  });

  it.each([500, 502, 503] as const)('status %i', async (status) => {
    sim.faults.add({ kind: 'status', status, times: 1 });
    expect((await call(sim, 'GET', aliases)).status).toBe(status);
    expect((await call(sim, 'GET', aliases)).status).toBe(200);
  });

  it('hibernate: 200 text/html with the hibernation page', async () => {
    sim.faults.add({ kind: 'hibernate' });
    const r = await call(sim, 'GET', aliases);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.text).toContain('<h1>Your instance is hibernating</h1>');
    expect(r.text).toContain('developer.servicenow.com');
  });

  it('quota_cancel: 200 whose body ends with the cancellation error; the write is done', async () => {
    sim.faults.add({ kind: 'quota_cancel', match: { method: 'POST' } });
    const r = await call(sim, 'POST', '/api/now/table/oauth_2_0_credentials', { body: { name: 'q' } });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('failure');
    expect(r.json.error.message).toBe('Transaction cancelled: maximum execution time exceeded');
    expect(r.text.endsWith('"status":"failure"}')).toBe(true);
    expect(sim.db.find('oauth_2_0_credentials', (c) => c.name === 'q')).toBeDefined();
  });

  it('forbidden and unauthorized', async () => {
    sim.faults.add({ kind: 'forbidden', message: 'Blocked by policy', times: 1 });
    sim.faults.add({ kind: 'unauthorized', times: 1 });
    const forbidden = await call(sim, 'GET', aliases);
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error.message).toBe('Blocked by policy');
    const unauthorized = await call(sim, 'GET', aliases);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.json.error.message).toBe('User Not Authenticated');
  });
});

describe('connection faults', () => {
  it('reset: the socket is destroyed without an answer; the server keeps serving', async () => {
    sim.faults.add({ kind: 'reset', times: 1 });
    await expect(call(sim, 'GET', aliases)).rejects.toThrow();
    expect(sim.log.at(-1)).toMatchObject({ status: 0, fault: 'reset' });
    expect((await call(sim, 'GET', aliases)).status).toBe(200);
  });

  it('hang: no answer ever; the client gives up; close() still ends', async () => {
    const s = await startSimulator({ faults: [{ kind: 'hang', match: { table: 'sys_alias' } }] });
    const hung = fetch(`${s.url}${aliases}`, { signal: AbortSignal.timeout(300) });
    await expect(hung).rejects.toThrow();
    expect((await call(s, 'GET', '/api/now/table/sys_user?sysparm_limit=1')).status).toBe(200);
    const pending = fetch(`${s.url}${aliases}`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await s.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it('hang_after_commit: the write happens, the answer never comes (ambiguous write)', async () => {
    sim.faults.add({
      kind: 'hang_after_commit',
      match: { method: 'POST', table: 'http_connection' },
      times: 1,
    });
    const sent = fetch(`${sim.url}/api/now/table/http_connection`, {
      method: 'POST',
      signal: AbortSignal.timeout(500),
      headers: {
        Authorization: `Basic ${Buffer.from('admin:spokesmith-demo').toString('base64')}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify({ name: 'ambiguous' }),
    });
    await expect(sent).rejects.toThrow();
    expect(sim.db.find('http_connection', (c) => c.name === 'ambiguous')).toBeDefined();
  });

  it('latency: every request waits at least the configured time', async () => {
    sim.faults.setLatency(40);
    sim.faults.add({ kind: 'latency', ms: 60, match: { table: 'sys_alias' } });
    await call(sim, 'GET', aliases);
    await call(sim, 'GET', '/api/now/table/sys_user?sysparm_limit=1');
    const [slow, base] = sim.log;
    expect(slow?.durationMs).toBeGreaterThanOrEqual(99);
    expect(base?.durationMs).toBeGreaterThanOrEqual(39);
  });
});

describe('control API', () => {
  it('adds, lists and removes faults at runtime; its requests stay out of the log', async () => {
    const added = await fetch(`${sim.url}/__simulator/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'status', status: 503, match: { table: 'sys_alias' } }),
    });
    expect(added.status).toBe(201);
    const { result } = (await added.json()) as { result: { id: string } };
    expect((await call(sim, 'GET', aliases)).status).toBe(503);
    const listed = (await (await fetch(`${sim.url}/__simulator/faults`)).json()) as {
      result: { id: string }[];
    };
    expect(listed.result.map((f) => f.id)).toEqual([result.id]);
    expect((await fetch(`${sim.url}/__simulator/faults/${result.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await call(sim, 'GET', aliases)).status).toBe(200);
    expect(sim.log.map((e) => e.path)).toEqual(['/api/now/table/sys_alias', '/api/now/table/sys_alias']);
  });

  it('refuses an invalid fault spec', async () => {
    const r = await fetch(`${sim.url}/__simulator/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'status', status: 418 }),
    });
    expect(r.status).toBe(400);
    expect(sim.faults.list()).toEqual([]);
  });

  it('clears faults, reads and clears the log, resets the scenario, shows the state without secrets', async () => {
    sim.faults.add({ kind: 'hibernate', match: { pathIncludes: '/nothing' } });
    expect((await fetch(`${sim.url}/__simulator/faults`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.faults.list()).toEqual([]);
    await call(sim, 'GET', aliases);
    const log = (await (await fetch(`${sim.url}/__simulator/log`)).json()) as { result: unknown[] };
    expect(log.result).toHaveLength(1);
    expect((await fetch(`${sim.url}/__simulator/log`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.log).toHaveLength(0);
    const reset = await fetch(`${sim.url}/__simulator/reset`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ scenario: 'wcs' }),
    });
    expect(reset.status).toBe(200);
    expect(sim.scenario).toBe('wcs');
    const state = await (await fetch(`${sim.url}/__simulator/state`)).text();
    expect(JSON.parse(state).result.tables.http_connection).toHaveLength(2);
    expect(state).not.toMatch(/hash:|malformed:/);
    const badReset = await fetch(`${sim.url}/__simulator/reset`, {
      method: 'POST',
      body: '{"scenario":"nope"}',
    });
    expect(badReset.status).toBe(400);
  });
});
