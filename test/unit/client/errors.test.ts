import { describe, expect, it } from 'vitest';
import { inspectBody } from '../../../src/main/servicenow/body';
import {
  failureFromAnswer,
  failureFromTransport,
  isTransientTransport,
  ServiceNowError,
  transportFacts,
  type TransportFacts,
} from '../../../src/main/servicenow/errors';

const read = { what: 'read sys_alias', write: false };
const write = { what: 'create a http_connection record', write: true };
const json = (value: unknown) => inspectBody(JSON.stringify(value), 'application/json');
const errorBody = (message: string, detail?: string) =>
  json({ error: { message, detail }, status: 'failure' });

describe('failureFromAnswer', () => {
  it('passes a clean 2xx', () => {
    expect(failureFromAnswer(read, { status: 200, headers: {}, body: json({ result: [] }) })).toBeNull();
    expect(
      failureFromAnswer(write, { status: 204, headers: {}, body: inspectBody('', undefined) }),
    ).toBeNull();
  });

  it('401 → bad_credentials, and only 401', () => {
    const f = failureFromAnswer(read, {
      status: 401,
      headers: {},
      body: errorBody('User Not Authenticated'),
    });
    expect(f).toMatchObject({ code: 'bad_credentials', status: 401, ambiguous: false });
    for (const status of [400, 403, 404, 429, 500, 502, 503]) {
      const other = failureFromAnswer(read, {
        status,
        headers: {},
        body: errorBody('User Not Authenticated'),
      });
      expect(other?.code).not.toBe('bad_credentials');
    }
  });

  it('401 with X-MFA_TOKEN: invalid or an SSO hint → mfa_required', () => {
    expect(
      failureFromAnswer(read, { status: 401, headers: { 'x-mfa_token': 'invalid' }, body: errorBody('x') })
        ?.code,
    ).toBe('mfa_required');
    expect(
      failureFromAnswer(read, {
        status: 401,
        headers: {},
        body: errorBody('Multi-factor authentication required'),
      })?.code,
    ).toBe('mfa_required');
  });

  it('403 → forbidden with the instance message', () => {
    const f = failureFromAnswer(write, {
      status: 403,
      headers: {},
      body: errorBody('Operation Failed', 'Error during insert of http_connection (Exchange)'),
    });
    expect(f).toMatchObject({
      code: 'forbidden',
      instanceMessage: 'Operation Failed: Error during insert of http_connection (Exchange)',
    });
    expect(f?.message).toContain('Error during insert of http_connection');
    expect(f?.message).toMatch(/business rule/);
  });

  it('404 → not_found that mentions ACLs', () => {
    const f = failureFromAnswer(read, { status: 404, headers: {}, body: errorBody('No Record found') });
    expect(f?.code).toBe('not_found');
    expect(f?.message).toMatch(/ACL/);
  });

  it('429 → rate_limited carrying retryAt', () => {
    const f = failureFromAnswer(read, {
      status: 429,
      headers: {},
      body: errorBody('Rate limit exceeded'),
      retryAt: '2026-03-01T11:00:00.000Z',
    });
    expect(f).toMatchObject({ code: 'rate_limited', retryAt: '2026-03-01T11:00:00.000Z' });
    expect(f?.message).toContain('2026-03-01T11:00:00.000Z');
  });

  it('HTML with any status → hibernating', () => {
    for (const status of [200, 302, 401, 503]) {
      const body = inspectBody('<html><h1>Your instance is hibernating</h1></html>', 'text/html');
      expect(failureFromAnswer(read, { status, headers: {}, body })?.code).toBe('hibernating');
    }
  });

  it("a load balancer's HTML 502/503 without the word is a server error, not hibernation", () => {
    const body = inspectBody('<html><h1>503 Service Unavailable</h1></html>', 'text/html');
    const f = failureFromAnswer(read, { status: 503, headers: {}, body });
    expect(f).toMatchObject({ code: 'unexpected', status: 503 });
  });

  it('200 with a trailing quota error → transaction_cancelled, ambiguous for writes', () => {
    const body = inspectBody(
      '{"result":{"sys_id":"1"}}{"error":{"message":"Transaction cancelled: maximum execution time exceeded"},"status":"failure"}',
      'application/json',
    );
    expect(failureFromAnswer(read, { status: 200, headers: {}, body })).toMatchObject({
      code: 'transaction_cancelled',
      ambiguous: false,
    });
    expect(failureFromAnswer(write, { status: 201, headers: {}, body })).toMatchObject({
      code: 'transaction_cancelled',
      ambiguous: true,
    });
  });

  it('500 "Transaction cancelled" → transaction_cancelled; other 500 → unexpected', () => {
    expect(
      failureFromAnswer(read, {
        status: 500,
        headers: {},
        body: errorBody('Transaction cancelled: queue depth'),
      })?.code,
    ).toBe('transaction_cancelled');
    expect(
      failureFromAnswer(read, { status: 500, headers: {}, body: errorBody('NullPointerException') })?.code,
    ).toBe('unexpected');
  });
});

const facts = (partial: Partial<TransportFacts>): TransportFacts => ({
  code: undefined,
  timeoutEvent: undefined,
  uploaded: false,
  proxyStatus: undefined,
  aborted: false,
  ...partial,
});

describe('failureFromTransport', () => {
  it.each([
    ['CERT_HAS_EXPIRED', 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['ECONNREFUSED', 'network'],
    ['ENOTFOUND', 'network'],
    ['EAI_AGAIN', 'network'],
    ['ECONNRESET', 'network'],
    ['ESOMETHINGELSE', 'unexpected'],
  ])('%s → %s', (code, expected) => {
    expect(failureFromTransport(read, facts({ code }), 'acme.service-now.com').code).toBe(expected);
  });

  it('timeouts → timeout', () => {
    expect(failureFromTransport(read, facts({ code: 'ETIMEDOUT', timeoutEvent: 'connect' }), 'h').code).toBe(
      'timeout',
    );
    expect(failureFromTransport(read, facts({ code: 'ETIMEDOUT', timeoutEvent: 'request' }), 'h').code).toBe(
      'timeout',
    );
  });

  it('a write is ambiguous only when its body was sent and no answer came', () => {
    const host = 'h';
    expect(
      failureFromTransport(write, facts({ code: 'ETIMEDOUT', timeoutEvent: 'request', uploaded: true }), host)
        .ambiguous,
    ).toBe(true);
    expect(failureFromTransport(write, facts({ code: 'ECONNRESET', uploaded: true }), host).ambiguous).toBe(
      true,
    );
    expect(failureFromTransport(write, facts({ code: 'ECONNRESET', uploaded: false }), host).ambiguous).toBe(
      false,
    );
    expect(failureFromTransport(write, facts({ code: 'ECONNREFUSED' }), host).ambiguous).toBe(false);
    expect(
      failureFromTransport(
        write,
        facts({ code: 'ETIMEDOUT', timeoutEvent: 'connect', uploaded: false }),
        host,
      ).ambiguous,
    ).toBe(false);
    expect(failureFromTransport(write, facts({ code: 'CERT_HAS_EXPIRED' }), host).ambiguous).toBe(false);
    expect(failureFromTransport(read, facts({ code: 'ECONNRESET', uploaded: true }), host).ambiguous).toBe(
      false,
    );
  });

  it('a proxy refusal is a network failure, not a credential one', () => {
    const f = failureFromTransport(read, transportFacts(new Error('Bad response: 407')), 'h');
    expect(f.code).toBe('network');
    expect(f.message).toMatch(/proxy/);
  });
});

describe('isTransientTransport', () => {
  it('retries resets and connect timeouts, not refusals or response timeouts', () => {
    expect(isTransientTransport(facts({ code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientTransport(facts({ code: 'ETIMEDOUT', timeoutEvent: 'connect' }))).toBe(true);
    expect(isTransientTransport(facts({ code: 'ETIMEDOUT', timeoutEvent: 'response' }))).toBe(false);
    expect(isTransientTransport(facts({ code: 'ECONNREFUSED' }))).toBe(false);
    expect(isTransientTransport(facts({ code: 'ENOTFOUND' }))).toBe(false);
  });
});

describe('transportFacts', () => {
  it('keeps only code, phase and upload state of a got-like error', () => {
    const gotLike = Object.assign(new Error('Timeout awaiting request'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
      event: 'request',
      timings: { upload: 123 },
      options: { password: 'hunter2', headers: { authorization: 'Basic xyz' } },
    });
    const result = transportFacts(gotLike);
    expect(result).toEqual({
      code: 'ETIMEDOUT',
      timeoutEvent: 'request',
      uploaded: true,
      proxyStatus: undefined,
      aborted: false,
    });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });
});

describe('ServiceNowError', () => {
  it('serializes to its failure only', () => {
    const error = new ServiceNowError({ code: 'forbidden', message: 'no', ambiguous: false });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ServiceNowError',
      failure: { code: 'forbidden', message: 'no', ambiguous: false },
    });
    expect(error.code).toBe('forbidden');
    expect(error).toBeInstanceOf(Error);
  });
});
