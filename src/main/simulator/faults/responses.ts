// What each answering fault sends, per the sources in docs/reliability.md §4.1–§4.4 and docs/servicenow.md §3.5.
import { randomBytes } from 'node:crypto';
import { failure, html, json, notAuthenticated, type SimResponse } from '../http/response';
import type { FaultSpec } from '../types';

/** sys_id of the simulated rate-limit rule (sys_rate_limit_rules). */
export const RATE_LIMIT_RULE = 'c4f4a8d1db2310104b8d7d0a0b9619a2';
const RATE_LIMIT = 100;

/**
 * 429. A rate-limit rule denial (§3.5) carries Retry-After, X-RateLimit-Limit/-Reset/-Rule and the documented
 * body. A full semaphore queue (retryAfterSeconds null, docs/reliability.md §4.1) documents no Retry-After and is
 * not a rule, so it carries no X-RateLimit-* headers either; its body text is UNCERTAIN.
 */
export function rateLimited(retryAfterSeconds: number | null): SimResponse {
  if (retryAfterSeconds === null) {
    return failure(
      429,
      'Too Many Requests',
      'The maximum number of queued transactions was exceeded (API_INT semaphore)',
    );
  }
  const reset = Math.ceil(Date.now() / 1000) + retryAfterSeconds;
  return failure(
    429,
    'Rate limit exceeded',
    `Rate limit of ${RATE_LIMIT} requests per hour for Table API exceeded`,
    {
      'Retry-After': String(retryAfterSeconds),
      'X-RateLimit-Limit': String(RATE_LIMIT),
      'X-RateLimit-Reset': String(reset),
      'X-RateLimit-Rule': RATE_LIMIT_RULE,
    },
  );
}

/** docs/reliability.md §4.4 [S14]: a hibernating PDI answers 200 with an HTML page, not JSON. */
export function hibernating(): SimResponse {
  return html(
    200,
    [
      '<!DOCTYPE html>',
      '<html><head><title>Hibernating Instance</title></head><body>',
      '<h1>Your instance is hibernating</h1>',
      '<p>Developer instances hibernate when they are idle. Sign in to the developer site to wake it up.</p>',
      '<p><a href="https://developer.servicenow.com/dev.do#!/home?wu=true">Sign in to developer.servicenow.com</a></p>',
      '</body></html>',
    ].join('\n'),
  );
}

export const QUOTA_CANCEL_ERROR = {
  message: 'Transaction cancelled: maximum execution time exceeded',
  detail:
    'maximum execution time exceeded Check logs for error trace or enable glide.rest.debug property to verify REST request processing',
};

/**
 * docs/reliability.md §4.2 [S3]: a transaction cancelled by a quota rule after it started answers 200 with the
 * error appended at the end of the body. An instance has no rollback, so the work done stays done.
 */
export function quotaCancelled(original: SimResponse): SimResponse {
  let result: unknown = [];
  try {
    const parsed = original.body ? (JSON.parse(original.body) as { result?: unknown }) : {};
    if (parsed.result !== undefined) result = parsed.result;
  } catch {
    // Not JSON: nothing of it survives the cancellation.
  }
  return json(200, { result, error: QUOTA_CANCEL_ERROR, status: 'failure' });
}

function serverError(status: 500 | 502 | 503): SimResponse {
  if (status === 500) {
    // A transaction cancelled while still queued (docs/reliability.md §4.2).
    return failure(
      500,
      'Transaction cancelled: maximum execution time exceeded',
      'The transaction was cancelled while waiting in the queue',
    );
  }
  // 502/503 come from the load balancer in front of the nodes: HTML, not JSON.
  const text = status === 502 ? '502 Bad Gateway' : '503 Service Unavailable';
  return html(status, `<html><head><title>${text}</title></head><body><h1>${text}</h1></body></html>`, {
    'X-Request-Id': randomBytes(8).toString('hex'),
  });
}

/** The answer of a fault that answers at once (not reset, hang, hang_after_commit, quota_cancel, latency). */
export function immediateFaultResponse(spec: FaultSpec): SimResponse | null {
  switch (spec.kind) {
    case 'rate_limit':
      return rateLimited(spec.retryAfterSeconds);
    case 'status':
      return serverError(spec.status);
    case 'hibernate':
      return hibernating();
    case 'forbidden':
      return failure(
        403,
        spec.message ?? 'Operation Failed',
        'ACL Exception Insert Failed due to security constraints',
      );
    case 'unauthorized':
      return notAuthenticated();
    case 'mfa_required':
      // docs/servicenow.md §3.4: with MFA on basic auth the 401 carries `X-MFA_TOKEN: invalid`.
      return { ...notAuthenticated(), headers: { ...notAuthenticated().headers, 'X-MFA_TOKEN': 'invalid' } };
    default:
      return null;
  }
}
