// Issue 8 "Done when": 20 `spokesmith instances add` started at once on one workspace, as 20 real
// processes of the built command, each verifying its password against its own simulated instance
// → all 20 instances are kept (before the read–modify–write under a lock, most were lost).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/main/simulator';

const bin = fileURLToPath(new URL('../../../resources/bin/spokesmith.js', import.meta.url));
const built = fileURLToPath(new URL('../../../out/cli/spokesmith.cjs', import.meta.url));
const COUNT = 20;

function run(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

let sims: Simulator[] = [];
let workspace = '';
beforeAll(async () => {
  expect(existsSync(built), 'run `npx electron-vite build` first').toBe(true);
  // One simulated instance per process: each `add` has its own URL, so each must end up as its own entry.
  sims = await Promise.all(
    Array.from({ length: COUNT }, () => startSimulator({ scenario: 'fresh', port: 0, host: '127.0.0.1' })),
  );
  workspace = await mkdtemp(join(tmpdir(), 'spokesmith-add20-'));
});
afterAll(async () => {
  await Promise.all(sims.map((sim) => sim.close()));
  await rm(workspace, { recursive: true, force: true });
});

describe('20 processes adding instances to one workspace at once', () => {
  it('keeps all 20', { timeout: 180_000 }, async () => {
    const runs = await Promise.all(
      sims.map((sim, n) =>
        run(['instances', 'add', `Customer ${n}`, '--url', sim.url, '--user', sim.users.admin.userName], {
          SN_PASSWORD: sim.users.admin.password,
          SPOKESMITH_SECRET_STORE: 'memory',
          SPOKESMITH_WORKSPACE: workspace,
        }),
      ),
    );
    for (const [n, result] of runs.entries()) expect(result.code, `run ${n}: ${result.out}`).toBe(0);

    const stored = JSON.parse(await readFile(join(workspace, 'instances.json'), 'utf8')) as {
      data: { instances: { name: string; url: string }[] };
    };
    expect(stored.data.instances.map((i) => i.name).sort()).toEqual(
      Array.from({ length: COUNT }, (_, n) => `Customer ${n}`).sort(),
    );
    expect(new Set(stored.data.instances.map((i) => i.url)).size).toBe(COUNT);

    const listed = await run(['instances', 'list', '--json'], { SPOKESMITH_WORKSPACE: workspace });
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.out) as { instances: unknown[] }).instances).toHaveLength(COUNT);
  });
});
