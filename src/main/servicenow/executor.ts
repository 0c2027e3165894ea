// Sends one logical call: authenticates it, counts and logs each HTTP attempt (method, host, path,
// status, duration, retry number — never headers or bodies), maps failures, re-authenticates once after an
// OAuth 401 and retries only idempotent calls (./retry). got's own retry is off so this is the one place
// that decides; got's errors stop here and never travel further (./errors).
import type { IncomingHttpHeaders } from 'node:http';
import type { Got } from 'got';
import type { Logger } from '../log/logger';
import type { SecretSet } from '../log/redact';
import type { ServiceNowFailure } from '../../shared/servicenow/errors';
import { inspectBody, type BodyKind } from './body';
import {
  failureFromAnswer,
  failureFromOversize,
  failureFromTransport,
  isTransientTransport,
  ServiceNowError,
  transportFacts,
  type CallContext,
} from './errors';
import { backoffMs, requestedDelayMs, RETRY_STATUSES, sleep, type RetryPolicy } from './retry';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface Call {
  method: Method;
  /** Absolute path on the instance, e.g. `/api/now/table/sys_alias`. */
  path: string;
  search?: URLSearchParams;
  json?: unknown;
  form?: Record<string, string>;
  /** False only for the token endpoint, which authenticates with its form. */
  authenticated: boolean;
  /** Safe to send again after a lost or refused answer (GET, DELETE, all-GET batch). */
  idempotent: boolean;
  ctx: CallContext;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: BodyKind;
}

export interface ExecutorDeps {
  http: Got;
  origin: string;
  policy: RetryPolicy;
  logger: Logger;
  secrets: SecretSet;
  authorization: () => Promise<string>;
  /** Called after a 401 on an authenticated call; true when a fresh attempt is worth making. */
  reauthenticate: () => boolean;
  signal: AbortSignal | undefined;
  now: () => number;
  random: () => number;
  /** Largest answer accepted, in bytes after decompression; bigger ones are stopped while they stream. */
  maxResponseBytes: number;
}

type Attempt =
  | { kind: 'answer'; answer: Answer }
  | { kind: 'transport'; facts: ReturnType<typeof transportFacts> }
  | { kind: 'oversize'; bytes: number; stopped: boolean };

export function createExecutor(deps: ExecutorDeps): {
  execute(call: Call): Promise<Answer>;
  readonly requestCount: number;
} {
  const host = new URL(deps.origin).host;
  let requestCount = 0;
  // Until the instance has answered once, the client has no session cookie, and every concurrent call
  // would open a session of its own (docs/reliability.md §4.3). So the first authenticated call goes alone.
  let sessionOpen = false;
  let opening: Promise<void> | null = null;

  const safe = (failure: ServiceNowFailure): ServiceNowFailure => ({
    ...failure,
    message: deps.secrets.mask(failure.message),
    ...(failure.instanceMessage === undefined
      ? {}
      : { instanceMessage: deps.secrets.mask(failure.instanceMessage) }),
  });

  const cancelled = (call: Call, uploaded: boolean): ServiceNowError =>
    new ServiceNowError(
      failureFromTransport(
        call.ctx,
        { code: 'ERR_ABORTED', timeoutEvent: undefined, uploaded, proxyStatus: undefined, aborted: true },
        host,
      ),
      { cancelled: true },
    );

  const sendOnce = async (call: Call, retry: number): Promise<Attempt> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.authenticated) headers['authorization'] = await deps.authorization();
    let body: string | undefined;
    if (call.form) {
      body = new URLSearchParams(call.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (call.json !== undefined) {
      body = JSON.stringify(call.json);
      headers['content-type'] = 'application/json';
    } else if (call.method !== 'GET') {
      // The Table API answers 400 to a DELETE without it (docs/servicenow.md §3.1).
      headers['content-type'] = 'application/json';
    }
    const url = new URL(call.path, deps.origin);
    if (call.search) url.search = call.search.toString();

    requestCount++;
    const started = deps.now();
    const logFields = { method: call.method, host, path: call.path, retry };
    // An instance is untrusted input, its size included: got would buffer any answer whole (300 MB of
    // JSON took the CLI past 1.3 GB). A declared Content-Length above the limit is refused at the headers,
    // and the download is cancelled as soon as the bytes received (after decompression, so a compressed
    // bomb counts at its real size) pass it.
    let oversize: { bytes: number; stopped: boolean } | null = null;
    try {
      const request = deps.http(url, {
        method: call.method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
      // got reports progress first when the headers arrive (`total` is the declared Content-Length), then
      // per chunk read; its promise's own 'response' event comes only after the whole body.
      request.on('downloadProgress', ({ transferred, total }: { transferred: number; total?: number }) => {
        if (oversize !== null) return;
        if (total !== undefined && total > deps.maxResponseBytes) oversize = { bytes: total, stopped: false };
        else if (transferred > deps.maxResponseBytes) oversize = { bytes: transferred, stopped: true };
        else return;
        request.cancel();
      });
      const response = await request;
      // Any answer, even an error, carries the session cookie (the jar has stored it by now).
      if (call.authenticated) sessionOpen = true;
      const contentType = response.headers['content-type'];
      const answer: Answer = {
        status: response.statusCode,
        headers: response.headers,
        body: inspectBody(response.body, contentType),
      };
      // Info, not debug: the app's log file keeps a trail of every call made to a customer's instance.
      const level = response.statusCode >= 400 ? 'warn' : 'info';
      deps.logger[level]('servicenow request', {
        ...logFields,
        status: response.statusCode,
        durationMs: deps.now() - started,
      });
      return { kind: 'answer', answer };
    } catch (error) {
      if (oversize !== null) {
        const { bytes, stopped } = oversize;
        deps.logger.warn('servicenow answer too large', {
          ...logFields,
          bytes,
          limitBytes: deps.maxResponseBytes,
          durationMs: deps.now() - started,
        });
        return { kind: 'oversize', bytes, stopped };
      }
      const facts = transportFacts(error);
      deps.logger.warn('servicenow request failed', {
        ...logFields,
        error: facts.code ?? 'unknown',
        ...(facts.timeoutEvent ? { phase: facts.timeoutEvent } : {}),
        durationMs: deps.now() - started,
      });
      return { kind: 'transport', facts };
    }
  };

  const execute = async (call: Call): Promise<Answer> => {
    if (!call.authenticated || sessionOpen) return attempt(call);
    if (opening) {
      await opening;
      return attempt(call);
    }
    let release = (): void => undefined;
    opening = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      return await attempt(call);
    } finally {
      opening = null;
      release();
    }
  };

  const attempt = async (call: Call): Promise<Answer> => {
    let retries = 0;
    let reauthenticated = false;
    for (;;) {
      if (deps.signal?.aborted) throw cancelled(call, false);
      const outcome = await sendOnce(call, retries);

      if (outcome.kind === 'oversize') {
        // Never retried: the same instance would send the same flood again.
        const limitBytes = deps.maxResponseBytes;
        throw new ServiceNowError(safe(failureFromOversize(call.ctx, host, { ...outcome, limitBytes })));
      }
      if (outcome.kind === 'transport') {
        const { facts } = outcome;
        if (facts.aborted || deps.signal?.aborted) throw cancelled(call, facts.uploaded);
        if (call.idempotent && isTransientTransport(facts) && retries < deps.policy.limit) {
          retries++;
          await pause(call, backoffMs(retries, deps.policy, deps.random));
          continue;
        }
        throw new ServiceNowError(safe(failureFromTransport(call.ctx, facts, host)));
      }

      const { answer } = outcome;
      const requested = requestedDelayMs(answer.headers, deps.now());
      const retryAt = requested === null ? undefined : new Date(deps.now() + requested).toISOString();
      const failure = failureFromAnswer(call.ctx, { ...answer, ...(retryAt ? { retryAt } : {}) });
      if (!failure) return answer;

      if (answer.status === 401 && call.authenticated && !reauthenticated && deps.reauthenticate()) {
        // A 401 means the instance did not act on the request, so even a POST may go once more.
        reauthenticated = true;
        deps.logger.info('servicenow re-authenticating after 401', {
          method: call.method,
          host,
          path: call.path,
        });
        continue;
      }
      const transient = RETRY_STATUSES.has(answer.status) && failure.code !== 'hibernating';
      if (call.idempotent && transient && retries < deps.policy.limit) {
        if (requested !== null && requested > deps.policy.maxRetryAfterMs) {
          // Don't sleep through an hourly rate-limit window: say when to come back instead.
          throw new ServiceNowError(safe(failure));
        }
        retries++;
        await pause(call, requested ?? backoffMs(retries, deps.policy, deps.random));
        continue;
      }
      throw new ServiceNowError(safe(failure));
    }
  };

  const pause = async (call: Call, ms: number): Promise<void> => {
    deps.logger.info('servicenow retry', { method: call.method, host, path: call.path, delayMs: ms });
    try {
      await sleep(ms, deps.signal);
    } catch {
      throw cancelled(call, false);
    }
  };

  return {
    execute,
    get requestCount() {
      return requestCount;
    },
  };
}
