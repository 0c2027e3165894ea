// discover, plan, apply, rollback and report against the simulator, in-process.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServiceNowClient } from '../../../src/main/servicenow';
import { openWorkspace } from '../../../src/main/workspace';
import { instanceIdFromUrl } from '../../../src/shared/workspace/instance-id';
import { CONNECTION, CREDENTIALS, LOSES_ANSWERS, leaveInterruptedApply } from '../engine/harness';
import { fixture, runCli, type Fixture } from './harness';

let fx: Fixture;
let dir: string;
beforeEach(async () => {
  fx = await fixture('fresh');
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-cli-out-'));
});
afterEach(async () => {
  await fx.close();
  await rm(dir, { recursive: true, force: true });
});

interface JsonAction {
  table: string;
  name: string;
  op: string;
  changes: Record<string, { before: string | null; after: string | null }>;
  sys_id: string | null;
  verified?: boolean | null;
}

const connectionRows = (fx: Fixture) =>
  fx.sim.db.filter('http_connection', (r) => r.name?.startsWith('Exchange_Online') ?? false);

describe('discover', () => {
  it('reads the instance and says it is ready (exit 0, reads only)', async () => {
    const r = await runCli(['discover', fx.sim.url, '--json'], { env: fx.env });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { ready: boolean; snapshot: { spoke: { installed: boolean } } };
    expect(json.ready).toBe(true);
    expect(json.snapshot.spoke.installed).toBe(true);
    expect(fx.writes()).toBe(0);
  });

  it('prints a readable summary', async () => {
    const r = await runCli(['discover', fx.sim.url], { env: fx.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('spoke: installed');
    expect(r.stdout).toContain('Microsoft_Exchange_Online');
  });
});

describe('plan', () => {
  it('--json: one object with actions (table, name, op, changes), nothing written', async () => {
    const r = await runCli(['plan', fx.sim.url, '--json'], { env: fx.env });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { actions: JsonAction[] };
    expect(json.actions.length).toBe(4);
    for (const action of json.actions) {
      expect(['oauth_2_0_credentials', 'http_connection']).toContain(action.table);
      expect(action.op).toBe('create');
      expect(Object.keys(action.changes).length).toBeGreaterThan(0);
      for (const change of Object.values(action.changes)) {
        expect(change.before).toBeNull();
        expect(change).toHaveProperty('after');
      }
    }
    expect(json.actions.map((a) => a.name)).toEqual(
      expect.arrayContaining(['Exchange_Online_Connection', 'Exchange_Online_Credentials_clientCred']),
    );
    expect(fx.writes()).toBe(0);
  });

  it('prints a before/after table, coloured only on a terminal without NO_COLOR', async () => {
    const plain = await runCli(['plan', fx.sim.url], { env: fx.env });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/field\s+before\s+after/);
    expect(plain.stdout).toContain('https://graph.microsoft.com');
    expect(plain.stdout).not.toContain('\u001b[');
    const tty = await runCli(['plan', fx.sim.url], { env: fx.env, tty: true });
    expect(tty.stdout).toContain('\u001b[');
    const noColor = await runCli(['plan', fx.sim.url], { env: { ...fx.env, NO_COLOR: '1' }, tty: true });
    expect(noColor.stdout).not.toContain('\u001b[');
  });

  it('exit 3 when the spoke is missing', async () => {
    fx.sim.reset('no-spoke');
    const r = await runCli(['plan', fx.sim.url], { env: fx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/not ready/);
    expect(fx.writes()).toBe(0);
  });

  it('--json on an instance that is not ready: one object saying why, exit 3', async () => {
    fx.sim.reset('no-spoke');
    const r = await runCli(['discover', fx.sim.url, '--json'], { env: fx.env });
    expect(r.code).toBe(3);
    const json = JSON.parse(r.stdout) as { ready: boolean; reason: string; message: string };
    expect(json.ready).toBe(false);
    expect(json.reason).toMatch(/spoke_missing|alias_missing/);
    expect(json.message.length).toBeGreaterThan(0);
  });

  it('exit 3 when the user lacks the admin role', async () => {
    fx.sim.reset('non-admin');
    const r = await runCli(['apply', fx.sim.url, '--yes'], { env: fx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/admin/);
    expect(fx.writes()).toBe(0);
  });
});

describe('apply', () => {
  it('--yes --json: creates the records, with each sys_id and the verification', async () => {
    const r = await runCli(['apply', fx.sim.url, '--yes', '--json'], { env: fx.env });
    expect(r.stderr).not.toContain('unexpected');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { status: string; actions: JsonAction[]; next_steps: unknown[] };
    expect(json.status).toBe('succeeded');
    expect(json.actions).toHaveLength(4);
    for (const action of json.actions) {
      expect(action.sys_id).toMatch(/^[0-9a-f]{32}$/);
      expect(action.verified).toBe(true);
      expect(fx.sim.db.get(action.table, action.sys_id!)).toBeTruthy();
    }
    expect(json.next_steps.length).toBe(2);
    expect(connectionRows(fx)).toHaveLength(2);
    expect(r.stdout + r.stderr).not.toContain(fx.sim.users.admin.password);
  });

  it('asks on a terminal; "n" changes nothing (exit 1)', async () => {
    const r = await runCli(['apply', fx.sim.url], { env: fx.env, tty: true, input: 'n\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[y/N]');
    expect(r.stderr).toContain('Cancelled');
    expect(fx.writes()).toBe(0);
    expect(connectionRows(fx)).toHaveLength(0);
  });

  it('asks on a terminal; "y" applies and prints the before/after and next steps', async () => {
    const r = await runCli(['apply', fx.sim.url], { env: fx.env, tty: true, input: 'y\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('succeeded');
    expect(r.stdout).toContain('verified');
    expect(r.stdout).toContain('Get OAuth Token');
    expect(connectionRows(fx)).toHaveLength(2);
  });

  it('a second apply finds everything up to date and writes nothing', async () => {
    expect((await runCli(['apply', fx.sim.url, '--yes'], { env: fx.env })).code).toBe(0);
    fx.sim.clearLog();
    const again = await runCli(['apply', fx.sim.url, '--yes', '--json'], { env: fx.env });
    expect(again.code).toBe(0);
    const json = JSON.parse(again.stdout) as { status: string; actions: JsonAction[] };
    expect(json.status).toBe('up_to_date');
    expect(json.actions.every((a) => a.op === 'noop')).toBe(true);
    expect(fx.writes()).toBe(0);
  });

  it('an interrupted apply that cannot be finished: exit 1, which apply, why, and what to run', async () => {
    // The apply's folder in the workspace: what `apply <url>` uses for an instance not saved by name.
    const workspace = await openWorkspace(fx.workspace);
    const instanceDir = workspace.instanceDir(instanceIdFromUrl(fx.sim.url));
    const client = createServiceNowClient({
      instanceUrl: fx.sim.url,
      auth: { kind: 'basic', username: fx.env.SN_USERNAME!, password: fx.env.SN_PASSWORD! },
      ...LOSES_ANSWERS,
    });
    const interrupted = await leaveInterruptedApply(fx.sim, client, instanceDir, CREDENTIALS);
    fx.sim.faults.add({
      kind: 'forbidden',
      message: 'Blocked by test ACL',
      match: { method: 'POST', table: CONNECTION },
    });

    const r = await runCli(['apply', fx.sim.url, '--yes'], { env: fx.env });

    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `spokesmith: The interrupted apply ${interrupted.applyId} could not be finished: .*Blocked by test ACL.* Nothing new was planned or sent\\.\\n  Fix the cause, then run: spokesmith resume <instance>\\n`,
      ),
    );
    expect(r.stderr.match(/Nothing new was planned/g)).toHaveLength(1);
  });

  it('exit 1 with plain words when the instance fails mid-apply', async () => {
    fx.sim.faults.add({ kind: 'forbidden', message: 'Blocked by test ACL', match: { method: 'POST' } });
    const r = await runCli(['apply', fx.sim.url, '--yes'], { env: fx.env });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('rollback', () => {
  it('undoes the last apply after --yes', async () => {
    expect((await runCli(['apply', fx.sim.url, '--yes'], { env: fx.env })).code).toBe(0);
    expect(connectionRows(fx)).toHaveLength(2);
    const r = await runCli(['rollback', fx.sim.url, '--yes'], { env: fx.env });
    expect(r.stderr).not.toContain('unexpected');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Rollback');
    expect(connectionRows(fx)).toHaveLength(0);
  });

  it('shows the rollback plan and stops when refused', async () => {
    expect((await runCli(['apply', fx.sim.url, '--yes'], { env: fx.env })).code).toBe(0);
    const r = await runCli(['rollback', fx.sim.url], { env: fx.env, tty: true, input: 'n\n' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('delete');
    expect(connectionRows(fx)).toHaveLength(2);
  });

  it('exit 1 when nothing was applied yet', async () => {
    const r = await runCli(['rollback', fx.sim.url, '--yes'], { env: fx.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No apply is recorded');
  });
});

describe('report', () => {
  it('writes the last apply as JSON and HTML and prints the path', async () => {
    expect((await runCli(['apply', fx.sim.url, '--yes'], { env: fx.env })).code).toBe(0);
    const jsonFile = join(dir, 'report.json');
    const r = await runCli(['report', fx.sim.url, '--format', 'json', '--out', jsonFile], {
      env: { SPOKESMITH_WORKSPACE: fx.workspace },
    });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(jsonFile);
    const report = JSON.parse(await readFile(jsonFile, 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(report)).toContain('Exchange_Online_Connection');
    const htmlFile = join(dir, 'report.html');
    const h = await runCli(['report', fx.sim.url, '--out', htmlFile], {
      env: { SPOKESMITH_WORKSPACE: fx.workspace },
    });
    expect(h.code).toBe(0);
    const html = await readFile(htmlFile, 'utf8');
    expect(html).toMatch(/<html/i);
    expect(html).not.toContain(fx.sim.users.admin.password);
  });

  it('exit 1 without an apply, exit 2 on a bad format', async () => {
    const none = await runCli(['report', fx.sim.url, '--out', join(dir, 'x.json')], { env: fx.env });
    expect(none.code).toBe(1);
    const bad = await runCli(['report', fx.sim.url, '--format', 'pdf'], { env: fx.env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"pdf" is not html or json');
  });
});
