// `spokesmith demo` end to end, and `spokesmith sim` (in-process and as the built command).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from './harness';

const FIRST_LINE =
  /^Simulated ServiceNow instance at (http:\/\/127\.0\.0\.1:\d+) — user (\S+), password (\S+) \(scenario (\S+)\)$/;

describe('demo', () => {
  it('provisions the embedded instance and prints the before/after and next steps, exit 0', async () => {
    // No keychain, no workspace: an empty environment.
    const r = await runCli(['demo'], { env: {} });
    expect(r.stderr).not.toContain('unexpected');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Plan for demo instance');
    expect(r.stdout).toMatch(/\+ create\s+Exchange_Online_Connection\b/);
    expect(r.stdout).toContain('succeeded');
    expect(r.stdout).toContain('Next steps, on a real instance');
    expect(r.stdout).toMatch(/Exchange_Online_Credentials \(authorization code\): authorize it in a browser/);
    // The demo instance has stopped when this is read: no link may point at it (issue 12).
    const simUrl = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(r.stdout)?.[1];
    expect(simUrl).toBeDefined();
    const afterApply = r.stdout.slice(r.stdout.indexOf('Next steps'));
    expect(afterApply).not.toContain(simUrl);
    expect(afterApply).toContain('The demo instance stops');
  });
});

describe('sim', () => {
  it('prints the URL, user and password first and stops cleanly when asked', async () => {
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const { io, done } = startCli(['sim', '--port', '0', '--scenario', 'wcs'], {
      stopRequested: () => stopped,
    });
    while (!io.stdout.text().includes('\n')) await new Promise((r) => setTimeout(r, 5));
    const match = FIRST_LINE.exec(io.stdout.text().split('\n')[0]!);
    expect(match?.[2]).toBe('admin');
    expect(match?.[4]).toBe('wcs');
    // It serves while running: the WCS scenario has the pre-seeded "MS Graph 1".
    const answer = await fetch(`${match![1]}/api/now/table/http_connection?sysparm_query=name=MS Graph 1`, {
      headers: { Authorization: `Basic ${Buffer.from(`${match![2]}:${match![3]}`).toString('base64')}` },
    });
    expect(((await answer.json()) as { result: unknown[] }).result).toHaveLength(1);
    stop();
    const r = await done;
    expect(r.code).toBe(0);
    await expect(fetch(match![1]!)).rejects.toThrow();
  });

  it('on a port that is taken, says so and suggests --port 0 (no "unexpected error")', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const r = await runCli(['sim', '--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).not.toContain('unexpected');
      expect(r.stderr).toContain(`Port ${port} on 127.0.0.1 is taken`);
      expect(r.stderr).toContain('--port 0 for any free port');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('refuses bad options with exit 2', async () => {
    const r = await runCli(['sim', '--scenario', 'nope', '--fault', 'bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--scenario');
    expect(r.stderr).toContain('bogus');
  });

  it('the built command serves until SIGINT and exits 0', async () => {
    const bin = fileURLToPath(new URL('../../../resources/bin/spokesmith.js', import.meta.url));
    const built = fileURLToPath(new URL('../../../out/cli/spokesmith.cjs', import.meta.url));
    expect(existsSync(built), 'run `npx electron-vite build` first').toBe(true);
    const child = spawn(process.execPath, [bin, 'sim', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const first = await new Promise<string>((resolve) => {
      createInterface({ input: child.stdout }).once('line', resolve);
    });
    const match = FIRST_LINE.exec(first);
    expect(match, first).not.toBeNull();
    const answer = await fetch(`${match![1]}/api/now/table/sys_alias?sysparm_limit=1`, {
      headers: { Authorization: `Basic ${Buffer.from(`${match![2]}:${match![3]}`).toString('base64')}` },
    });
    expect(answer.status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
