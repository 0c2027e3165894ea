// Issues 5 and 11: 100 simulated instances, 100 ms latency on every request, provisioned from scratch by
// runMany. The wall time is compared with the ideal: instances ÷ concurrency × round trips per instance ×
// latency, where the round trips are counted from the simulators' request logs.
//
// The simulators run in a child process (simulators-child.ts), as real instances run on other machines:
// what is measured is this process, the one a person runs. Its CPU time is reported beside the wall time,
// so a run limited by CPU (CPU ÷ wall near 1, or a busy machine: see the load average) shows as one.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDesiredState } from '../../shared/domain/desired-state';
import { runMany } from '../fleet';
import { createServiceNowClient } from '../servicenow';
import { openWorkspace } from '../workspace';
import type { ChildMessage, ParentMessage } from './simulators-child';
import { row, type Benchmark, type BenchRow } from './types';

const INSTANCES = 100;
const LATENCY_MS = 100;
/** runMany's default (DEFAULT_CONCURRENCY in src/main/operations/rules.ts). */
const CONCURRENCY = 8;
const MAX_RATIO = 1.3;

interface SimulatorFleet {
  instances: Extract<ChildMessage, { type: 'ready' }>['instances'];
  clear(): Promise<void>;
  stats(): Promise<Extract<ChildMessage, { type: 'stats' }>>;
  close(): Promise<void>;
}

/** The child's entry: bundled beside bench.js (electron.vite.config.ts), or the source under tsx. */
function childEntry(): { file: string; execArgv: string[] } {
  const built = fileURLToPath(new URL('./bench-simulators.js', import.meta.url));
  if (existsSync(built)) return { file: built, execArgv: [] };
  return {
    file: fileURLToPath(new URL('./simulators-child.ts', import.meta.url)),
    execArgv: ['--import', 'tsx'],
  };
}

async function startSimulatorFleet(count: number, latencyMs: number): Promise<SimulatorFleet> {
  const { file, execArgv } = childEntry();
  const child: ChildProcess = fork(file, [String(count), String(latencyMs)], { execArgv, stdio: 'inherit' });
  const next = <T extends ChildMessage['type']>(type: T) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<ChildMessage, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`the simulator process exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ask = <T extends ChildMessage['type']>(message: ParentMessage, answer: T) => {
    const answered = next(answer);
    child.send(message);
    return answered;
  };
  const ready = await next('ready');
  return {
    instances: ready.instances,
    clear: async () => void (await ask({ type: 'clear' }, 'cleared')),
    stats: () => ask({ type: 'stats' }, 'stats'),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

async function run(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'spokesmith-bench-fleet-'));
  const sims = await startSimulatorFleet(INSTANCES, LATENCY_MS);
  try {
    const workspace = await openWorkspace(join(dir, 'ws'));
    const targets = [];
    for (const [index, sim] of sims.instances.entries()) {
      const saved = await workspace.instances.save({
        name: `Customer ${index + 1}`,
        url: sim.url,
        authMethod: 'basic',
        username: sim.userName,
      });
      targets.push({
        instanceId: saved.id,
        client: createServiceNowClient({
          instanceUrl: sim.url,
          auth: { kind: 'basic', username: sim.userName, password: sim.password },
        }),
        desired: defaultDesiredState(),
        dir: workspace.instanceDir(saved.id),
      });
    }
    await sims.clear();

    const rssBefore = process.memoryUsage().rss;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const result = await runMany({ targets, concurrency: CONCURRENCY, workspace });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const rssAfter = process.memoryUsage().rss;
    for (const t of targets) t.client.close();

    const stats = await sims.stats();
    const provisioned = stats.connections.filter((n) => n === 2).length;
    const meanRoundTrips = stats.requests.reduce((a, b) => a + b, 0) / stats.requests.length;
    const idealMs = (INSTANCES / CONCURRENCY) * meanRoundTrips * LATENCY_MS;
    const ratio = wallMs / idealMs;
    return [
      row(
        'instances provisioned',
        provisioned,
        'instances',
        `= ${INSTANCES}`,
        provisioned === INSTANCES && result.failed.length === 0,
      ),
      row(
        'round trips per instance (mean)',
        Math.round(meanRoundTrips * 10) / 10,
        'requests',
        'measured',
        true,
      ),
      row(
        `ideal wall time (${INSTANCES} ÷ ${CONCURRENCY} × round trips × ${LATENCY_MS} ms)`,
        Math.round(idealMs),
        'ms',
        'reference',
        true,
      ),
      row(
        `wall time, ${INSTANCES} instances from scratch`,
        Math.round(wallMs),
        'ms',
        `≤ ${Math.round(idealMs * MAX_RATIO)}`,
        ratio <= MAX_RATIO,
      ),
      row('wall time ÷ ideal', Math.round(ratio * 100) / 100, '×', `≤ ${MAX_RATIO}`, ratio <= MAX_RATIO),
      row('CPU time of this process during the run', Math.round(cpuMs), 'ms', 'reported', true),
      row(
        'CPU time ÷ wall time (near 1: CPU-bound; far below 1 on a busy machine: waiting for a core)',
        Math.round((cpuMs / wallMs) * 100) / 100,
        '×',
        'reported',
        true,
      ),
      row(
        'RSS growth during the run (the simulators run in another process)',
        Math.round((rssAfter - rssBefore) / 2 ** 20),
        'MB',
        'reported',
        true,
      ),
    ];
  } finally {
    await sims.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = { name: 'fleet-100-instances', run };
