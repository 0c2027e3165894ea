// `apply a,b,c` and `apply --all`: several instances, JSON lines without a terminal, a summary, exit 1
// if any failed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/workspace';
import { startSimulator, type Simulator } from '../../../src/main/simulator';
import { fixture, runCli, type Fixture } from './harness';

let fx: Fixture;
let other: Simulator;
beforeEach(async () => {
  fx = await fixture('fresh');
  other = await startSimulator({ scenario: 'fresh', port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  await other.close();
  await fx.close();
});

interface Line {
  event: string;
  instance?: string;
  state?: string;
  instances?: Array<{ instance: string; status: string; created: number }>;
}
const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);

describe('apply on many instances', () => {
  it('a,b with --yes: progress as JSON lines, then a summary; exit 0', async () => {
    const r = await runCli(['apply', `${fx.sim.url},${other.url}`, '--yes', '--concurrency', '2'], {
      env: fx.env,
    });
    expect(r.stderr).not.toContain('unexpected');
    expect(r.code).toBe(0);
    const events = lines(r.stdout);
    expect(events.filter((e) => e.event === 'progress').length).toBeGreaterThanOrEqual(4);
    const summary = events.at(-1)!;
    expect(summary.event).toBe('summary');
    expect(summary.instances?.map((i) => [i.status, i.created])).toEqual([
      ['provisioned', 4],
      ['provisioned', 4],
    ]);
    for (const sim of [fx.sim, other]) {
      expect(
        sim.db.filter('http_connection', (c) => c.name?.startsWith('Exchange_Online') ?? false),
      ).toHaveLength(2);
    }
  });

  it('exit 1 when one instance fails; the other is still provisioned', async () => {
    other.reset('no-spoke');
    const r = await runCli(['apply', `${fx.sim.url},${other.url}`, '--yes'], { env: fx.env });
    expect(r.code).toBe(1);
    const summary = lines(r.stdout).at(-1)!;
    expect(summary.instances?.map((i) => i.status)).toEqual(['provisioned', 'not_ready']);
  });

  it('--all: every saved instance; a live display on a terminal', async () => {
    const ws = await openWorkspace(fx.workspace);
    await ws.instances.save({ name: 'Alpha', url: fx.sim.url, authMethod: 'basic', username: 'admin' });
    await ws.instances.save({ name: 'Beta', url: other.url, authMethod: 'basic', username: 'admin' });
    const r = await runCli(['apply', '--all', '--yes'], { env: fx.env, tty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\u001b[2A'); // redrawn in place
    expect(r.stdout).toMatch(/Alpha\s+provisioned/);
    expect(r.stdout).toMatch(/Beta\s+provisioned/);
    expect(r.stdout).toContain('2 of 2 instance(s) done');
    // The fleet runner recorded each instance's status in the workspace.
    const after = await openWorkspace(fx.workspace);
    expect(after.instances.list().map((i) => i.status)).toEqual(['provisioned', 'provisioned']);
  });

  it('--all on an empty workspace: exit 2', async () => {
    const r = await runCli(['apply', '--all', '--yes'], { env: fx.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no saved instances');
  });
});

describe('a saved instance by name', () => {
  it('plans with the password from SN_PASSWORD when the keychain has none', async () => {
    const ws = await openWorkspace(fx.workspace);
    await ws.instances.save({ name: 'Acme Dev', url: fx.sim.url, authMethod: 'basic', username: 'admin' });
    const r = await runCli(['plan', 'Acme Dev', '--json'], { env: fx.env });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { instance: string }).instance).toBe('Acme Dev');
  });

  it('without a stored password and no terminal: exit 2, nothing sent', async () => {
    const ws = await openWorkspace(fx.workspace);
    await ws.instances.save({ name: 'Acme Dev', url: fx.sim.url, authMethod: 'basic', username: 'admin' });
    const r = await runCli(['plan', 'Acme Dev'], {
      env: { SPOKESMITH_WORKSPACE: fx.workspace, SPOKESMITH_SECRET_STORE: 'memory' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No password for "Acme Dev"');
    expect(fx.sim.log).toHaveLength(0);
  });
});
