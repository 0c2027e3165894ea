// Every failure a call can end in, in the words a consultant reads (src/main/servicenow/errors.ts): each
// message names the call or the host, says whether a write may have been saved, and each classification
// holds on both sides of its condition.
import { describe, expect, it } from 'vitest';
import { inspectBody } from '../../../src/main/servicenow/body';
import {
  failureFromAnswer,
  failureFromOversize,
  failureFromTransport,
  isServiceNowError,
  isTransientTransport,
  ServiceNowError,
  transportFacts,
  type HttpAnswer,
  type TransportFacts,
} from '../../../src/main/servicenow/errors';

const read = { what: 'read sys_alias', write: false };
const write = { what: 'create a http_connection record', write: true };
const json = (value: unknown) => inspectBody(JSON.stringify(value), 'application/json');
const errorBody = (message: string | null, detail?: string | null) =>
  json({ error: { message, detail }, status: 'failure' });
const empty = inspectBody('', undefined);
const answer = (status: number, body = empty, headers: HttpAnswer['headers'] = {}): HttpAnswer => ({
  status,
  headers,
  body,
});

describe('failureFromAnswer: success and the statuses around it', () => {
  it('200 to 299 pass; 199 and 300 do not', () => {
    expect(failureFromAnswer(read, answer(299))).toBeNull();
    expect(failureFromAnswer(read, answer(200))).toBeNull();
    expect(failureFromAnswer(read, answer(199))).toMatchObject({ code: 'unexpected', status: 199 });
    expect(failureFromAnswer(read, answer(300))?.message).toMatch(/with a redirect \(HTTP 300\)/);
  });

  it('a 2xx answer cut short is unexpected, possibly saved for a write', () => {
    const cut = inspectBody('{"result":{"sys_id":"1"', 'application/json');
    expect(failureFromAnswer(write, answer(201, cut))).toEqual({
      code: 'unexpected',
      message:
        "The instance's answer to the request to create a http_connection record was cut short or is not valid JSON.",
      status: 201,
      ambiguous: true,
    });
    expect(failureFromAnswer(read, answer(200, cut))).toMatchObject({ ambiguous: false });
  });

  it('a 2xx answer cut short by the quota error is transaction_cancelled, not merely cut short', () => {
    const cut = inspectBody(
      '{"result":[{"a":"1"},{"error":{"message":"Transaction cancelled: maximum execution time exceeded"}',
      'application/json',
    );
    expect(failureFromAnswer(write, answer(201, cut))).toMatchObject({
      code: 'transaction_cancelled',
      instanceMessage: 'Transaction cancelled: maximum execution time exceeded',
      ambiguous: true,
    });
  });

  it('a quota-cancelled 2xx says whether to re-read or try later', () => {
    const cancelled = inspectBody(
      '{"result":[]}{"error":{"message":"Transaction cancelled: maximum execution time exceeded"},"status":"failure"}',
      'application/json',
    );
    expect(failureFromAnswer(write, answer(201, cancelled))).toEqual({
      code: 'transaction_cancelled',
      message:
        'The instance cancelled the transaction to create a http_connection record before it finished (usually the ' +
        '60-second transaction quota). Part of it may have been saved; re-read before trying again.',
      status: 201,
      instanceMessage: 'Transaction cancelled: maximum execution time exceeded',
      ambiguous: true,
    });
    expect(failureFromAnswer(read, answer(200, cancelled))?.message).toBe(
      'The instance cancelled the transaction to read sys_alias before it finished (usually the 60-second ' +
        'transaction quota). Try again later.',
    );
  });
});

describe('failureFromAnswer: web pages', () => {
  const page = inspectBody('<html><body>Service Unavailable</body></html>', 'text/html');
  const sleeping = inspectBody('<html><body>Your instance is hibernating</body></html>', 'text/html');

  it('a page where data was expected is a sleeping instance, in words that say how to wake it', () => {
    expect(failureFromAnswer(read, answer(200, page))).toEqual({
      code: 'hibernating',
      message:
        'The instance answered with a web page instead of data: a developer instance that is hibernating does ' +
        'this. Wake it from the developer portal (developer.servicenow.com), wait until it loads in a browser, ' +
        'then try again.',
      status: 200,
      ambiguous: false,
    });
  });

  it("a gateway's own 502, 503 or 504 page is a server error unless it says hibernating", () => {
    for (const status of [502, 503, 504]) {
      expect(failureFromAnswer(read, answer(status, page))?.code, String(status)).toBe('unexpected');
      expect(failureFromAnswer(read, answer(status, sleeping))?.code, String(status)).toBe('hibernating');
    }
    expect(failureFromAnswer(read, answer(500, page))?.code).toBe('hibernating');
  });

  it('a cut-short body that says hibernating is a sleeping instance too', () => {
    const garbled = inspectBody('Instance hibernating, please wait {', 'text/plain');
    expect(failureFromAnswer(read, answer(200, garbled))?.code).toBe('hibernating');
    expect(failureFromAnswer(read, answer(503, garbled))?.code).toBe('hibernating');
  });
});

describe('failureFromAnswer: 401', () => {
  const wrong =
    'The instance rejected the user name or password (HTTP 401). Check them, and that the user is active, not ' +
    'locked out and allowed to use web services.';

  it('is a wrong user name or password, with the hint of the call when it has one', () => {
    expect(failureFromAnswer(read, answer(401))).toEqual({
      code: 'bad_credentials',
      message: wrong,
      status: 401,
      ambiguous: false,
    });
    const token = { ...read, credentialHint: 'Check the OAuth client too.' };
    expect(failureFromAnswer(token, answer(401))?.message).toBe(`${wrong} Check the OAuth client too.`);
  });

  it('is MFA or SSO when a header or the instance says so, in any case', () => {
    const mfa =
      'The instance requires multi-factor or single sign-on for this user. Use a local integration user without ' +
      'MFA/SSO for REST calls, or OAuth.';
    expect(failureFromAnswer(read, answer(401, empty, { 'x-mfa_token': 'INVALID' }))).toEqual({
      code: 'mfa_required',
      message: mfa,
      status: 401,
      ambiguous: false,
    });
    expect(failureFromAnswer(read, answer(401, empty, { 'x-mfa_token': ['invalid'] }))?.code).toBe(
      'mfa_required',
    );
    expect(failureFromAnswer(read, answer(401, empty, { 'x-mfa_token': 'valid' }))?.code).toBe(
      'bad_credentials',
    );
    expect(
      failureFromAnswer(read, answer(401, empty, { 'www-authenticate': 'SAML realm="corp"' }))?.code,
    ).toBe('mfa_required');
    expect(failureFromAnswer(read, answer(401, empty, { 'www-authenticate': 'Basic realm="x"' }))?.code).toBe(
      'bad_credentials',
    );
    expect(failureFromAnswer(read, answer(401, errorBody('Single sign-on required')))?.code).toBe(
      'mfa_required',
    );
  });

  it('recognises each way an instance words MFA or SSO, and not words that merely contain the letters', () => {
    const mfa = [
      'MFA required',
      'Multi-factor authentication',
      'multifactor',
      'multi factor',
      'Use SSO',
      'single sign-on',
      'single signon',
      'single sign on',
      'SAML assertion missing',
      'External authentication required',
    ];
    for (const words of mfa)
      expect(failureFromAnswer(read, answer(401, errorBody(words)))?.code, words).toBe('mfa_required');
    for (const words of ['User amfa2 unknown', 'The SSOT copy is locked', 'mfas', 'Bad password'])
      expect(failureFromAnswer(read, answer(401, errorBody(words)))?.code, words).toBe('bad_credentials');
  });
});

describe('failureFromAnswer: other refusals', () => {
  it('403 quotes the instance when it says something, and says what to check', () => {
    const tail =
      'If it names an access control (ACL) or security, the user lacks a role (the procedure needs admin); ' +
      'otherwise a business rule or data policy rejected the values.';
    expect(failureFromAnswer(write, answer(403, errorBody('ACL Exception', 'Insert failed')))).toEqual({
      code: 'forbidden',
      message: `The instance refused to create a http_connection record: "ACL Exception: Insert failed". ${tail}`,
      status: 403,
      instanceMessage: 'ACL Exception: Insert failed',
      ambiguous: false,
    });
    expect(failureFromAnswer(write, answer(403))?.message).toBe(
      `The instance refused to create a http_connection record. ${tail}`,
    );
  });

  it("the instance's words: message and detail once each, at most 500 characters", () => {
    expect(failureFromAnswer(read, answer(403, errorBody('Same', 'Same')))?.instanceMessage).toBe('Same');
    expect(failureFromAnswer(read, answer(403, errorBody(null, 'Only detail')))?.instanceMessage).toBe(
      'Only detail',
    );
    expect(failureFromAnswer(read, answer(403, errorBody('x'.repeat(600))))?.instanceMessage).toBe(
      'x'.repeat(500),
    );
    expect(failureFromAnswer(read, answer(403, errorBody(null, null)))).not.toHaveProperty('instanceMessage');
  });

  it('a JSON answer without a failure member gives no instance words', () => {
    expect(failureFromAnswer(read, answer(404, json({ result: [] })))).not.toHaveProperty('instanceMessage');
  });

  it('404 says nothing was found or an ACL hides it', () => {
    expect(failureFromAnswer(read, answer(404))).toEqual({
      code: 'not_found',
      message:
        'Nothing was found when asked to read sys_alias, or an access control (ACL) hides it from this user.',
      status: 404,
      ambiguous: false,
    });
  });

  it('429 says until when, or to wait a little', () => {
    expect(failureFromAnswer(read, { ...answer(429), retryAt: '2026-03-01T11:00:00.000Z' })?.message).toBe(
      'The instance is rate limiting this user until 2026-03-01T11:00:00.000Z.',
    );
    expect(failureFromAnswer(read, answer(429))).toEqual({
      code: 'rate_limited',
      message: 'The instance is rate limiting this user. Wait a little and try again.',
      status: 429,
      ambiguous: false,
    });
  });

  it('a 5xx queue cancellation is transaction_cancelled; 499 with the same words is not', () => {
    const queue = errorBody('Transaction cancelled: max wait time in queue');
    expect(failureFromAnswer(read, answer(500, queue))).toEqual({
      code: 'transaction_cancelled',
      message:
        'The instance cancelled the transaction to read sys_alias while it waited in the queue. Try again later.',
      status: 500,
      instanceMessage: 'Transaction cancelled: max wait time in queue',
      ambiguous: false,
    });
    expect(failureFromAnswer(read, answer(503, errorBody('maximum execution time exceeded')))?.code).toBe(
      'transaction_cancelled',
    );
    expect(failureFromAnswer(read, answer(503, errorBody('Transaction canceled by the queue')))?.code).toBe(
      'transaction_cancelled',
    );
    expect(failureFromAnswer(read, answer(499, queue))?.code).toBe('unexpected');
  });

  it('a server error names the status and the call, quoting the instance when it says something', () => {
    expect(failureFromAnswer(read, answer(500, errorBody('NullPointerException')))?.message).toBe(
      'The instance had a server error (HTTP 500) on the request to read sys_alias: "NullPointerException". Try again; if it ' +
        'persists, check the instance is up.',
    );
    expect(failureFromAnswer(read, answer(500))?.message).toBe(
      'The instance had a server error (HTTP 500) on the request to read sys_alias. Try again; if it persists, check the ' +
        'instance is up.',
    );
  });

  it('a 3xx is a redirect up to 399; 400 is a plain rejection quoting the instance', () => {
    expect(failureFromAnswer(read, answer(399))?.message).toMatch(
      /^The instance answered the request .* \(HTTP 399\)/,
    );
    expect(failureFromAnswer(read, answer(400, errorBody('Invalid query')))).toEqual({
      code: 'unexpected',
      message: 'The instance rejected the request to read sys_alias (HTTP 400): "Invalid query".',
      status: 400,
      instanceMessage: 'Invalid query',
      ambiguous: false,
    });
    expect(failureFromAnswer(read, answer(400))?.message).toBe(
      'The instance rejected the request to read sys_alias (HTTP 400).',
    );
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
const HOST = 'acme.service-now.com';
const MAYBE_SAVED = ' The change may have been saved; re-read before sending it again.';

describe('failureFromTransport: messages', () => {
  it('a cancelled call says so, and whether the write may have landed', () => {
    expect(failureFromTransport(read, facts({ aborted: true }), HOST)).toEqual({
      code: 'unexpected',
      message: 'Cancelled: read sys_alias.',
      ambiguous: false,
    });
    expect(failureFromTransport(write, facts({ aborted: true, uploaded: true }), HOST)).toEqual({
      code: 'unexpected',
      message: `Cancelled: create a http_connection record.${MAYBE_SAVED}`,
      ambiguous: true,
    });
  });

  it('a cancelled write that never reached the instance was not saved, whatever the upload timing says', () => {
    const neverSent: Partial<TransportFacts>[] = [
      { code: 'ECONNREFUSED' },
      { code: 'CERT_HAS_EXPIRED' },
      { timeoutEvent: 'connect' },
      { proxyStatus: 407 },
    ];
    for (const signal of neverSent)
      expect(failureFromTransport(write, facts({ ...signal, aborted: true, uploaded: true }), HOST)).toEqual({
        code: 'unexpected',
        message: 'Cancelled: create a http_connection record.',
        ambiguous: false,
      });
    expect(
      failureFromTransport(write, facts({ timeoutEvent: 'response', aborted: true, uploaded: true }), HOST)
        .ambiguous,
    ).toBe(true);
  });

  it('TLS names the host and the code, and how to add a CA; EPROTO only as a whole code', () => {
    expect(
      failureFromTransport(write, facts({ code: 'ERR_SSL_WRONG_VERSION_NUMBER', uploaded: true }), HOST),
    ).toEqual({
      code: 'tls',
      message:
        `The secure connection to ${HOST} failed (ERR_SSL_WRONG_VERSION_NUMBER). A corporate proxy that inspects ` +
        'TLS needs its root certificate: set SPOKESMITH_EXTRA_CA_CERTS (or NODE_EXTRA_CA_CERTS) to a PEM file.',
      ambiguous: false,
    });
    for (const code of ['EPROTO', 'HOSTNAME_MISMATCH', 'UNABLE_TO_GET_ISSUER_CERT'])
      expect(failureFromTransport(read, facts({ code }), HOST).code, code).toBe('tls');
    expect(failureFromTransport(read, facts({ code: 'EPROTONOSUPPORT' }), HOST).code).toBe('unexpected');
    expect(failureFromTransport(read, facts({ code: 'XCERT_' }), HOST).code).toBe('unexpected');
  });

  it('a proxy refusal names the host and the status', () => {
    expect(failureFromTransport(write, facts({ proxyStatus: 407, uploaded: true }), HOST)).toEqual({
      code: 'network',
      message: `The proxy refused to connect to ${HOST} (HTTP 407). Check HTTPS_PROXY and its credentials.`,
      ambiguous: false,
    });
  });

  it('a connect-phase timeout names the phase; any other timeout names the call', () => {
    for (const phase of ['lookup', 'connect', 'secureConnect'])
      expect(failureFromTransport(write, facts({ timeoutEvent: phase, uploaded: true }), HOST)).toEqual({
        code: 'timeout',
        message: `Connecting to ${HOST} timed out (${phase}). Check the network, VPN or proxy.`,
        ambiguous: false,
      });
    expect(failureFromTransport(write, facts({ code: 'ETIMEDOUT', uploaded: true }), HOST)).toEqual({
      code: 'timeout',
      message: `The instance did not answer the request to create a http_connection record in time.${MAYBE_SAVED}`,
      ambiguous: true,
    });
    expect(failureFromTransport(read, facts({ timeoutEvent: 'response' }), HOST).message).toBe(
      'The instance did not answer the request to read sys_alias in time.',
    );
  });

  it('DNS, refusal and unreachable name the host; none of them can have saved anything', () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN'])
      expect(failureFromTransport(write, facts({ code, uploaded: true }), HOST)).toEqual({
        code: 'network',
        message: `${HOST} could not be found (DNS ${code}). Check the instance name and the network.`,
        ambiguous: false,
      });
    expect(failureFromTransport(write, facts({ code: 'ECONNREFUSED', uploaded: true }), HOST)).toEqual({
      code: 'network',
      message: `${HOST} refused the connection. Check the URL and port.`,
      ambiguous: false,
    });
    for (const code of ['ENETUNREACH', 'EHOSTUNREACH'])
      expect(failureFromTransport(write, facts({ code, uploaded: true }), HOST)).toEqual({
        code: 'network',
        message: `${HOST} is unreachable (${code}). Check the network or VPN.`,
        ambiguous: false,
      });
  });

  it('a cut connection says whether the request had been sent', () => {
    expect(failureFromTransport(write, facts({ code: 'EPIPE', uploaded: true }), HOST)).toEqual({
      code: 'network',
      message: `The connection to ${HOST} was cut (EPIPE) after the request was sent.${MAYBE_SAVED}`,
      ambiguous: true,
    });
    expect(failureFromTransport(write, facts({ code: 'ECONNRESET' }), HOST).message).toBe(
      `The connection to ${HOST} was cut (ECONNRESET) before the request was sent.`,
    );
  });

  it('anything else names the call and the code, or says there was none', () => {
    expect(failureFromTransport(write, facts({ code: 'EWHATEVER', uploaded: true }), HOST)).toEqual({
      code: 'unexpected',
      message: `The request to create a http_connection record failed (EWHATEVER).${MAYBE_SAVED}`,
      ambiguous: true,
    });
    expect(failureFromTransport(read, facts({}), HOST).message).toBe(
      'The request to read sys_alias failed (no error code).',
    );
  });
});

describe('failureFromOversize', () => {
  it('names the host, the call, both sizes and the setting; a write may have been saved', () => {
    expect(
      failureFromOversize(write, HOST, {
        bytes: 40 * 1024 * 1024,
        limitBytes: 32 * 1024 * 1024,
        stopped: false,
      }),
    ).toEqual({
      code: 'too_large',
      message:
        `${HOST} answered the request to create a http_connection record with 40 MB, more than the limit of 32 MB; the answer was ` +
        'dropped unread. A real instance does not send that much for one call: check the instance URL. To allow ' +
        `bigger answers, set SPOKESMITH_MAX_RESPONSE_MB (in MB).${MAYBE_SAVED}`,
      ambiguous: true,
    });
  });

  it('says "more than" and "as it arrived" for a download it stopped; one decimal under 10 MB', () => {
    const f = failureFromOversize(read, HOST, {
      bytes: 2.5 * 1024 * 1024,
      limitBytes: 2 * 1024 * 1024,
      stopped: true,
    });
    expect(f.message).toBe(
      `${HOST} answered the request to read sys_alias with more than 2.5 MB, more than the limit of 2.0 MB; the answer was ` +
        'dropped as it arrived. A real instance does not send that much for one call: check the instance URL. To ' +
        'allow bigger answers, set SPOKESMITH_MAX_RESPONSE_MB (in MB).',
    );
    expect(f.ambiguous).toBe(false);
    expect(
      failureFromOversize(read, HOST, {
        bytes: 10 * 1024 * 1024,
        limitBytes: 9.96 * 1024 * 1024,
        stopped: false,
      }).message,
    ).toMatch(/ with 10 MB, more than the limit of 10\.0 MB;/);
  });
});

describe('isTransientTransport', () => {
  it('retries resets, broken pipes, DNS hiccups and connect timeouts; never a cancelled call', () => {
    for (const code of ['ECONNRESET', 'EPIPE', 'EAI_AGAIN', 'ETIMEDOUT'])
      expect(isTransientTransport(facts({ code })), code).toBe(true);
    for (const phase of ['lookup', 'connect', 'secureConnect'])
      expect(isTransientTransport(facts({ timeoutEvent: phase })), phase).toBe(true);
    expect(isTransientTransport(facts({ timeoutEvent: 'request', code: 'ETIMEDOUT' }))).toBe(false);
    expect(isTransientTransport(facts({ code: 'ECONNRESET', aborted: true }))).toBe(false);
    expect(isTransientTransport(facts({}))).toBe(false);
    expect(isTransientTransport(facts({ code: 'EHOSTUNREACH' }))).toBe(false);
  });
});

describe('transportFacts', () => {
  it('reads a cancellation by code or by name', () => {
    expect(transportFacts({ code: 'ERR_ABORTED' }).aborted).toBe(true);
    expect(transportFacts({ name: 'AbortError' }).aborted).toBe(true);
    expect(transportFacts({ name: 'CancelError' }).aborted).toBe(true);
    expect(transportFacts({ name: 'RequestError', code: 'ECONNRESET' }).aborted).toBe(false);
  });

  it('a phase only from a TimeoutError, a proxy status only from "Bad response: NNN"', () => {
    expect(transportFacts({ name: 'RequestError', event: 'connect' }).timeoutEvent).toBeUndefined();
    expect(transportFacts({ name: 'TimeoutError', event: 42 }).timeoutEvent).toBeUndefined();
    expect(transportFacts(new Error('Bad response: 502')).proxyStatus).toBe(502);
    expect(transportFacts(new Error('Bad response')).proxyStatus).toBeUndefined();
    expect(transportFacts({ timings: {} }).uploaded).toBe(false);
  });

  it('anything thrown, even not an object, gives empty facts', () => {
    const none = {
      code: undefined,
      timeoutEvent: undefined,
      uploaded: false,
      proxyStatus: undefined,
      aborted: false,
    };
    expect(transportFacts('boom')).toEqual(none);
    expect(transportFacts(null)).toEqual(none);
    expect(transportFacts({ code: 5, message: 7 })).toEqual(none);
  });
});

describe('ServiceNowError', () => {
  it('is recognised as such, and anything else is not', () => {
    const error = new ServiceNowError({ code: 'forbidden', message: 'no', ambiguous: false });
    expect(isServiceNowError(error)).toBe(true);
    expect(isServiceNowError(new Error('no'))).toBe(false);
    expect(error.name).toBe('ServiceNowError');
    expect(error.message).toBe('no');
  });

  it('says whether the caller cancelled it', () => {
    const failure = { code: 'unexpected', message: 'Cancelled: x.', ambiguous: false } as const;
    expect(new ServiceNowError(failure).cancelled).toBe(false);
    expect(new ServiceNowError(failure, { cancelled: true }).cancelled).toBe(true);
  });
});
