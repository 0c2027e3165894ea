// When and how long to wait before sending an idempotent call again. Only GETs, all-GET batches and
// DELETEs come here: a POST or PATCH whose answer was lost is settled by re-reading, never by resending
// (docs/reliability.md §3.2).

export interface RetryPolicy {
  /** Retries after the first attempt. */
  limit: number;
  /** A Retry-After longer than this is not slept through: the call fails with `rate_limited` + `retryAt`. */
  maxRetryAfterMs: number;
  /** First backoff step when the instance gives no Retry-After; doubles per attempt, with jitter. */
  baseDelayMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  limit: 3,
  maxRetryAfterMs: 30_000,
  baseDelayMs: 500,
  maxBackoffMs: 15_000,
};

/** Statuses worth retrying on an idempotent call: rate limit and gateway/overload answers. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * How long the instance asked us to wait, in ms from `now`: `Retry-After` (seconds or an HTTP date) first,
 * then `X-RateLimit-Reset` (a UNIX time in seconds, docs/servicenow.md §3.5). `null` when neither is usable.
 */
export function requestedDelayMs(
  headers: Record<string, string | string[] | undefined>,
  now: number,
): number | null {
  const first = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const retryAfter = first('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = first('x-ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) {
    const value = Number(reset);
    // Seconds per the docs; tolerate milliseconds in case an instance or proxy sends them.
    const at = value > 1e12 ? value : value * 1000;
    return Math.max(0, at - now);
  }
  return null;
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries of many clients spread. */
export function backoffMs(
  retryNumber: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const step = Math.min(policy.maxBackoffMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
