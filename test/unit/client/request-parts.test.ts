// The parts every request is built from: Table API paths and parameters (docs/servicenow.md §3.2), the got
// options every request shares (docs/reliability.md §3.3), the proxy a transport uses (§3.6) and how the
// client waits (src/main/servicenow/retry.ts).
import { readFileSync } from 'node:fs';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src/main/log';
import { createServiceNowClient } from '../../../src/main/servicenow';
import {
  checkSysId,
  checkTable,
  DEFAULT_LIMIT,
  deleteSearch,
  listSearch,
  queryValue,
  tablePath,
  tableUrl,
  writeSearch,
} from '../../../src/main/servicenow/params';
import { requestedDelayMs, sleep } from '../../../src/main/servicenow/retry';
import {
  createTransport,
  loadExtraCertificates,
  requestOptions,
} from '../../../src/main/servicenow/transport';

const SYS_ID = '0123456789abcdef0123456789abcdef';

describe('Table API paths', () => {
  it('accept table names and sys_ids that cannot change the path, and name what they refuse', () => {
    expect(tablePath('sys_alias')).toBe('/api/now/table/sys_alias');
    expect(tablePath('x_acme_table2', SYS_ID)).toBe(`/api/now/table/x_acme_table2/${SYS_ID}`);
    expect(checkSysId('a.b-c_D')).toBe('a.b-c_D');
    expect(() => checkTable('sys_alias/../sys_user')).toThrow(
      new TypeError('Not a table name: "sys_alias/../sys_user"'),
    );
    expect(() => checkTable('2fa')).toThrow(TypeError);
    expect(() => checkSysId('abc/../x')).toThrow(new TypeError('Not a sys_id: "abc/../x"'));
    expect(() => checkSysId('')).toThrow(TypeError);
    expect(() => checkSysId('a'.repeat(65))).toThrow(TypeError);
    expect(checkSysId('a'.repeat(64))).toHaveLength(64);
  });
});

describe('list parameters', () => {
  it('by default: 1000 records, references as sys_ids, nothing else', () => {
    expect(DEFAULT_LIMIT).toBe(1000);
    expect(Object.fromEntries(listSearch())).toEqual({
      sysparm_limit: '1000',
      sysparm_exclude_reference_link: 'true',
    });
  });

  it('an offset of 0 and an empty field list are left out; display values false is still said', () => {
    expect(Object.fromEntries(listSearch({ offset: 0, fields: [], displayValue: false }))).toEqual({
      sysparm_limit: '1000',
      sysparm_display_value: 'false',
      sysparm_exclude_reference_link: 'true',
    });
  });

  it('reference links may be asked for, and display values "all"', () => {
    expect(Object.fromEntries(listSearch({ excludeReferenceLink: false, displayValue: 'all' }))).toEqual({
      sysparm_limit: '1000',
      sysparm_display_value: 'all',
      sysparm_exclude_reference_link: 'false',
    });
  });

  it('a single-record URL carries no paging', () => {
    expect(tableUrl('sys_alias', { sysId: SYS_ID, fields: ['name'] })).toBe(
      `/api/now/table/sys_alias/${SYS_ID}?sysparm_fields=name&sysparm_exclude_reference_link=true`,
    );
    expect(tableUrl('sys_alias')).toBe(
      '/api/now/table/sys_alias?sysparm_limit=1000&sysparm_exclude_reference_link=true',
    );
  });
});

describe('write parameters', () => {
  it('by default only references as sys_ids; the fields to return when asked', () => {
    expect(writeSearch().toString()).toBe('sysparm_exclude_reference_link=true');
    expect(Object.fromEntries(writeSearch({ fields: ['sys_id', 'name'] }))).toEqual({
      sysparm_fields: 'sys_id,name',
      sysparm_exclude_reference_link: 'true',
    });
    expect(writeSearch({ fields: [], inputDisplayValue: false, noDomain: false }).toString()).toBe(
      'sysparm_exclude_reference_link=true',
    );
  });

  it('a delete reaches the record in any domain', () => {
    expect(deleteSearch().toString()).toBe('sysparm_query_no_domain=true');
  });
});

describe('queryValue', () => {
  it('doubles every caret, so a value cannot add a query term', () => {
    expect(queryValue('a^b^^c')).toBe('a^^b^^^^c');
    expect(queryValue('plain')).toBe('plain');
  });
});

describe('the options every request shares', () => {
  it('verify TLS, time each phase, and do nothing behind the caller’s back', () => {
    const transport = createTransport('https://acme.service-now.com', {});
    try {
      expect(requestOptions(transport, { connectMs: 1, responseMs: 2, requestMs: 3 })).toEqual({
        agent: transport.agent,
        https: { rejectUnauthorized: true },
        timeout: { lookup: 1, connect: 1, secureConnect: 1, response: 2, request: 3 },
        retry: { limit: 0 },
        throwHttpErrors: false,
        followRedirect: false,
        responseType: 'text',
        http2: false,
      });
    } finally {
      transport.close();
    }
  });

  it('carry the extra certificate authorities when there are any', () => {
    const transport = createTransport('https://acme.service-now.com', {});
    const withCa = { ...transport, certificateAuthority: ['PEM'] };
    expect(requestOptions(withCa, { connectMs: 1, responseMs: 2, requestMs: 3 }).https).toEqual({
      rejectUnauthorized: true,
      certificateAuthority: ['PEM'],
    });
    transport.close();
  });
});

describe('the proxy a transport uses', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is named without its credentials, for either scheme', () => {
    vi.stubEnv('HTTPS_PROXY', 'http://user:secret@proxy.example:3128');
    vi.stubEnv('HTTP_PROXY', 'http://user:secret@proxy.example:3129');
    vi.stubEnv('NO_PROXY', '');
    const secure = createTransport('https://acme.service-now.com', {});
    const plain = createTransport('http://acme.example.com', {});
    try {
      expect(secure.proxy).toBe('http://proxy.example:3128');
      expect(secure.agent.https).toBeDefined();
      expect(plain.proxy).toBe('http://proxy.example:3129');
      expect(plain.agent.http).toBeDefined();
    } finally {
      secure.close();
      plain.close();
    }
  });

  it('a proxy variable that is not a URL is named, its value (credentials and all) never echoed', () => {
    vi.stubEnv('HTTPS_PROXY', 'http://user:secret@[proxy');
    vi.stubEnv('NO_PROXY', '');
    let thrown: unknown;
    try {
      createTransport('https://acme.service-now.com', {}).close();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toEqual(
      new TypeError(
        'The proxy for acme.service-now.com (from HTTPS_PROXY, HTTP_PROXY or ALL_PROXY) is not a valid URL.',
      ),
    );
    expect(JSON.stringify(thrown) + String((thrown as { input?: string }).input)).not.toContain('secret');
  });

  it('a client says in its log which proxy it goes through, and says nothing when it goes direct', () => {
    const lines: string[] = [];
    const logger = createLogger({ sink: (line) => lines.push(line), level: 'info' });
    const auth = { kind: 'basic', username: 'admin', password: 'pw' } as const;
    vi.stubEnv('HTTPS_PROXY', 'http://user:secret@proxy.example:3128');
    vi.stubEnv('NO_PROXY', '');
    createServiceNowClient({ instanceUrl: 'https://acme.service-now.com', auth, logger, env: {} }).close();
    createServiceNowClient({ instanceUrl: 'http://127.0.0.1:4010', auth, logger, env: {} }).close();
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'servicenow via proxy',
        proxy: 'http://proxy.example:3128',
        instance: 'acme.service-now.com',
      }),
    ]);
  });

  it('is none without proxy variables', () => {
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'])
      vi.stubEnv(name, '');
    const transport = createTransport('https://acme.service-now.com', {});
    expect(transport.proxy).toBeNull();
    transport.close();
  });
});

describe('the sockets of a transport', () => {
  const CA_FILE = fileURLToPath(new URL('../../fixtures/tls/ca.pem', import.meta.url));
  const CA = readFileSync(CA_FILE, 'utf8').trim();

  it('are kept alive, at most 6 to an instance, the most recent reused first', () => {
    for (const origin of ['https://acme.service-now.com', 'http://127.0.0.1:4010']) {
      const transport = createTransport(origin, {});
      const agent = transport.agent.https ?? transport.agent.http;
      try {
        expect(agent).toMatchObject({ keepAlive: true, maxSockets: 6, scheduling: 'lifo' });
      } finally {
        transport.close();
      }
    }
  });

  it('no CA variable: nothing read, nothing reported', () => {
    expect(loadExtraCertificates({})).toEqual({ certs: [], problems: [] });
    expect(loadExtraCertificates({ NODE_EXTRA_CA_CERTS: '', SPOKESMITH_EXTRA_CA_CERTS: '' })).toEqual({
      certs: [],
      problems: [],
    });
  });

  it('an empty entry in the list is skipped, and a CA named twice is trusted once', () => {
    const env = { NODE_EXTRA_CA_CERTS: CA_FILE, SPOKESMITH_EXTRA_CA_CERTS: `${CA_FILE}${delimiter}` };
    expect(loadExtraCertificates(env).problems).toEqual([]);
    const transport = createTransport('https://acme.service-now.com', env);
    try {
      expect(transport.certificateAuthority?.filter((pem) => pem === CA)).toHaveLength(1);
    } finally {
      transport.close();
    }
  });
});

describe('waiting', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a signal already aborted ends the wait at once, with its reason', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const reason = new Error('stopped');
    controller.abort(reason);
    const outcome = sleep(1000, controller.signal).then(
      () => 'slept',
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(1000);
    expect(await outcome).toBe(reason);
  });

  it('a Retry-After with anything after the number is not a number of seconds', () => {
    const now = Date.parse('2026-03-01T10:00:00.000Z');
    expect(requestedDelayMs({ 'retry-after': '5 seconds' }, now)).toBeNull();
  });

  it('an X-RateLimit-Reset that is not all digits is not a time', () => {
    const now = Date.parse('2026-03-01T10:00:00.000Z');
    expect(requestedDelayMs({ 'x-ratelimit-reset': `${now / 1000 + 5}s` }, now)).toBeNull();
    expect(requestedDelayMs({ 'x-ratelimit-reset': `t${now / 1000 + 5}` }, now)).toBeNull();
    expect(requestedDelayMs({ 'x-ratelimit-reset': [` ${now / 1000 + 5} `] }, now)).toBe(5000);
  });
});
