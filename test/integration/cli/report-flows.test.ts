// `spokesmith report` of a saved instance shows the Walk-up flows as its last discovery read them (issue 10
// §5), so its "what is left" list activates the inactive flow instead of saying the flows were not read.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, runCli, type Fixture } from './harness';

let fx: Fixture;
let dir: string;
beforeEach(async () => {
  fx = await fixture('fresh');
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-cli-report-'));
});
afterEach(async () => {
  await fx.close();
  await rm(dir, { recursive: true, force: true });
});

describe('report', () => {
  it('lists the Walk-up flows read by the apply and what is left for them', async () => {
    // The consultant has activated one of the two flows so far.
    const flow = fx.sim.db.find(
      'sys_hub_flow',
      (r) => r.name === 'Update/Delete Walk-up Appointment Calendar Event',
    )!;
    fx.sim.db.update('sys_hub_flow', flow.sys_id!, { active: 'true' });
    const add = await runCli(['instances', 'add', 'Acme', '--url', fx.sim.url, '--user', 'admin'], {
      env: fx.env,
    });
    expect(add.code, add.stderr).toBe(0);
    expect((await runCli(['apply', 'Acme', '--yes'], { env: fx.env })).code).toBe(0);
    const out = join(dir, 'r.json');
    const r = await runCli(['report', 'Acme', '--format', 'json', '--out', out], { env: fx.env });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(await readFile(out, 'utf8')) as {
      walkupFlows: { name: string; state: string }[] | null;
      leftToDo: { kind: string; text: string }[];
    };
    expect(report.walkupFlows?.map((f) => f.state)).toEqual(['inactive', 'active']);
    const kinds = report.leftToDo.map((s) => s.kind);
    expect(kinds.filter((k) => k === 'activate_flow')).toHaveLength(1);
    expect(kinds).not.toContain('check_flows');
  });
});
