// Reliability: SIGKILL the process at random points of a 20-instance run, restart, and check that every
// instance ends provisioned exactly once and that no workspace file was lost or corrupted.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplyStore } from '../../../src/main/engine';
import { startSimulator, type Simulator } from '../../../src/main/simulator';
import { openWorkspace } from '../../../src/main/workspace';
import { isWrite, onRequest } from './helpers';

const INSTANCES = 20;
const FIXTURE = resolve(import.meta.dirname, 'fixtures', 'fleet-run.ts');
const SEEDS = [11, 23, 47];
const KILLS_PER_SEED = 3;

/** Small deterministic PRNG (mulberry32) so a failing seed can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RunResult {
  killed: boolean;
  code: number | null;
  lines: Array<Record<string, unknown>>;
  stderr: string;
}

/**
 * Runs the fixture; when killAfterWrites is set, SIGKILLs its whole process group as soon as the
 * simulators have logged that many writes (the kill point comes from the request log, not a timer).
 */
function runChild(
  configFile: string,
  killAfterWrites: number | null,
  sims: Simulator[] = [],
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    // detached: the child leads its own process group, so the kill reaches npx, tsx and node together.
    const child = spawn('npx', ['tsx', FIXTURE, configFile], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: RunResult['lines'] = [];
    let stderr = '';
    let buffer = '';
    let killed = false;
    let writes = 0;
    const stops =
      killAfterWrites === null
        ? []
        : sims.map((sim) =>
            onRequest(sim, (entry) => {
              if (!isWrite(entry) || killed) return;
              writes += 1;
              if (writes >= killAfterWrites) killGroup();
            }),
          );
    const killGroup = () => {
      killed = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let index: number;
      while ((index = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 1);
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          lines.push(parsed);
        } catch {
          // Not one of ours.
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      for (const stop of stops) stop();
      resolvePromise({ killed, code, lines, stderr });
    });
  });
}

describe('kill -9 during a 20-instance run, then resume', () => {
  let sims: Simulator[] = [];
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'spokesmith-kill-'));
    // Latency spreads the run over time so kills land mid-apply, not only before or after it.
    sims = await Promise.all(
      Array.from({ length: INSTANCES }, () => startSimulator({ scenario: 'fresh', latencyMs: 15 })),
    );
  });
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.close()));
    await rm(root, { recursive: true, force: true });
  });

  for (const seed of SEEDS) {
    it(
      `seed ${seed}: every instance provisioned exactly once, every workspace file loads`,
      { timeout: 180_000 },
      async () => {
        const random = prng(seed);
        for (const sim of sims) sim.reset('fresh');
        const workspaceDir = join(root, `ws-${seed}`);
        const configFile = join(root, `config-${seed}.json`);
        await writeFile(
          configFile,
          JSON.stringify({
            workspaceDir,
            concurrency: 5,
            instances: sims.map((sim, i) => ({
              name: `Customer ${i + 1}`,
              url: sim.url,
              ...sim.users.admin,
            })),
          }),
        );

        const kills: number[] = [];
        const partial: boolean[] = [];
        const written = () =>
          sims.reduce(
            (n, sim) =>
              n + sim.db.rows('http_connection').length + sim.db.rows('oauth_2_0_credentials').length,
            0,
          );
        for (let k = 0; k < KILLS_PER_SEED; k += 1) {
          // Somewhere in the first four fifths of the writes still to come (each instance takes 4).
          const left = INSTANCES * 4 - written();
          const after = 1 + Math.floor(random() * Math.max(1, Math.floor(left * 0.8)));
          const run = await runChild(configFile, after, sims);
          kills.push(after);
          // A run may finish before its kill lands; that is fine, the next one must then find nothing to do.
          if (!run.killed) expect(run.code, run.stderr).toBe(0);
          const count = written();
          partial.push(run.killed && count > 0 && count < INSTANCES * 4);
        }
        // The test is only worth something if at least one kill landed in the middle of the writes.
        expect(partial, `mid-run kill? (after ${kills.join(', ')} writes)`).toContain(true);
        const final = await runChild(configFile, null);
        expect(final.stderr).toBe('');
        expect(final.lines.at(-1), `kills at ${kills.join(', ')} ms`).toEqual({ event: 'done', failed: [] });
        expect(final.code).toBe(0);

        for (const sim of sims) {
          const connections = sim.db
            .rows('http_connection')
            .map((r) => r.name)
            .sort();
          const credentials = sim.db
            .rows('oauth_2_0_credentials')
            .map((r) => r.name)
            .sort();
          expect(connections, `${sim.url} after kills at ${kills.join(', ')} ms`).toEqual([
            'Exchange_Online_Connection',
            'Exchange_Online_Connection_clientCred',
          ]);
          expect(credentials).toEqual([
            'Exchange_Online_Credentials',
            'Exchange_Online_Credentials_clientCred',
          ]);
        }

        const workspace = await openWorkspace(workspaceDir);
        expect(workspace.problems).toEqual([]);
        expect(await workspace.check()).toEqual([]);
        expect(workspace.instances.list()).toHaveLength(INSTANCES);
        for (const instance of workspace.instances.list()) {
          expect(instance.status).toBe('provisioned');
          const store = createApplyStore(workspace.instanceDir(instance.id));
          const records = await store.listRecords();
          expect(await store.unfinished()).toBeNull();
          expect(store.problems()).toEqual([]);
          expect(records.some((r) => r.status === 'succeeded')).toBe(true);
        }
        expect((await readdir(workspaceDir)).filter((f) => f.endsWith('.bad'))).toEqual([]);
      },
    );
  }
});
