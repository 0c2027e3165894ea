// A CLI apply killed mid-way (SIGKILL after the instance committed a write but before it answered), then
// `spokesmith apply` again: the interrupted apply is resumed first, nothing is sent twice, exit 0. And the
// explicit `spokesmith resume`.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, runCli, type Fixture } from './harness';

const CHILD = join(import.meta.dirname, 'fixtures', 'cli-child.ts');
const NAMES = [
  ['oauth_2_0_credentials', 'Exchange_Online_Credentials'],
  ['oauth_2_0_credentials', 'Exchange_Online_Credentials_clientCred'],
  ['http_connection', 'Exchange_Online_Connection'],
  ['http_connection', 'Exchange_Online_Connection_clientCred'],
] as const;

let fx: Fixture;
let child: ChildProcess | null = null;
beforeEach(async () => {
  fx = await fixture('fresh');
});
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = null;
  await fx.close();
});

const rows = (table: string, name: string) => fx.sim.db.filter(table, (r) => r.name === name);
const committed = () => NAMES.filter(([t, n]) => rows(t, n).length > 0).length;

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts `spokesmith apply <sim> --yes` in a child and SIGKILLs it once the 2nd write is committed. */
async function killApplyAfterSecondWrite(): Promise<void> {
  // The Batch API (discovery) is a POST too: match only Table API writes. Both credentials travel in
  // the first write batch, so its commit is the 2nd write's.
  fx.sim.faults.add({
    kind: 'hang_after_commit',
    match: { method: 'POST', pathIncludes: '/api/now/table/' },
    times: 1,
  });
  // node + tsx's loader directly (not `npx tsx`): the signal must reach the process that applies.
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, 'apply', fx.sim.url, '--yes'], {
    env: { ...process.env, ...fx.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<string | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
  await until(() => committed() === 2 || proc.exitCode !== null, 'the 2nd write to be committed');
  expect(proc.exitCode, out).toBeNull();
  proc.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  expect(committed()).toBe(2);
  fx.sim.faults.clear();
}

describe('an apply killed mid-way', () => {
  it('`apply` again resumes it first, then plans what remains: one record per name, verified, exit 0', async () => {
    await killApplyAfterSecondWrite();
    // plan (reads only) warns that apply will resume first.
    const plan = await runCli(['plan', fx.sim.url], { env: fx.env });
    expect(plan.code).toBe(0);
    expect(plan.stderr).toMatch(/did not finish; "spokesmith apply" resumes it/);

    fx.sim.clearLog();
    const r = await runCli(['apply', fx.sim.url, '--yes', '--json'], { env: fx.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/did not finish: resuming it first, so nothing is sent twice/);
    const json = JSON.parse(r.stdout) as {
      status: string;
      resumed: { apply_id: string; status: string };
      actions: Array<{ op: string }>;
    };
    expect(json.resumed.status).toBe('succeeded');
    // The resume finished everything; the fresh plan has nothing left to write.
    expect(json.status).toBe('up_to_date');
    expect(json.actions.every((a) => a.op === 'noop')).toBe(true);
    for (const [table, name] of NAMES) expect(rows(table, name), name).toHaveLength(1);
    // Only the two writes the killed process never sent were sent (no duplicate of the committed ones).
    // A write may travel as an item of a Batch API request: count items, not requests.
    const posts = fx.sim.log
      .flatMap((e): { method: string; path: string }[] => e.items ?? [e])
      .filter((e) => e.method === 'POST' && e.path.includes('/api/now/table/'));
    expect(posts).toHaveLength(2);

    const history = await runCli(['history', fx.sim.url, '--json'], { env: fx.env });
    const applies = JSON.parse(history.stdout) as { unfinished: string | null; applies: unknown[] };
    expect(applies.unfinished).toBeNull();
    expect(applies.applies).toEqual([
      expect.objectContaining({
        apply_id: json.resumed.apply_id,
        status: 'succeeded',
        created: 4,
        verified: true,
      }),
    ]);
  }, 60_000);

  it('`resume` finishes it alone and prints the result; with nothing to resume it sends nothing', async () => {
    await killApplyAfterSecondWrite();
    const r = await runCli(['resume', fx.sim.url], { env: fx.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Resuming apply \S+ on/);
    expect(r.stdout).toMatch(/Apply on .*: succeeded/);
    expect(r.stdout).toContain('verified');
    for (const [table, name] of NAMES) expect(rows(table, name), name).toHaveLength(1);

    fx.sim.clearLog();
    const again = await runCli(['resume', fx.sim.url], { env: fx.env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to resume');
    expect(fx.sim.log).toHaveLength(0);
  }, 60_000);

  it('rollback with only an unfinished apply: nothing to roll back, nothing written', async () => {
    await killApplyAfterSecondWrite();
    const r = await runCli(['rollback', fx.sim.url, '--yes'], { env: fx.env });
    // No finished apply is recorded yet: nothing to roll back (exit 1); nothing written.
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing to roll back');
    for (const [table, name] of NAMES.slice(2)) expect(rows(table, name), name).toHaveLength(0);
  }, 60_000);
});

describe('an apply refused mid-way (403)', () => {
  it('exits 1; once the refusal is lifted, `resume` takes the same apply up again and sends only what is missing', async () => {
    const remove = fx.sim.faults.add({
      kind: 'forbidden',
      match: { method: 'POST', table: 'http_connection' },
      skip: 1,
      times: 1,
    });
    const failed = await runCli(['apply', fx.sim.url, '--yes', '--json'], { env: fx.env });
    expect(failed.code).toBe(1);
    expect(committed()).toBe(3);
    remove();

    fx.sim.clearLog();
    const r = await runCli(['resume', fx.sim.url], { env: fx.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Apply on .*: succeeded/);
    for (const [table, name] of NAMES) expect(rows(table, name), name).toHaveLength(1);
    expect(fx.sim.log.filter((e) => e.method === 'POST' && e.path.includes('/api/now/table/'))).toHaveLength(
      1,
    );

    const again = await runCli(['resume', fx.sim.url], { env: fx.env });
    expect(again.stdout).toContain('Nothing to resume');
  }, 60_000);
});
