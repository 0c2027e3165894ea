// The built `spokesmith` command as a user runs it: a child process against a simulator.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, type Fixture } from './harness';

const bin = fileURLToPath(new URL('../../../resources/bin/spokesmith.js', import.meta.url));
const built = fileURLToPath(new URL('../../../out/cli/spokesmith.cjs', import.meta.url));

function run(
  args: string[],
  env: Record<string, string>,
  { readerGone = false } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // `spokesmith … | head -1` after head has exited: the pipe's only reader is closed before the
    // command writes its first line (closed here, before the child has even started node).
    if (readerGone) child.stdout.destroy();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let fx: Fixture;
beforeEach(async () => {
  expect(existsSync(built), 'run `npx electron-vite build` first').toBe(true);
  fx = await fixture('fresh');
});
afterEach(async () => {
  await fx.close();
});

describe('the built command', () => {
  it('plans and applies with exit codes 0, and exits 3 on an instance without the spoke', async () => {
    const plan = await run(['plan', fx.sim.url, '--json'], fx.env);
    expect(plan.code).toBe(0);
    expect((JSON.parse(plan.stdout) as { actions: unknown[] }).actions).toHaveLength(4);
    const apply = await run(['apply', fx.sim.url, '--yes'], fx.env);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('verified');
    fx.sim.reset('no-spoke');
    const notReady = await run(['discover', fx.sim.url], fx.env);
    expect(notReady.code).toBe(3);
    expect(notReady.stderr).not.toMatch(/\n\s+at /);
  });

  it('goes on to the end of an apply when the reader of its output has gone (| head)', async () => {
    const apply = await run(['apply', fx.sim.url, '--yes'], fx.env, { readerGone: true });
    expect(apply.stderr).not.toContain('EPIPE');
    expect(apply.code).toBe(0);
    expect(fx.sim.db.rows('http_connection')).toHaveLength(2);
    const help = await run(['--help'], {}, { readerGone: true });
    expect([help.code, help.stderr]).toEqual([0, '']);
  });

  it('runs the demo with exit 0', async () => {
    const demo = await run(['demo'], {});
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('Next steps');
  });
});
