// One writer per instance across processes (issue 8, "Done when"): two applies at once on one fresh
// instance from one workspace, the second started at points of the first taken from the simulator's
// request log (never a timer) — during discovery, between writes, during verification — leave exactly one
// record per name every time; the same with the app's apply racing the CLI's; and a CLI apply SIGKILLed
// at several points is taken over by the next one, which finishes it: one record per name, verified.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import type { ApplyRecord } from '../../../src/shared/domain/apply';
import { listRecords } from '../../../src/main/operations';
import { startSimulator, type Simulator } from '../../../src/main/simulator';
import { instanceIdFromUrl, openWorkspace } from '../../../src/main/workspace';
import { onRequest, writesIn } from '../fleet/helpers';
import { startHarness } from '../../unit/app/harness';
import { runCli, type CliRun } from './harness';

const CHILD = join(import.meta.dirname, 'fixtures', 'cli-child.ts');
const NAMES = [
  ['oauth_2_0_credentials', 'Exchange_Online_Credentials'],
  ['oauth_2_0_credentials', 'Exchange_Online_Credentials_clientCred'],
  ['http_connection', 'Exchange_Online_Connection'],
  ['http_connection', 'Exchange_Online_Connection_clientCred'],
] as const;

type Entry = Simulator['log'][number];
/** Where in the first apply the second one starts, read from the request log as it happens. */
const OFFSETS: Array<{ name: string; at: (entry: Entry, writes: number) => boolean }> = [
  { name: 'during discovery', at: (_e, writes) => writes === 0 },
  // The engine writes the two credentials in one batch, then the two connections in another: this is
  // as the first batch arrives, between discovery and the second batch.
  { name: 'between writes', at: (e, writes) => writesIn(e) > 0 && writes === 2 },
  { name: 'during verification', at: (e, writes) => writesIn(e) === 0 && writes === 4 },
];

/** How many rows each record name has: exactly one each is the promise. */
function counts(sim: Simulator): number[] {
  return NAMES.map(([table, name]) => sim.db.filter(table, (r) => r.name === name).length);
}

let sim: Simulator;
let root: string;
beforeAll(async () => {
  sim = await startSimulator({ scenario: 'fresh', port: 0, host: '127.0.0.1', latencyMs: 3 });
  root = await mkdtemp(join(tmpdir(), 'spokesmith-lock-'));
});
afterAll(async () => {
  await sim.close();
  await rm(root, { recursive: true, force: true });
});

function envFor(workspace: string) {
  return {
    SN_USERNAME: sim.users.admin.userName,
    SN_PASSWORD: sim.users.admin.password,
    SPOKESMITH_WORKSPACE: workspace,
    SPOKESMITH_SECRET_STORE: 'memory',
  };
}

/** Runs `first`; when the log reaches the offset, starts `second`. Resolves both results. */
async function race<A, B>(
  offset: (typeof OFFSETS)[number],
  first: () => Promise<A>,
  second: () => Promise<B>,
): Promise<{ first: A; second: B }> {
  let writes = 0;
  let started: Promise<B> | null = null;
  const stop = onRequest(sim, (entry) => {
    writes += writesIn(entry);
    if (!started && offset.at(entry, writes)) started = second();
  });
  try {
    const a = await first();
    // The offset is always reached: the first apply writes four records and verifies them.
    expect(started, `the first apply never reached "${offset.name}"`).not.toBeNull();
    return { first: a, second: await started! };
  } finally {
    stop();
  }
}

describe('two applies at once on one instance from one workspace', () => {
  it('CLI and CLI, 20 trials at three points of the first: one record per name every time', async () => {
    const outcomes: string[] = [];
    for (let trial = 0; trial < 20; trial += 1) {
      const offset = OFFSETS[trial % OFFSETS.length]!;
      sim.reset('fresh');
      const env = envFor(await mkdtemp(join(root, 'ws-')));
      const apply = () => runCli(['apply', sim.url, '--yes', '--json'], { env });
      const { first, second } = await race<CliRun, CliRun>(offset, apply, apply);
      expect(counts(sim), `trial ${trial} (${offset.name})`).toEqual([1, 1, 1, 1]);
      expect(first.code, first.stderr).toBe(0);
      // The second waited for the first and found nothing left to do, or (held too long) said who holds it.
      expect([0, 4], second.stderr).toContain(second.code);
      if (second.code === 4) expect(second.stderr).toMatch(/busy: apply by pid \d+ on host .+ since /);
      else expect(JSON.parse(second.stdout)).toMatchObject({ status: 'up_to_date' });
      outcomes.push(`${offset.name}: ${second.code}`);
    }
    expect(outcomes).toHaveLength(20);
  }, 180_000);

  it("the app's apply and the CLI's, each first in turn: one record per name every time", async () => {
    const harness = await startHarness(0);
    try {
      const workspace = harness.core.deps.home.current().dir;
      const desired = defaultDesiredState();
      for (let trial = 0; trial < 6; trial += 1) {
        const offset = OFFSETS[trial % OFFSETS.length]!;
        sim.reset('fresh');
        const id = instanceIdFromUrl(sim.url);
        // A fresh instance folder each trial: the journals of the last trial's instance stay behind.
        await rm(join(workspace, 'instances', id), { recursive: true, force: true });
        if (trial === 0) {
          await harness.ok('app:instances:save', {
            name: 'Racing',
            url: sim.url,
            authMethod: 'basic',
            username: sim.users.admin.userName,
            password: sim.users.admin.password,
          });
        }
        const app = () =>
          harness.call('app:apply:run', { id, main: desired.main, clientCred: desired.clientCred });
        const cli = () => runCli(['apply', 'Racing', '--yes', '--json'], { env: envFor(workspace) });
        const appFirst = trial % 2 === 0;
        const result = appFirst ? await race(offset, app, cli) : await race(offset, cli, app);
        const appResult = (appFirst ? result.first : result.second) as Awaited<ReturnType<typeof app>>;
        const cliResult = (appFirst ? result.second : result.first) as CliRun;
        expect(counts(sim), `trial ${trial} (${offset.name}, app first: ${appFirst})`).toEqual([1, 1, 1, 1]);
        // Each either applied, found it up to date, or refused as busy naming the holder — never both wrote.
        if (!appResult.ok) expect(appResult.code).toBe('busy');
        expect([0, 4], cliResult.stderr).toContain(cliResult.code);
        expect(appResult.ok || cliResult.code === 0).toBe(true);
      }
    } finally {
      await harness.close();
    }
  }, 180_000);
});

describe('the lock holder killed (SIGKILL) at several points', () => {
  const POINTS = [
    // Writes go in two batches of two (credentials, then connections): each logged as it arrives.
    {
      name: 'as the first write batch arrives',
      at: (e: Entry, writes: number) => writesIn(e) > 0 && writes === 2,
    },
    {
      name: 'as the second write batch arrives',
      at: (e: Entry, writes: number) => writesIn(e) > 0 && writes === 4,
    },
    { name: 'during verification', at: (e: Entry, writes: number) => writesIn(e) === 0 && writes === 4 },
  ];
  for (const point of POINTS) {
    it(`${point.name}: the next apply takes the lock over and finishes it, one record per name, verified`, async () => {
      sim.reset('fresh');
      const workspace = await mkdtemp(join(root, 'kill-'));
      const env = envFor(workspace);
      const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, 'apply', sim.url, '--yes'], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let writes = 0;
      const killed = new Promise<string | null>((resolve) =>
        proc.on('exit', (_c, signal) => resolve(signal)),
      );
      const stop = onRequest(sim, (entry) => {
        writes += writesIn(entry);
        if (proc.exitCode === null && point.at(entry, writes)) proc.kill('SIGKILL');
      });
      expect(await killed).toBe('SIGKILL');
      stop();
      // The dead holder's lock is still on disk; the next apply waits for it to go stale, then resumes.
      const next = await runCli(['apply', sim.url, '--yes', '--json'], { env });
      expect(next.code, next.stderr).toBe(0);
      expect(counts(sim)).toEqual([1, 1, 1, 1]);
      const workspaceNow = await openWorkspace(workspace);
      const records: ApplyRecord[] = await listRecords(workspaceNow.instanceDir(instanceIdFromUrl(sim.url)));
      const applied = records.filter((r) => r.kind === 'apply');
      // The killed apply, finished exactly once by the takeover (or already finished when it died).
      expect(applied.length).toBeGreaterThanOrEqual(1);
      expect(applied.every((r) => r.status === 'succeeded')).toBe(true);
      expect(applied.some((r) => r.verification?.ok)).toBe(true);
    }, 60_000);
  }
});
