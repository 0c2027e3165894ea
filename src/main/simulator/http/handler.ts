// One HTTP request through the simulator: control API, request log, body limit, faults, authentication,
// the session's transaction slots, then the Table / Batch / OAuth / page handlers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimCore } from '../core';
import { BATCH_TIME_LIMIT_MS } from '../core';
import { authenticate } from '../auth/authenticate';
import { handleOAuthToken } from '../auth/oauth-endpoint';
import { handleEntraToken } from '../entra-stand-in/token-endpoint';
import { batchTargets, handleBatch } from '../batch/batch-api';
import { immediateFaultResponse, quotaCancelled } from '../faults/responses';
import { handlePage, homePage, loginRequired } from '../pages/pages';
import { callerFor } from '../rules/caller';
import { handleTable, type TableContext } from '../tables/table-api';
import type { FaultSpec, RequestLogEntry } from '../types';
import { readBody } from './body';
import { handleControl } from './control';
import { failure, json, notAResource, notAuthenticated, type SimResponse } from './response';
import { classify, type Route } from './routes';

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function lowerHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name.toLowerCase()] = headerValue(value);
  return out;
}

export function send(
  res: ServerResponse,
  response: SimResponse,
  extra: Record<string, string | string[]> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | string[]> = { ...response.headers, ...extra };
  if (response.body !== null) headers['Content-Length'] = String(Buffer.byteLength(response.body));
  res.writeHead(response.status, headers);
  res.end(response.body ?? undefined);
}

/** Answers and closes the connection, for a request whose body is not read (413). */
function sendAndClose(req: IncomingMessage, res: ServerResponse, response: SimResponse): void {
  send(res, response, { Connection: 'close' });
  // Discard what the client still sends for a moment so it can read the answer, then drop the socket.
  req.on('data', () => undefined);
  const timer = setTimeout(() => req.socket.destroy(), 1000);
  timer.unref();
  res.on('close', () => clearTimeout(timer));
}

const tooLarge = (): SimResponse =>
  failure(413, 'Request Entity Too Large', 'The request body exceeds the maximum size allowed');

export async function handleRequest(core: SimCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const method = (req.method ?? 'GET').toUpperCase();
  let url: URL;
  try {
    // The request target is a path: parse it as one (a base URL would read `//x/y` as host `x`).
    const target = req.url ?? '/';
    url = new URL(target.startsWith('/') ? `http://simulator.invalid${target}` : target);
  } catch {
    sendAndClose(req, res, failure(400, 'Bad Request', 'The request URL is malformed'));
    return;
  }

  if (url.pathname.startsWith('/__simulator/')) {
    const read = await readBody(req, core.maxBodyBytes);
    if (!read.ok) {
      if (read.reason === 'too_large') sendAndClose(req, res, tooLarge());
      return;
    }
    send(res, handleControl(core, req, url.pathname, read.body));
    return;
  }

  const route = classify(url.pathname);
  const entry: RequestLogEntry = {
    at: started,
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    status: 0,
    durationMs: 0,
    user: null,
    session: null,
  };
  // A Batch API request is logged once its body is read, with the items it carries: whoever watches the
  // log (a test acting at "the first write batch") sees at once what the request holds.
  let logged = false;
  const log = (): void => {
    if (!logged) core.log.push(entry);
    logged = true;
  };
  if (route.kind !== 'batch') log();
  const finish = (status: number): void => {
    log();
    entry.status = status;
    entry.durationMs = Date.now() - started;
  };
  const answer = (response: SimResponse, extra: Record<string, string | string[]> = {}): void => {
    send(res, response, extra);
    finish(response.status);
  };

  const declared = Number(req.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > core.maxBodyBytes) {
    sendAndClose(req, res, tooLarge());
    finish(413);
    return;
  }

  // A batch is matched by the items it carries, so its body is read before the faults are chosen.
  let early: Awaited<ReturnType<typeof readBody>> | null = null;
  if (route.kind === 'batch') {
    early = await readBody(req, core.maxBodyBytes);
    if (early.ok) entry.items = batchTargets(early.body);
    log();
  }
  const selection = core.faults.select(
    { method, table: route.kind === 'table' ? route.table : null, path: url.pathname },
    entry.items,
  );
  const fault: FaultSpec | null = selection.answer;
  if (fault) entry.fault = fault.kind;

  if (fault?.kind === 'reset') {
    req.socket.destroy();
    finish(0);
    return;
  }
  if (fault?.kind === 'hang') {
    req.resume();
    return; // never answered; close() drops the connection
  }

  const read = early ?? (await readBody(req, core.maxBodyBytes));
  if (!read.ok) {
    if (read.reason === 'too_large') {
      sendAndClose(req, res, tooLarge());
      finish(413);
    }
    return;
  }
  const body = read.body;
  const headers = lowerHeaders(req);

  const immediate = fault ? immediateFaultResponse(fault) : null;
  if (immediate) {
    await sleep(selection.latencyMs);
    answer(immediate);
    return;
  }

  if (route.kind === 'oauth_token') {
    await sleep(selection.latencyMs);
    const { response, userName } = handleOAuthToken(
      core.db,
      core.tokens,
      method,
      headers['content-type'],
      body,
    );
    entry.user = userName;
    answer(response);
    return;
  }
  if (route.kind === 'entra_token') {
    await sleep(selection.latencyMs);
    const response = handleEntraToken(core.entra, {
      method,
      tenant: route.tenant,
      contentType: headers['content-type'],
      body,
    });
    if (response) answer(response); // null: the `hang` Entra fault, never answered
    return;
  }
  if (route.kind === 'unknown') {
    await sleep(selection.latencyMs);
    answer(
      json(404, {
        error: { message: 'Not Found', detail: `No resource at ${url.pathname}` },
        status: 'failure',
      }),
    );
    return;
  }

  const auth = authenticate(core.db, core.tokens, core.sessions, headers);
  if (!auth.ok) {
    await sleep(selection.latencyMs);
    answer(route.kind === 'page' || route.kind === 'home' ? loginRequired() : notAuthenticated());
    return;
  }
  const caller = callerFor(core.db, auth.user);
  entry.user = caller.userName;
  entry.session = auth.session.label;
  const cookies: Record<string, string[]> = auth.newSession
    ? { 'Set-Cookie': core.sessions.setCookies(auth.session) }
    : {};

  const response = await auth.session.slots.run(async () => {
    await sleep(selection.latencyMs);
    const result = await dispatch(
      core,
      route,
      { db: core.db, baseUrl: core.baseUrl, caller },
      method,
      url,
      headers,
      body,
      entry,
    );
    await core.flush();
    return result;
  });

  if (fault?.kind === 'hang_after_commit') return; // the write is done; the answer never comes
  answer(fault?.kind === 'quota_cancel' ? quotaCancelled(response) : response, cookies);
}

async function dispatch(
  core: SimCore,
  route: Route,
  ctx: TableContext,
  method: string,
  url: URL,
  headers: Record<string, string | undefined>,
  body: Buffer | null,
  entry: RequestLogEntry,
): Promise<SimResponse> {
  switch (route.kind) {
    case 'table':
      return handleTable(ctx, {
        method,
        collectionPath: route.collectionPath,
        table: route.table,
        sysId: route.sysId,
        query: url.searchParams,
        headers,
        body,
      });
    case 'batch': {
      if (method !== 'POST') return failure(405, 'Method not Supported', 'The Batch API accepts POST only');
      const { response, items, statuses } = await handleBatch(ctx, headers['content-type'], body, {
        timeLimitMs: core.options.batchTimeLimitMs ?? BATCH_TIME_LIMIT_MS,
        itemLatencyMs: core.options.batchItemLatencyMs ?? 0,
        itemFault: (target) => core.faults.selectItem(target),
      });
      entry.batchItems = items;
      entry.items?.forEach((item, index) => (item.status = statuses[index] ?? 0));
      return response;
    }
    case 'page':
      return handlePage({
        method,
        page: route.page,
        query: url.searchParams,
        db: core.db,
        caller: ctx.caller,
        instanceName: core.instanceName,
      });
    case 'home':
      return homePage({ db: core.db, caller: ctx.caller, instanceName: core.instanceName });
    default:
      return notAResource();
  }
}
