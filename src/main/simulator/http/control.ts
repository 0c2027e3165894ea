// The control API under /__simulator/ (not ServiceNow): end-to-end tests and `spokesmith sim` switch
// faults and scenarios at runtime through it. Loopback only, no auth, never in the request log.
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { SimCore } from '../core';
import { FaultSpecSchema } from '../faults/schema';
import { ENTRA_FAULTS, SCENARIOS, type EntraFault, type ScenarioName } from '../types';
import { maskStoredRow } from '../pages/mask';
import { json, type SimResponse } from './response';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const ResetSchema = z.object({ scenario: z.enum(SCENARIOS as [ScenarioName, ...ScenarioName[]]).optional() });
const LatencySchema = z.object({ ms: z.number().int().min(0) });
const EntraSchema = z
  .object({
    tenantId: z.string().min(1),
    tenantDomain: z.string().min(1),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    secretExpired: z.boolean(),
    adminConsented: z.boolean(),
    roles: z.array(z.string()),
    fault: z.enum(ENTRA_FAULTS as [EntraFault, ...EntraFault[]]).nullable(),
  })
  .strict()
  .partial();

function parseJson(body: Buffer | null): unknown {
  try {
    return JSON.parse(body?.toString('utf8') || '{}');
  } catch {
    return undefined;
  }
}

const bad = (message: string): SimResponse =>
  json(400, { error: { message, detail: null }, status: 'failure' });

export function handleControl(
  core: SimCore,
  req: IncomingMessage,
  path: string,
  body: Buffer | null,
): SimResponse {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? ''))
    return json(403, { error: { message: 'loopback only' } });
  const method = req.method ?? 'GET';
  const route = path.replace(/^\/__simulator\//, '').replace(/\/$/, '');
  if (route === 'log' && method === 'GET') return json(200, { result: core.log });
  if (route === 'log' && method === 'DELETE') {
    core.log.length = 0;
    return { status: 204, headers: {}, body: null };
  }
  if (route === 'faults' && method === 'GET') return json(200, { result: core.faults.list() });
  if (route === 'faults' && method === 'POST') {
    const spec = FaultSpecSchema.safeParse(parseJson(body));
    if (!spec.success) return bad(`invalid fault: ${spec.error.issues[0]?.message ?? 'unknown'}`);
    return json(201, { result: { id: core.faults.addWithId(spec.data).id } });
  }
  if (route === 'faults' && method === 'DELETE') {
    core.faults.clear();
    return { status: 204, headers: {}, body: null };
  }
  if (route.startsWith('faults/') && method === 'DELETE') {
    const removed = core.faults.remove(route.slice('faults/'.length));
    return removed
      ? { status: 204, headers: {}, body: null }
      : json(404, { error: { message: 'no such fault' } });
  }
  if (route === 'latency' && method === 'POST') {
    const parsed = LatencySchema.safeParse(parseJson(body));
    if (!parsed.success) return bad('body must be {"ms": <non-negative integer>}');
    core.faults.setLatency(parsed.data.ms);
    return json(200, { result: { ms: parsed.data.ms } });
  }
  // The stand-in Entra app (docs/servicenow.md §8). GET never shows the secret, only whether one is set.
  if (route === 'entra' && method === 'GET') return json(200, { result: core.entra.view() });
  if (route === 'entra' && method === 'POST') {
    const parsed = EntraSchema.safeParse(parseJson(body));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return bad(`invalid Entra app: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'unknown'}`);
    }
    return json(200, { result: core.entra.configure(stripUndefined(parsed.data)) });
  }
  if (route === 'reset' && method === 'POST') {
    const parsed = ResetSchema.safeParse(parseJson(body));
    if (!parsed.success) return bad(`scenario must be one of ${SCENARIOS.join(', ')}`);
    core.reset(parsed.data.scenario);
    return json(200, { result: { scenario: core.scenario } });
  }
  if (route === 'state' && method === 'GET') {
    const tables: Record<string, Record<string, string>[]> = {};
    for (const [table, rows] of Object.entries(core.db.dump()))
      tables[table] = rows.map((r) => maskStoredRow(table, r));
    return json(200, {
      result: {
        scenario: core.scenario,
        url: core.baseUrl,
        instanceName: core.instanceName,
        sessionsCreated: core.sessions.count,
        sessions: core.sessions.summary(),
        faults: core.faults.list(),
        tables,
      },
    });
  }
  return json(404, { error: { message: `unknown control route ${method} ${path}` } });
}

/** zod's partial() output may carry explicit undefined values; exactOptionalPropertyTypes wants them gone. */
function stripUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
