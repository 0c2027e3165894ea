// `spokesmith drift` (exit 0 all match, 1 drift found) and the offline queue (`apply --queue`,
// `queue list`, `queue run`) against simulators.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/workspace';
import { startSimulator, type Simulator } from '../../../src/main/simulator';
import { fixture, runCli, type Fixture } from './harness';

let fx: Fixture;
let other: Simulator;
beforeEach(async () => {
  fx = await fixture('fresh');
  other = await startSimulator({ scenario: 'fresh', port: 0, host: '127.0.0.1' });
  const ws = await openWorkspace(fx.workspace);
  await ws.instances.save({ name: 'Alpha', url: fx.sim.url, authMethod: 'basic', username: 'admin' });
  await ws.instances.save({ name: 'Beta', url: other.url, authMethod: 'basic', username: 'admin' });
});
afterEach(async () => {
  await other.close();
  await fx.close();
});

interface DriftJson {
  drifted: string[];
  instances: Array<{
    instance: string;
    state: string;
    differences?: Array<{ record: string; field: string; applied: string | null; current: string | null }>;
  }>;
}

describe('drift', () => {
  it('exit 0 when every instance matches; exit 1 naming the instance and field that changed', async () => {
    const before = await runCli(['drift', '--all', '--json'], { env: fx.env });
    // Nothing applied yet: nothing to compare with, and no drift.
    expect(before.code).toBe(0);
    expect((JSON.parse(before.stdout) as DriftJson).instances.map((i) => i.state)).toEqual([
      'never_applied',
      'never_applied',
    ]);

    expect((await runCli(['apply', '--all', '--yes'], { env: fx.env })).code).toBe(0);
    const writesAfterApply = fx.writes();
    const clean = await runCli(['drift', '--all'], { env: fx.env });
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/Alpha\s+matches/);
    expect(clean.stdout).toContain('No drift');

    const connection = other.db.find('http_connection', (c) => c.name === 'Exchange_Online_Connection')!;
    other.db.update('http_connection', connection.sys_id!, { active: 'false' });
    const r = await runCli(['drift', 'Alpha,Beta'], { env: fx.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Beta\s+DRIFT\s+Exchange_Online_Connection\s+active\s+true\s+false/);
    expect(r.stdout).toMatch(/Alpha\s+matches/);
    expect(r.stdout).toContain('1 of 2 instance(s) drifted');

    const json = JSON.parse(
      (await runCli(['drift', '--all', '--json'], { env: fx.env })).stdout,
    ) as DriftJson;
    expect(json.drifted).toEqual(['Beta']);
    expect(json.instances.find((i) => i.instance === 'Beta')?.differences).toEqual([
      expect.objectContaining({
        record: 'Exchange_Online_Connection',
        field: 'active',
        applied: 'true',
        current: 'false',
      }),
    ]);
    // The workspace records the drift.
    const ws = await openWorkspace(fx.workspace);
    expect(ws.instances.get('Beta')?.status).toBe('drift');
    expect(fx.writes()).toBe(writesAfterApply); // drift sends reads only
  });

  it('bad usage: exit 2, nothing sent', async () => {
    const r = await runCli(['drift', 'Nowhere', '--all'], { env: fx.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not both');
    expect(fx.sim.log).toHaveLength(0);
  });
});

describe('offline queue', () => {
  it('unreachable without --queue: exit 1 with the plain reason, nothing written', async () => {
    other.faults.add({ kind: 'hibernate' });
    const r = await runCli(['apply', 'Beta', '--yes'], { env: fx.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Beta cannot be reached: .*hibernat/i);
    expect(r.stderr).toContain('--queue');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('apply --queue while hibernating queues it; queue run applies it once the instance answers', async () => {
    const wake = other.faults.add({ kind: 'hibernate' });
    const queued = await runCli(['apply', 'Beta', '--yes', '--queue', '--json'], { env: fx.env });
    expect(queued.code, queued.stderr).toBe(0);
    expect(JSON.parse(queued.stdout)).toMatchObject({
      instance: 'Beta',
      status: 'queued',
      reason: 'hibernating',
    });

    const list = await runCli(['queue', 'list'], { env: fx.env });
    expect(list.stdout).toMatch(/Beta\s+waiting\s+hibernating/);

    // Still asleep: the run leaves it waiting (exit 1), nothing written.
    const early = await runCli(['queue', 'run'], { env: fx.env });
    expect(early.code).toBe(1);
    expect(early.stdout).toMatch(/Beta: still waiting/);
    expect(
      other.db.filter('http_connection', (c) => c.name?.startsWith('Exchange_Online') ?? false),
    ).toHaveLength(0);

    wake();
    const run = await runCli(['queue', 'run', '--json'], { env: fx.env });
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout) as {
      ran: Array<{ instance: string; status: string }>;
      waiting: unknown[];
    };
    expect(json.ran).toEqual([expect.objectContaining({ instance: 'Beta', status: 'provisioned' })]);
    expect(json.waiting).toEqual([]);
    expect(
      other.db.filter('http_connection', (c) => c.name?.startsWith('Exchange_Online') ?? false),
    ).toHaveLength(2);
    const after = await runCli(['queue', 'list', '--json'], { env: fx.env });
    expect(
      (JSON.parse(after.stdout) as { entries: Array<{ status: string }> }).entries.map((e) => e.status),
    ).toEqual(['done']);
    const nothing = await runCli(['queue', 'run'], { env: fx.env });
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toContain('Nothing is waiting');
  });

  it('--queue needs a saved instance (exit 2, nothing sent); several instances queue the unreachable ones', async () => {
    const url = await runCli(['apply', other.url, '--yes', '--queue'], { env: fx.env });
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('--queue needs a saved instance');
    expect(other.log).toHaveLength(0);

    other.faults.add({ kind: 'hibernate' });
    const r = await runCli(['apply', 'Alpha,Beta', '--yes', '--queue'], { env: fx.env });
    expect(r.code, r.stdout).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { queued: string[] };
    expect(summary.queued).toEqual(['Beta']);
    const list = await runCli(['queue', 'list', '--json'], { env: fx.env });
    expect((JSON.parse(list.stdout) as { entries: Array<{ instance: string }> }).entries).toEqual([
      expect.objectContaining({ instance: 'Beta', status: 'waiting' }),
    ]);
  });
});
