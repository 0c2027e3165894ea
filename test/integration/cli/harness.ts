// Runs `main()` in-process against a simulator, with captured streams and a temporary workspace.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/main/cli/index';
import { MemorySecretStore } from '../../../src/main/secrets/memory-store';
import type { OpenedSecretStore } from '../../../src/main/secrets/open-secret-store';
import { startSimulator, type ScenarioName, type Simulator } from '../../../src/main/simulator';
import { testIo, type TestIo } from '../../unit/cli/helpers';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  io: TestIo;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  tty?: boolean;
  /** Typed into stdin after the command starts (e.g. an answer to the confirmation). */
  input?: string;
  stopRequested?: () => Promise<void>;
  cwd?: string;
  /** The run's clock (CliIo.now). */
  now?: Date;
  /** A keychain that outlives the run, as the OS keychain does (CliIo.keychain). */
  keychain?: OpenedSecretStore;
}

/** A memory keychain for several runs of one test (SPOKESMITH_SECRET_STORE=memory lasts one run). */
export function testKeychain(): OpenedSecretStore {
  return { store: new MemorySecretStore(), available: true, message: 'test keychain' };
}

export function startCli(args: string[], options: RunOptions = {}): { io: TestIo; done: Promise<CliRun> } {
  const io = testIo({ tty: options.tty, env: options.env, cwd: options.cwd });
  if (options.stopRequested) io.stopRequested = options.stopRequested;
  const { now, keychain } = options;
  if (now) io.now = () => now;
  if (keychain) io.keychain = keychain;
  if (options.input !== undefined) io.type(options.input);
  const done = main(args, io).then((code) => ({
    code,
    stdout: io.stdout.text(),
    stderr: io.stderr.text(),
    io,
  }));
  return { io, done };
}

export function runCli(args: string[], options: RunOptions = {}): Promise<CliRun> {
  return startCli(args, options).done;
}

export interface Fixture {
  sim: Simulator;
  workspace: string;
  /** SN_USERNAME / SN_PASSWORD of the simulator's admin, the workspace, and a memory secret store. */
  env: Record<string, string>;
  /** The writes (POST/PATCH/PUT/DELETE) the simulator saw. */
  writes(): number;
  close(): Promise<void>;
}

export async function fixture(scenario: ScenarioName = 'fresh'): Promise<Fixture> {
  const sim = await startSimulator({ scenario, port: 0, host: '127.0.0.1' });
  const workspace = await mkdtemp(join(tmpdir(), 'spokesmith-cli-ws-'));
  return {
    sim,
    workspace,
    env: {
      SN_USERNAME: sim.users.admin.userName,
      SN_PASSWORD: sim.users.admin.password,
      SPOKESMITH_WORKSPACE: workspace,
      SPOKESMITH_SECRET_STORE: 'memory',
    },
    writes: () =>
      sim.log.filter(
        (e) => e.method !== 'GET' && !e.path.includes('/batch') && !e.path.includes('oauth_token'),
      ).length,
    async close() {
      await sim.close();
      await rm(workspace, { recursive: true, force: true });
    },
  };
}
