// The simulator's state and services, shared by the HTTP layer and the public facade.
import type { FileProblem } from '../storage/json-file';
import { SimDatabase } from './db/database';
import { FaultRegistry } from './faults/registry';
import { SessionStore } from './auth/sessions';
import { TokenStore } from './auth/tokens';
import { EntraApp } from './entra-stand-in/app';
import { seedScenario } from './scenarios';
import { StateSaver, readState } from './state/state-file';
import type { RequestLogEntry, ScenarioName, SimulatorOptions } from './types';

export const DEFAULT_MAX_BODY = 10 * 1024 * 1024;
export const BATCH_TIME_LIMIT_MS = 30_000;

export class SimCore {
  readonly db = new SimDatabase();
  readonly faults: FaultRegistry;
  readonly sessions: SessionStore;
  readonly tokens: TokenStore;
  readonly entra: EntraApp;
  readonly log: RequestLogEntry[] = [];
  readonly instanceName: string;
  readonly maxBodyBytes: number;
  baseUrl = '';
  scenario: ScenarioName;
  stateFileProblem: FileProblem | null = null;
  private saver: StateSaver | null = null;

  constructor(readonly options: SimulatorOptions) {
    this.faults = new FaultRegistry(options.latencyMs ?? 0);
    for (const spec of options.faults ?? []) this.faults.add(spec);
    this.sessions = new SessionStore(options.sessionConcurrency ?? 2);
    this.tokens = new TokenStore(options.tokenTtlSeconds ?? 1799);
    this.instanceName = options.instanceName ?? 'spokesmith-demo';
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    this.scenario = options.scenario ?? 'fresh';
    this.entra = new EntraApp(options.entra);
  }

  /** Seeds (or loads the state file) once the URL is known; then saves after every change. */
  async start(baseUrl: string): Promise<void> {
    this.baseUrl = baseUrl;
    const file = this.options.stateFile;
    let loaded = false;
    if (file) {
      const read = await readState(file);
      if (read.ok) {
        this.scenario = read.value.scenario;
        this.db.load(read.value.tables);
        loaded = true;
      } else if (!read.missing) {
        this.stateFileProblem = read.problem;
      }
      this.saver = new StateSaver(file, () => ({ scenario: this.scenario, tables: this.db.dump() }));
      this.db.onChange(() => void this.saver?.schedule());
    }
    if (!loaded) this.reset(this.scenario);
  }

  reset(scenario: ScenarioName = this.scenario): void {
    this.scenario = scenario;
    this.entra.reset();
    seedScenario(this.db, scenario, { instanceName: this.instanceName, baseUrl: this.baseUrl });
  }

  /** Resolves once every change so far is in the state file (at once without a state file). */
  flush(): Promise<void> {
    return this.saver?.flush() ?? Promise.resolve();
  }
}
