// Issue 5: 100 simulated instances, 100 ms latency on every request, provisioned from scratch by runMany.
// The wall time is compared with the ideal: instances ÷ concurrency × round trips per instance × latency,
// where the round trips are counted from the simulators' request logs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDesiredState } from '../../shared/domain/desired-state';
import { runMany } from '../fleet';
import { createServiceNowClient } from '../servicenow';
import { startSimulator } from '../simulator';
import { openWorkspace } from '../workspace';
import { row, type Benchmark, type BenchRow } from './types';

const INSTANCES = 100;
const LATENCY_MS = 100;
/**
 * runMany's default. On the 2-core build machine, 100 in-process simulators and 20 client flows share one
 * event loop and the engine's journal fsyncs share one disk: at 20 the run measured 1.5–1.9× its ideal, at
 * 8 about 1.2× (the ideal shrinks with concurrency, the local overhead does not).
 */
const CONCURRENCY = 8;
const MAX_RATIO = 1.3;

async function run(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'spokesmith-bench-fleet-'));
  const sims = await Promise.all(
    Array.from({ length: INSTANCES }, () =>
      startSimulator({ scenario: 'fresh', host: '127.0.0.1', port: 0, latencyMs: LATENCY_MS }),
    ),
  );
  try {
    const workspace = await openWorkspace(join(dir, 'ws'));
    const targets = [];
    for (const [index, sim] of sims.entries()) {
      const saved = await workspace.instances.save({
        name: `Customer ${index + 1}`,
        url: sim.url,
        authMethod: 'basic',
        username: sim.users.admin.userName,
      });
      targets.push({
        instanceId: saved.id,
        client: createServiceNowClient({
          instanceUrl: sim.url,
          auth: { kind: 'basic', username: sim.users.admin.userName, password: sim.users.admin.password },
        }),
        desired: defaultDesiredState(),
        dir: workspace.instanceDir(saved.id),
      });
    }
    for (const sim of sims) sim.clearLog();

    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const result = await runMany({ targets, concurrency: CONCURRENCY, workspace });
    const wallMs = performance.now() - started;
    const rssAfter = process.memoryUsage().rss;
    for (const t of targets) t.client.close();

    const provisioned = sims.filter((s) => s.db.rows('http_connection').length === 2).length;
    const roundTrips = sims.map((s) => s.log.length);
    const meanRoundTrips = roundTrips.reduce((a, b) => a + b, 0) / roundTrips.length;
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
        'wall time, 100 instances from scratch',
        Math.round(wallMs),
        'ms',
        `≤ ${Math.round(idealMs * MAX_RATIO)}`,
        ratio <= MAX_RATIO,
      ),
      row('wall time ÷ ideal', Math.round(ratio * 100) / 100, '×', `≤ ${MAX_RATIO}`, ratio <= MAX_RATIO),
      row(
        'RSS growth during the run (100 simulators in-process)',
        Math.round((rssAfter - rssBefore) / 2 ** 20),
        'MB',
        'reported',
        true,
      ),
    ];
  } finally {
    await Promise.all(sims.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = { name: 'fleet-100-instances', run };
