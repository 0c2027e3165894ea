// Parses `spokesmith sim` options into the simulator's; every problem is listed at once (exit 2).
import { startSimulator } from '../../simulator';
import type { FaultSpec, ScenarioName } from '../../simulator/types';
import { usageError } from '../exit-codes';

/** `--fault KIND[:ARG]`, parsed; the simulator validates the kind. */
export interface FaultSpecInput {
  kind: string;
  [key: string]: unknown;
}

export interface SimulatorOptions {
  scenario: string;
  port: number;
  host: string;
  latencyMs?: number;
  stateFile?: string;
  faults?: FaultSpecInput[];
}

export const SCENARIOS = ['fresh', 'credentials', 'wcs', 'no-spoke', 'domains', 'non-admin'] as const;

export interface SimCliOptions {
  port?: string;
  scenario?: string;
  latency?: string;
  state?: string;
  fault?: string[];
}

const integer = (text: string) => (/^\d+$/.test(text) ? Number(text) : NaN);

/** `KIND[:ARG]`: `latency:200`, `rate_limit:5`, `rate_limit`, `status:503`, `reset`, `hibernate`, … */
export function parseFault(text: string): FaultSpecInput | string {
  const [kind = '', arg] = text.split(':', 2);
  switch (kind) {
    case 'latency': {
      const ms = integer(arg ?? '');
      return Number.isNaN(ms) ? '--fault latency needs milliseconds, e.g. latency:200.' : { kind, ms };
    }
    case 'rate_limit': {
      if (arg === undefined || arg === '') return { kind, retryAfterSeconds: null };
      const seconds = integer(arg);
      return Number.isNaN(seconds)
        ? '--fault rate_limit takes seconds, e.g. rate_limit:5.'
        : { kind, retryAfterSeconds: seconds };
    }
    case 'status': {
      const status = integer(arg ?? '');
      return status >= 400 && status <= 599
        ? { kind, status }
        : '--fault status needs an HTTP error status, e.g. status:503.';
    }
    case 'reset':
    case 'hang':
    case 'hang_after_commit':
    case 'hibernate':
    case 'quota_cancel':
    case 'forbidden':
    case 'unauthorized':
    case 'mfa_required':
      return arg === undefined ? { kind } : `--fault ${kind} takes no argument.`;
    default:
      return `--fault "${kind}" is not a fault kind (latency, rate_limit, status, reset, hang, hang_after_commit, hibernate, quota_cancel, forbidden, unauthorized, mfa_required).`;
  }
}

export function simulatorOptions(
  options: SimCliOptions,
  cwd: string,
  resolvePath: (cwd: string, p: string) => string,
): SimulatorOptions {
  const problems: string[] = [];
  const port = options.port === undefined ? 8080 : integer(options.port);
  if (Number.isNaN(port) || port > 65535)
    problems.push(`--port: "${options.port}" is not a port number (0–65535).`);
  const scenario = options.scenario ?? 'fresh';
  if (!(SCENARIOS as readonly string[]).includes(scenario)) {
    problems.push(`--scenario: "${scenario}" is not one of ${SCENARIOS.join(', ')}.`);
  }
  const latencyMs = options.latency === undefined ? 0 : integer(options.latency);
  if (Number.isNaN(latencyMs))
    problems.push(`--latency: "${options.latency}" is not a number of milliseconds.`);
  const faults: FaultSpecInput[] = [];
  for (const text of options.fault ?? []) {
    const fault = parseFault(text);
    if (typeof fault === 'string') problems.push(fault);
    else faults.push(fault);
  }
  if (problems.length)
    throw usageError(
      'Cannot start the simulator:',
      problems.map((p) => `  - ${p}`),
    );
  return {
    scenario,
    port,
    host: '127.0.0.1',
    latencyMs,
    faults,
    ...(options.state ? { stateFile: resolvePath(cwd, options.state) } : {}),
  };
}

/** Starts the simulator with options this file let through (only its scenario names and fault kinds). */
export function startSimulatorWith(options: SimulatorOptions) {
  return startSimulator({
    ...options,
    scenario: options.scenario as ScenarioName,
    faults: options.faults as FaultSpec[] | undefined,
  });
}
