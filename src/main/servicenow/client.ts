// One client per instance: a got.extend() instance with explicit timeouts, its
// own cookie jar so every call rides one API session (docs/reliability.md §4.3: basic auth without the cookie
// creates a session per request), the transport from ./transport and the call loop from ./executor.
import got from 'got';
import { createSilentLogger, type Logger } from '../log/logger';
import { SecretSet } from '../log/redact';
import { createAuthProvider, type InstanceAuth } from './auth';
import { createDeferredCookieJar } from './cookie-jar';
import { buildBatchRequest, readBatchResponse, type BatchRequestItem, type BatchResponseItem } from './batch';
import { RESPONSE_LIMIT_ENV, ServiceNowError } from './errors';
import { createExecutor, type Answer, type Call } from './executor';
import {
  deleteSearch,
  listSearch,
  queryValue,
  tablePath,
  writeSearch,
  type ListParams,
  type WriteParams,
} from './params';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
import { flattenRecord, ListBodySchema, SingleBodySchema, TokenBodySchema, type RawRecord } from './schemas';
import { createTransport, requestOptions, type TransportEnv } from './transport';
import { normalizeInstanceUrl } from '../../shared/workspace/instance-id';

export interface ClientOptions {
  /** https only, except loopback (the simulator). */
  instanceUrl: string;
  auth: InstanceAuth;
  /**
   * Defaults 10 s / 90 s / 120 s: the response timeout sits above ServiceNow's 60 s transaction quota so the
   * instance's own cancellation answer arrives instead of a client-side abort (docs/reliability.md §3.3).
   */
  timeouts?: { connectMs?: number; responseMs?: number; requestMs?: number };
  /** Applies to GETs, all-GET batches and DELETEs only. */
  retry?: { limit?: number; maxRetryAfterMs?: number; baseDelayMs?: number };
  logger?: Logger;
  signal?: AbortSignal;
  /**
   * Largest answer accepted for one call, in bytes (after decompression); bigger answers are stopped while
   * they stream in and fail with `too_large`. Default 32 MB, or SPOKESMITH_MAX_RESPONSE_MB from `env`.
   */
  maxResponseBytes?: number;
  /** Where network settings (extra CA files, the response limit) are read from; defaults to process.env. */
  env?: TransportEnv & { [RESPONSE_LIMIT_ENV]?: string | undefined };
  /** Clock and randomness, for tests of token expiry and backoff. */
  now?: () => number;
  random?: () => number;
}

export interface WhoAmI {
  userName: string;
  sysId: string;
  roles: string[];
}

export interface ListAllParams extends Omit<ListParams, 'limit' | 'offset'> {
  /** Records per request; default 1000. */
  pageSize?: number;
  /** Stop after this many records (a guard against a runaway query); default 100 000. */
  maxRecords?: number;
}

export interface ServiceNowClient {
  /** Normalized origin, no trailing slash. */
  readonly instanceUrl: string;
  /** The ServiceNow user the client signs in as (not a secret; lets discovery read roles in its one batch). */
  readonly userName: string;
  /** HTTP requests sent, retries and token requests included. */
  readonly requestCount: number;
  /** One page (default limit 1000); follows nothing implicitly. */
  list(table: string, params?: ListParams): Promise<RawRecord[]>;
  /** Every page, by offset, while the Link header offers rel="next" (or, without one, until an empty page). */
  listAll(table: string, params?: ListAllParams): Promise<RawRecord[]>;
  /** null on 404 (missing, or hidden by an ACL). */
  get(table: string, sysId: string, params?: ListParams): Promise<RawRecord | null>;
  create(table: string, body: Record<string, string>, params?: WriteParams): Promise<RawRecord>;
  update(
    table: string,
    sysId: string,
    body: Record<string, string>,
    params?: WriteParams,
  ): Promise<RawRecord>;
  /** 404 counts as already gone. Sent with query_no_domain: the record may be in any domain (docs/servicenow.md §3.7). */
  remove(table: string, sysId: string): Promise<void>;
  batch(items: BatchRequestItem[]): Promise<BatchResponseItem[]>;
  /** One authenticated read that proves the credentials work, plus the user's roles. */
  whoami(): Promise<WhoAmI>;
  /** Closes kept-alive sockets. The client must not be used afterwards. */
  close(): void;
}

const DEFAULT_TIMEOUTS = { connectMs: 10_000, responseMs: 90_000, requestMs: 120_000 };
const MB = 1024 * 1024;
/**
 * 32 MB: the biggest answer Spokesmith asks for is one page of 1000 records or one discovery batch, a few
 * MB at most; 32 leaves room for wide records while a fleet run's concurrency times the limit still fits
 * in memory.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * MB;

/** The option, else a positive SPOKESMITH_MAX_RESPONSE_MB, else the default. */
export function responseLimitBytes(option: number | undefined, envValue: string | undefined): number {
  if (option !== undefined) {
    if (!(option > 0)) throw new TypeError('maxResponseBytes must be a positive number of bytes.');
    return option;
  }
  const fromEnv = Number(envValue);
  return envValue && fromEnv > 0 ? Math.round(fromEnv * MB) : DEFAULT_MAX_RESPONSE_BYTES;
}

export function createServiceNowClient(options: ClientOptions): ServiceNowClient {
  const normalized = normalizeInstanceUrl(options.instanceUrl);
  if (!normalized.ok) throw new TypeError(normalized.message);
  const origin = normalized.url;
  const logger = (options.logger ?? createSilentLogger()).child({ instance: new URL(origin).host });
  const now = options.now ?? Date.now;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };

  const secrets = new SecretSet();
  const remember = (value: string): void => {
    secrets.add(value);
    logger.registerSecret(value);
  };

  const env = options.env ?? process.env;
  const maxResponseBytes = responseLimitBytes(options.maxResponseBytes, env[RESPONSE_LIMIT_ENV]);
  const transport = createTransport(origin, env);
  for (const problem of transport.caProblems) logger.warn('extra CA certificates not loaded', { problem });
  if (transport.proxy) logger.info('servicenow via proxy', { proxy: transport.proxy });

  const http = got.extend({
    ...requestOptions(transport, timeouts),
    cookieJar: createDeferredCookieJar(),
    headers: { 'user-agent': 'Spokesmith' },
  });

  // The executor needs the auth provider's header, and the provider fetches tokens through the executor.
  const auth = createAuthProvider(
    options.auth,
    async (form) => {
      const answer = await executor.execute({
        method: 'POST',
        path: '/oauth_token.do',
        form,
        authenticated: false,
        // A token request changes nothing on the instance; resending one after a lost answer is harmless.
        idempotent: true,
        ctx: {
          what: 'get an OAuth token',
          write: false,
          credentialHint:
            'For OAuth, also check the client id and secret of the Application Registry entry and that OAuth is active on the instance.',
        },
      });
      const parsed = TokenBodySchema.safeParse(answer.body.kind === 'json' ? answer.body.value : null);
      if (!parsed.success) throw unexpectedShape('get an OAuth token', answer.status, false);
      return parsed.data;
    },
    remember,
    now,
  );
  for (const secret of auth.secrets()) remember(secret);

  const executor = createExecutor({
    http,
    origin,
    policy,
    logger,
    secrets,
    authorization: () => auth.authorization(),
    reauthenticate: () => auth.invalidate(),
    signal: options.signal,
    now,
    random: options.random ?? Math.random,
    maxResponseBytes,
  });

  const call = (spec: Omit<Call, 'authenticated'>): Promise<Answer> =>
    executor.execute({ ...spec, authenticated: true });

  const readList = (what: string, answer: Answer, params?: ListParams): RawRecord[] => {
    const parsed = ListBodySchema.safeParse(answer.body.kind === 'json' ? answer.body.value : null);
    if (!parsed.success) throw unexpectedShape(what, answer.status, false);
    return parsed.data.result.map((r) => flattenRecord(r, params?.displayValue ?? false));
  };

  const readOne = (what: string, answer: Answer, write: boolean, params?: ListParams): RawRecord => {
    const parsed = SingleBodySchema.safeParse(answer.body.kind === 'json' ? answer.body.value : null);
    if (!parsed.success) throw unexpectedShape(what, answer.status, write);
    return flattenRecord(parsed.data.result, params?.displayValue ?? false);
  };

  const listPage = async (
    table: string,
    params?: ListParams,
  ): Promise<{ records: RawRecord[]; next: boolean | null }> => {
    const what = `read ${table}`;
    const answer = await call({
      method: 'GET',
      path: tablePath(table),
      search: listSearch(params),
      idempotent: true,
      ctx: { what, write: false },
    });
    const header = answer.headers['link'];
    const link = Array.isArray(header) ? header.join(',') : header;
    return {
      records: readList(what, answer, params),
      next: link === undefined ? null : /rel="?next"?/.test(link),
    };
  };
  const list = async (table: string, params?: ListParams): Promise<RawRecord[]> =>
    (await listPage(table, params)).records;

  const client: ServiceNowClient = {
    instanceUrl: origin,
    userName: options.auth.username,
    get requestCount() {
      return executor.requestCount;
    },
    list,

    async listAll(table, params = {}) {
      const pageSize = params.pageSize ?? 1000;
      const maxRecords = params.maxRecords ?? 100_000;
      const out: RawRecord[] = [];
      for (let offset = 0; out.length < maxRecords; offset += pageSize) {
        const page = await listPage(table, { ...params, limit: pageSize, offset });
        out.push(...page.records);
        // The Link header's rel="next" decides. Without one, only an empty page ends the list: the limit
        // applies before ACLs (docs/servicenow.md §3.2), so a short page can come mid-way.
        if (page.next === false || (page.next === null && page.records.length === 0)) break;
      }
      return out.slice(0, maxRecords);
    },

    async get(table, sysId, params) {
      const what = `read ${table} record ${sysId}`;
      try {
        const answer = await call({
          method: 'GET',
          path: tablePath(table, sysId),
          search: listSearch(params, false),
          idempotent: true,
          ctx: { what, write: false },
        });
        return readOne(what, answer, false, params);
      } catch (error) {
        if (error instanceof ServiceNowError && error.failure.code === 'not_found') return null;
        throw error;
      }
    },

    async create(table, body, params) {
      const what = `create a ${table} record`;
      const answer = await call({
        method: 'POST',
        path: tablePath(table),
        search: writeSearch(params),
        json: body,
        idempotent: false,
        ctx: { what, write: true },
      });
      return readOne(what, answer, true);
    },

    async update(table, sysId, body, params) {
      const what = `update ${table} record ${sysId}`;
      const answer = await call({
        method: 'PATCH',
        path: tablePath(table, sysId),
        search: writeSearch(params),
        json: body,
        idempotent: false,
        ctx: { what, write: true },
      });
      return readOne(what, answer, true);
    },

    async remove(table, sysId) {
      try {
        await call({
          method: 'DELETE',
          path: tablePath(table, sysId),
          // Addressed by sys_id in the scope discovery found it in, as an update is: an admin of a
          // sub-domain must reach a record of another domain, else the 404 reads as "already gone" while
          // the record stays (docs/servicenow.md §3.7).
          search: deleteSearch(),
          idempotent: true,
          ctx: { what: `delete ${table} record ${sysId}`, write: true },
        });
      } catch (error) {
        if (error instanceof ServiceNowError && error.failure.code === 'not_found') return;
        throw error;
      }
    },

    async batch(items) {
      if (items.length === 0) return [];
      const allGet = items.every((item) => item.method === 'GET');
      const what = `run a batch of ${items.length} request(s)`;
      const answer = await call({
        method: 'POST',
        path: '/api/now/v1/batch',
        json: buildBatchRequest(items),
        idempotent: allGet,
        ctx: { what, write: !allGet },
      });
      try {
        return readBatchResponse(items, answer.body.kind === 'json' ? answer.body.value : null);
      } catch {
        throw unexpectedShape(what, answer.status, !allGet);
      }
    },

    async whoami() {
      const userName = auth.username;
      const users = await list('sys_user', {
        query: `user_name=${queryValue(userName)}`,
        fields: ['sys_id', 'user_name'],
        limit: 1,
      });
      const user = users[0];
      if (!user?.sys_id) {
        // Authenticated (no 401), but the user cannot read its own sys_user row: roles stay unknown.
        return { userName, sysId: '', roles: [] };
      }
      let roles: string[] = [];
      try {
        const rows = await list('sys_user_has_role', {
          query: `user=${queryValue(user.sys_id)}^state=active`,
          fields: ['role'],
          displayValue: true,
        });
        roles = [...new Set(rows.map((r) => r['role'] ?? '').filter(Boolean))].sort();
      } catch (error) {
        // Reading roles needs more than reading oneself; a user who may not is reported with no roles.
        if (!(
          error instanceof ServiceNowError &&
          (error.failure.code === 'forbidden' || error.failure.code === 'not_found')
        ))
          throw error;
      }
      return { userName: user.user_name || userName, sysId: user.sys_id, roles };
    },

    close() {
      transport.close();
    },
  };
  return client;
}

function unexpectedShape(what: string, status: number, write: boolean): ServiceNowError {
  return new ServiceNowError({
    code: 'unexpected',
    message: `The instance's answer to ${what} has an unexpected shape (HTTP ${status}).`,
    status,
    ambiguous: write,
  });
}
