// Maps every way a call can fail onto the closed set in src/shared/servicenow/errors.ts, with messages a
// consultant can act on. Only a 401 is ever called a credential problem (docs/reliability.md §7 check 10). The
// error we throw is built from our own words and the instance's message: a got error (whose `options` hold
// the password and Authorization header) is never wrapped, attached as `cause` or serialized.
import type { ServiceNowErrorCode, ServiceNowFailure } from '../../shared/servicenow/errors';
import type { BodyKind } from './body';

export class ServiceNowError extends Error {
  override readonly name = 'ServiceNowError';
  readonly failure: ServiceNowFailure;
  /** The caller's AbortSignal fired; `failure.ambiguous` still says whether a write may have landed. */
  readonly cancelled: boolean;

  constructor(failure: ServiceNowFailure, options: { cancelled?: boolean } = {}) {
    super(failure.message);
    this.failure = failure;
    this.cancelled = options.cancelled ?? false;
  }

  get code(): ServiceNowErrorCode {
    return this.failure.code;
  }

  toJSON(): { name: string; failure: ServiceNowFailure } {
    return { name: this.name, failure: this.failure };
  }
}

export function isServiceNowError(error: unknown): error is ServiceNowError {
  return error instanceof ServiceNowError;
}

/** What the failing call was, in words: "read sys_alias", "create http_connection". */
export interface CallContext {
  /** What the call does, as a verb phrase that reads after "the request to": `read sys_alias`. */
  what: string;
  /** POST, PATCH or DELETE: a lost answer may hide a committed change. */
  write: boolean;
  /** Added to the bad_credentials message (the token endpoint also checks the OAuth client). */
  credentialHint?: string;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: BodyKind;
  /** From Retry-After / X-RateLimit-Reset, already resolved by the caller. */
  retryAt?: string;
}

function header(headers: HttpAnswer['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function instanceText(body: BodyKind): string | undefined {
  if (body.kind !== 'json' && body.kind !== 'garbled') return undefined;
  const failure = body.failure;
  if (!failure) return undefined;
  const parts = [failure.message, failure.detail].filter((p): p is string => !!p);
  const text = [...new Set(parts)].join(': ');
  return text ? text.slice(0, 500) : undefined;
}

const MFA_HINT = /\bmfa\b|multi[- ]?factor|\bsso\b|single sign[- ]?on|saml|external auth/i;
const CANCELLED = /transaction cancell?ed|maximum execution time/i;
const GATEWAY_STATUSES = new Set([502, 503, 504]);

function failure(
  code: ServiceNowErrorCode,
  message: string,
  extra: Partial<ServiceNowFailure> = {},
): ServiceNowFailure {
  const out: ServiceNowFailure = { code, message, ambiguous: false };
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** `null` when the answer is a success the caller can parse. */
export function failureFromAnswer(ctx: CallContext, answer: HttpAnswer): ServiceNowFailure | null {
  const { status, body } = answer;
  const instanceMessage = instanceText(body);
  const base = { status, instanceMessage };

  const saysHibernating = (body.kind === 'html' || body.kind === 'garbled') && body.hibernating;
  // A load balancer's own 502/503/504 page is HTML too; only the word "hibernating" makes it a sleeping
  // instance. Any other page where data was expected is treated as one (docs/reliability.md §4.4).
  if (saysHibernating || (body.kind === 'html' && !GATEWAY_STATUSES.has(status))) {
    return failure(
      'hibernating',
      'The instance answered with a web page instead of data: a developer instance that is hibernating does ' +
        'this. Wake it from the developer portal (developer.servicenow.com), wait until it loads in a browser, ' +
        'then try again.',
      { status },
    );
  }
  if (status >= 200 && status < 300) {
    const bodyFailure = body.kind === 'json' || body.kind === 'garbled' ? body.failure : null;
    if (bodyFailure) {
      return failure(
        'transaction_cancelled',
        `The instance cancelled the transaction to ${ctx.what} before it finished (usually the 60-second ` +
          'transaction quota). ' +
          (ctx.write ? 'Part of it may have been saved; re-read before trying again.' : 'Try again later.'),
        { ...base, ambiguous: ctx.write },
      );
    }
    if (body.kind === 'garbled') {
      return failure(
        'unexpected',
        `The instance's answer to the request to ${ctx.what} was cut short or is not valid JSON.`,
        {
          ...base,
          ambiguous: ctx.write,
        },
      );
    }
    return null;
  }
  switch (status) {
    case 401: {
      const mfa =
        header(answer.headers, 'x-mfa_token')?.toLowerCase() === 'invalid' ||
        MFA_HINT.test(instanceMessage ?? '') ||
        MFA_HINT.test(header(answer.headers, 'www-authenticate') ?? '');
      return mfa
        ? failure(
            'mfa_required',
            'The instance requires multi-factor or single sign-on for this user. Use a local integration ' +
              'user without MFA/SSO for REST calls, or OAuth.',
            base,
          )
        : failure(
            'bad_credentials',
            'The instance rejected the user name or password (HTTP 401). Check them, and that the user is ' +
              'active, not locked out and allowed to use web services.' +
              (ctx.credentialHint ? ` ${ctx.credentialHint}` : ''),
            base,
          );
    }
    case 403:
      return failure(
        'forbidden',
        `The instance refused to ${ctx.what}` +
          (instanceMessage ? `: "${instanceMessage}". ` : '. ') +
          'If it names an access control (ACL) or security, the user lacks a role (the procedure needs admin); ' +
          'otherwise a business rule or data policy rejected the values.',
        base,
      );
    case 404:
      return failure(
        'not_found',
        `Nothing was found when asked to ${ctx.what}, or an access control (ACL) hides it from this user.`,
        base,
      );
    case 429:
      return failure(
        'rate_limited',
        'The instance is rate limiting this user' +
          (answer.retryAt ? ` until ${answer.retryAt}.` : '. Wait a little and try again.'),
        { ...base, retryAt: answer.retryAt },
      );
    default:
      break;
  }
  if (status >= 500 && CANCELLED.test(instanceMessage ?? '')) {
    return failure(
      'transaction_cancelled',
      `The instance cancelled the transaction to ${ctx.what} while it waited in the queue. Try again later.`,
      base,
    );
  }
  if (status >= 500) {
    return failure(
      'unexpected',
      `The instance had a server error (HTTP ${status}) on the request to ${ctx.what}` +
        (instanceMessage ? `: "${instanceMessage}".` : '.') +
        ' Try again; if it persists, check the instance is up.',
      base,
    );
  }
  if (status >= 300 && status < 400) {
    return failure(
      'unexpected',
      `The instance answered the request to ${ctx.what} with a redirect (HTTP ${status}), which the REST API ` +
        'never does: a single sign-on gateway or a wrong instance URL is the usual cause.',
      base,
    );
  }
  return failure(
    'unexpected',
    `The instance rejected the request to ${ctx.what} (HTTP ${status})` +
      (instanceMessage ? `: "${instanceMessage}".` : '.'),
    base,
  );
}

// --- Transport failures (no answer) ---

const TLS_CODE =
  /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|EPROTO$)/;
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
const CONNECT_PHASES = new Set(['lookup', 'connect', 'secureConnect']);

/** The few facts we read from a got RequestError (duck-typed: nothing else of it is kept). */
export interface TransportFacts {
  code: string | undefined;
  /** got TimeoutError's phase. */
  timeoutEvent: string | undefined;
  /** The request body was handed to the socket, so the instance may have acted on it. */
  uploaded: boolean;
  /** hpagent's "Bad response: 407" when the proxy refuses the tunnel. */
  proxyStatus: number | undefined;
  aborted: boolean;
}

export function transportFacts(error: unknown): TransportFacts {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const code = typeof e['code'] === 'string' ? e['code'] : undefined;
  const timings = e['timings'] as { upload?: number } | undefined;
  const event = e['name'] === 'TimeoutError' && typeof e['event'] === 'string' ? e['event'] : undefined;
  const message = typeof e['message'] === 'string' ? e['message'] : '';
  const proxy = /Bad response: (\d{3})/.exec(message);
  return {
    code,
    timeoutEvent: event,
    uploaded: typeof timings?.upload === 'number',
    proxyStatus: proxy ? Number(proxy[1]) : undefined,
    aborted: code === 'ERR_ABORTED' || e['name'] === 'AbortError' || e['name'] === 'CancelError',
  };
}

export function failureFromTransport(
  ctx: CallContext,
  facts: TransportFacts,
  host: string,
): ServiceNowFailure {
  const code = facts.code;
  const notSent =
    (code !== undefined && (NOT_SENT_CODES.has(code) || TLS_CODE.test(code))) ||
    (facts.timeoutEvent !== undefined && CONNECT_PHASES.has(facts.timeoutEvent)) ||
    facts.proxyStatus !== undefined;
  const ambiguous = ctx.write && !notSent && facts.uploaded;
  const maybeSaved = ambiguous ? ' The change may have been saved; re-read before sending it again.' : '';

  if (facts.aborted) return failure('unexpected', `Cancelled: ${ctx.what}.${maybeSaved}`, { ambiguous });
  if (code !== undefined && TLS_CODE.test(code)) {
    return failure(
      'tls',
      `The secure connection to ${host} failed (${code}). A corporate proxy that inspects TLS needs its root ` +
        'certificate: set SPOKESMITH_EXTRA_CA_CERTS (or NODE_EXTRA_CA_CERTS) to a PEM file.',
    );
  }
  if (facts.proxyStatus !== undefined) {
    return failure(
      'network',
      `The proxy refused to connect to ${host} (HTTP ${facts.proxyStatus}). Check HTTPS_PROXY and its credentials.`,
    );
  }
  if (facts.timeoutEvent !== undefined || code === 'ETIMEDOUT') {
    const phase = facts.timeoutEvent ?? 'request';
    return CONNECT_PHASES.has(phase)
      ? failure('timeout', `Connecting to ${host} timed out (${phase}). Check the network, VPN or proxy.`)
      : failure('timeout', `The instance did not answer the request to ${ctx.what} in time.${maybeSaved}`, {
          ambiguous,
        });
  }
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return failure(
        'network',
        `${host} could not be found (DNS ${code}). Check the instance name and the network.`,
      );
    case 'ECONNREFUSED':
      return failure('network', `${host} refused the connection. Check the URL and port.`);
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return failure('network', `${host} is unreachable (${code}). Check the network or VPN.`);
    case 'ECONNRESET':
    case 'EPIPE':
      return failure(
        'network',
        `The connection to ${host} was cut (${code}) ${facts.uploaded ? 'after the request was sent' : 'before the request was sent'}.${maybeSaved}`,
        { ambiguous },
      );
    default:
      return failure(
        'unexpected',
        `The request to ${ctx.what} failed (${code ?? 'no error code'}).${maybeSaved}`,
        {
          ambiguous,
        },
      );
  }
}

/**
 * An answer bigger than the client's limit: `bytes` is the declared Content-Length when the instance
 * announced it, else what had arrived when the download was stopped (`stopped`).
 */
export function failureFromOversize(
  ctx: CallContext,
  host: string,
  size: { bytes: number; limitBytes: number; stopped: boolean },
): ServiceNowFailure {
  const mb = (bytes: number) => {
    const value = bytes / (1024 * 1024);
    return value >= 10 ? String(Math.round(value)) : value.toFixed(1);
  };
  return failure(
    'too_large',
    `${host} answered the request to ${ctx.what} with ${size.stopped ? 'more than ' : ''}${mb(size.bytes)} MB, more than the ` +
      `limit of ${mb(size.limitBytes)} MB; the answer was dropped${size.stopped ? ' as it arrived' : ' unread'}. ` +
      'A real instance does not send that much for one call: check the instance URL. To allow bigger answers, ' +
      `set ${RESPONSE_LIMIT_ENV} (in MB).` +
      (ctx.write ? ' The change may have been saved; re-read before sending it again.' : ''),
    { ambiguous: ctx.write },
  );
}

/** Overrides the default per-response limit (ClientOptions.maxResponseBytes wins over it). */
export const RESPONSE_LIMIT_ENV = 'SPOKESMITH_MAX_RESPONSE_MB';

/** Whether retrying an idempotent call can help. */
export function isTransientTransport(facts: TransportFacts): boolean {
  if (facts.aborted) return false;
  if (facts.timeoutEvent !== undefined) return CONNECT_PHASES.has(facts.timeoutEvent);
  return ['ECONNRESET', 'EPIPE', 'EAI_AGAIN', 'ETIMEDOUT'].includes(facts.code ?? '');
}
