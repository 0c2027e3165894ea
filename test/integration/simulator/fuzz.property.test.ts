// Property: whatever arrives (random methods, paths, tables, query strings, headers, malformed, binary or
// oversized bodies, bad sys_ids), the simulator answers with a status and a JSON or empty body (HTML only
// for its pages) within a bounded time, and keeps serving afterwards.
import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/main/simulator';
import { basic } from './http';

const MAX_BODY = 16 * 1024;
const ANSWER_WITHIN_MS = 5000;

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ maxBodyBytes: MAX_BODY, scenario: 'wcs' });
});
afterAll(() => sim.close());

interface Answer {
  status: number;
  contentType: string;
  body: Buffer;
}

function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | null,
  chunked: boolean,
  fresh = false,
): Promise<Answer> {
  const url = new URL(sim.url);
  // Say how the body is framed: node sends a GET body unframed otherwise, which is garbage on the wire.
  const framing = body
    ? chunked
      ? { 'Transfer-Encoding': 'chunked' }
      : { 'Content-Length': String(body.length) }
    : {};
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: { ...headers, ...framing },
        ...(fresh ? { agent: false } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(ANSWER_WITHIN_MS, () => req.destroy(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)));
    // A write error after the answer arrived (the server closes early on 413) is not a failure.
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const segment = fc.oneof(
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.constantFrom('..', '%', '%zz', '%E0%A4%A', '', 'sys_alias', 'http_connection', 'u_nope', 'sys_user'),
);
const sysId = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{32}$/),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.constantFrom('f217595cf94ca4cfdee928a813ebf1b2', 'NOT-AN-ID', '%00'),
);
const table = fc.oneof(
  fc.constantFrom(
    'sys_alias',
    'http_connection',
    'sys_connection',
    'oauth_2_0_credentials',
    'oauth_entity',
    'sys_user',
    'domain',
    'oauth_credential',
  ),
  segment,
);
const path = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('/api/now/table/', '/api/now/v1/table/', '/api/now/v2/table/', '/api/now/v3/table/'),
      table,
    )
    .map(([p, t]) => p + t),
  fc.tuple(table, sysId).map(([t, id]) => `/api/now/table/${t}/${id}`),
  fc.constantFrom(
    '/api/now/v1/batch',
    '/api/now/batch',
    '/oauth_token.do',
    '/api/now/stats',
    '/api/x',
    '/nothing',
    '/',
  ),
  fc.array(segment, { maxLength: 4 }).map((s) => `/${s.join('/')}`),
);
const queryValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    'true',
    'false',
    'all',
    '-1',
    '0',
    '99999999999999999999',
    'nameLIKEa^ORactive=true^NQORDERBYDESCname',
    'connection_alias.name=x',
    '^^^',
    'nameIN',
    'sys_id,name,connection_alias.name,bogus.x.y',
  ),
);
const queryKey = fc.oneof(
  fc.constantFrom(
    'sysparm_query',
    'sysparm_fields',
    'sysparm_limit',
    'sysparm_offset',
    'sysparm_display_value',
    'sysparm_exclude_reference_link',
    'sysparm_input_display_value',
    'sysparm_query_no_domain',
    'name',
    'active',
  ),
  fc.string({ maxLength: 8 }),
);
const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 5 }).map((pairs) => {
  const q = new URLSearchParams(pairs).toString();
  return q ? `?${q}` : '';
});
const authorization = fc.oneof(
  fc.constant(basic({ userName: 'admin', password: 'spokesmith-demo' })),
  fc.constant(basic({ userName: 'walkup.agent', password: 'spokesmith-demo' })),
  fc.constant(basic({ userName: 'admin', password: 'wrong' })),
  fc.string({ maxLength: 20 }).map((s) => `Bearer ${encodeURIComponent(s)}`),
  fc.string({ maxLength: 20 }).map((s) => `Basic ${Buffer.from(s).toString('base64')}`),
  fc.constant('Basic !!!'),
  fc.constant(''),
);
const headerSet = fc.record({
  Authorization: authorization,
  Accept: fc.constantFrom('application/json', '*/*', 'text/html', 'application/xml', ''),
  'Content-Type': fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    '',
  ),
  'X-no-response-body': fc.constantFrom('true', 'false', ''),
  Cookie: fc.oneof(
    fc.constant(''),
    fc.string({ maxLength: 20 }).map((s) => `JSESSIONID=${encodeURIComponent(s)}`),
  ),
});
const body = fc.oneof(
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v))),
  fc
    .dictionary(
      fc.constantFrom(
        'name',
        'active',
        'sys_id',
        'connection_alias',
        'credential',
        'sys_domain',
        'client_secret',
        'x',
      ),
      fc.jsonValue({ maxDepth: 1 }),
    )
    .map((v) => Buffer.from(JSON.stringify(v))),
  fc.string({ maxLength: 50 }).map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
  fc.constant(Buffer.alloc(MAX_BODY * 3, 0x41)),
  fc.constant(
    Buffer.from(
      '{"batch_request_id":"1","rest_requests":[{"id":"1","method":"GET","url":"/api/now/table/sys_alias"},{"id":2,"method":"DELETE","url":"/api/now/table/sys_alias/zz"},{}]}',
    ),
  ),
);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND');

describe('random requests', () => {
  it('always get a well-formed answer and never stop the server', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(method, path, query, headerSet, body, fc.boolean(), async (m, p, q, h, b, chunked) => {
        const headers = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== ''));
        const answer = await send(m, p + q, headers, b, chunked);
        expect(answer.status).toBeGreaterThanOrEqual(200);
        expect(answer.status).toBeLessThan(600);
        if (answer.body.length > 0) {
          const isPage = answer.contentType.startsWith('text/html');
          // Pages are the home page and `<name>.do` (after the URL's own dot-segment normalisation).
          const normalised = new URL(`http://x${p}`).pathname;
          if (isPage) expect(normalised === '/' || /^\/[a-z0-9_]+\.do$/.test(normalised)).toBe(true);
          else expect(() => JSON.parse(answer.body.toString('utf8'))).not.toThrow();
        }
        const alive = await send(
          'GET',
          '/api/now/table/sys_alias?sysparm_limit=1',
          { Authorization: basic(sim.users.admin) },
          null,
          false,
          true,
        );
        expect(alive.status).toBe(200);
      }),
      { numRuns: 200 },
    );
    // The random writes did not break the records the app relies on.
    expect(sim.db.rows('sys_user').length).toBeGreaterThan(0);
  });
});
