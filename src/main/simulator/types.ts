// The simulator's public contract (other engineers code against exactly these names; see the brief in
// src/main/simulator/index.ts). Implementation modules import their types from here, never from index.ts.
import type { FileProblem } from '../storage/json-file';
import type { SimDatabase } from './db/database';

export type ScenarioName = 'fresh' | 'credentials' | 'wcs' | 'no-spoke' | 'domains' | 'non-admin';
export const SCENARIOS: readonly ScenarioName[] = [
  'fresh',
  'credentials',
  'wcs',
  'no-spoke',
  'domains',
  'non-admin',
];

export interface SimUser {
  userName: string;
  password: string;
}

export type FaultKind =
  | { kind: 'latency'; ms: number }
  | { kind: 'rate_limit'; retryAfterSeconds: number | null } // null: 429 without Retry-After (full semaphore queue)
  | { kind: 'status'; status: 500 | 502 | 503 }
  | { kind: 'reset' } // destroy the socket without answering
  | { kind: 'hang' } // never answer (until close())
  | { kind: 'hang_after_commit' } // perform the write, then never answer (ambiguous write)
  | { kind: 'hibernate' } // 200 + the HTML "Your instance is hibernating" page
  | { kind: 'quota_cancel' } // 200 whose JSON body ends with the quota-cancel error + "status":"failure"
  | { kind: 'forbidden'; message?: string } // 403 as a business rule/ACL would
  | { kind: 'unauthorized' } // 401 as for bad credentials
  | { kind: 'mfa_required' }; // 401 with `X-MFA_TOKEN: invalid`, as basic auth gets under MFA (docs/servicenow.md §3.4)

export interface FaultMatch {
  method?: string;
  table?: string;
  pathIncludes?: string;
}

/** skip: let the first N matching requests through; times: apply to N matching requests then expire. */
export type FaultSpec = FaultKind & { match?: FaultMatch; skip?: number; times?: number };

export interface FaultListEntry {
  id: string;
  spec: FaultSpec;
  /** Matching requests seen so far (skipped ones included). */
  seen: number;
  /** Requests the fault was applied to. */
  applied: number;
}

export interface FaultController {
  /** Adds a fault; returns its remover. */
  add(spec: FaultSpec): () => void;
  clear(): void;
  /** Sets the base latency added to every request (replaces options.latencyMs). */
  setLatency(ms: number): void;
  list(): FaultListEntry[];
}

export interface BatchItemLogEntry {
  method: string;
  table: string | null;
  path: string;
  /** The item URL's query parameters (sysparm_fields, sysparm_query, …), as the top-level log keeps them. */
  query: Record<string, string>;
  /** The names of the fields the item's body carries (never their values: a secret stays out of the log). */
  fields: string[];
  status: number;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** 0 when no answer was sent (reset, hang). */
  status: number;
  durationMs: number;
  user: string | null;
  /** A short label of the session (`s1`, `s2`, …), never the cookie value itself. */
  session: string | null;
  batchItems?: number;
  /** A Batch API request's items as sent (method, table or null, path), with the status each got (0: not run). */
  items?: BatchItemLogEntry[];
  fault?: string;
}

/**
 * Forces the stand-in Entra token endpoint to answer one way whatever is sent, so the demo and tests can
 * show each error of the Entra check (docs/servicenow.md §8). Without a fault the endpoint answers from the
 * configured app, as Entra would.
 */
export type EntraFault =
  | 'unknown_tenant'
  | 'wrong_client_id'
  | 'wrong_secret'
  | 'expired_secret'
  | 'consent_missing'
  | 'permission_missing'
  | 'html'
  | 'hang';
export const ENTRA_FAULTS: readonly EntraFault[] = [
  'unknown_tenant',
  'wrong_client_id',
  'wrong_secret',
  'expired_secret',
  'consent_missing',
  'permission_missing',
  'html',
  'hang',
];

/** The customer's Entra app registration as the stand-in token endpoint knows it. */
export interface EntraAppConfig {
  /** Directory (tenant) ID, a GUID. */
  tenantId: string;
  /** A verified domain of the tenant (`*.onmicrosoft.com`), accepted in place of the GUID. */
  tenantDomain: string;
  /** Application (client) ID, a GUID. */
  clientId: string;
  /** Kept hashed inside the simulator, never answered. */
  clientSecret: string;
  /** The secret is right but past its end date (AADSTS7000222). */
  secretExpired: boolean;
  /** Without admin consent an app-only token carries no `roles` claim. */
  adminConsented: boolean;
  /** The Microsoft Graph application permissions granted (the token's `roles`). */
  roles: string[];
  fault: EntraFault | null;
}

/** What the simulator tells about its Entra app: everything but the secret. */
export type EntraAppView = Omit<EntraAppConfig, 'clientSecret'> & { secretSet: boolean };

export interface SimulatorOptions {
  scenario?: ScenarioName;
  host?: string;
  port?: number;
  latencyMs?: number;
  stateFile?: string;
  faults?: FaultSpec[];
  tokenTtlSeconds?: number;
  sessionConcurrency?: number;
  instanceName?: string;
  /** Largest request body accepted before answering 413 (default 10 MB). */
  maxBodyBytes?: number;
  /** The Batch API's time limit ("REST Batch API request timeout", default 30 000 ms, docs/servicenow.md §7). */
  batchTimeLimitMs?: number;
  /** Time each Batch API item takes (default 0); with batchTimeLimitMs it yields unserviced_requests. */
  batchItemLatencyMs?: number;
  /** Changes to the demo Entra app (see Simulator.entraApp); reset() returns the app to these. */
  entra?: Partial<EntraAppConfig>;
}

export interface Simulator {
  readonly url: string;
  readonly users: { admin: SimUser; nonAdmin: SimUser };
  readonly oauthClient: { clientId: string; clientSecret: string };
  /**
   * The stand-in Entra ID: `authority` is what the Entra check takes in place of
   * https://login.microsoftonline.com (token endpoint `<authority>/<tenant>/oauth2/v2.0/token`); the demo
   * app's tenant, client ID and secret are public, like the other demo credentials.
   */
  readonly entraApp: {
    authority: string;
    tenantId: string;
    tenantDomain: string;
    clientId: string;
    clientSecret: string;
  };
  /** Changes the Entra app (tenant, client, secret, consent, roles, fault); returns what it now is. */
  configureEntra(patch: Partial<EntraAppConfig>): EntraAppView;
  readonly log: readonly RequestLogEntry[];
  clearLog(): void;
  readonly faults: FaultController;
  readonly db: SimDatabase;
  readonly sessionsCreated: number;
  /** The scenario currently seeded. */
  readonly scenario: ScenarioName;
  /** Set when options.stateFile existed but could not be used (it was moved aside and the scenario seeded). */
  readonly stateFileProblem: FileProblem | null;
  reset(scenario?: ScenarioName): void;
  close(): Promise<void>;
}
