// `spokesmith demo`: the whole job, visible in one command, for a newcomer. Starts the embedded instance
// (fresh scenario, in memory), plans and applies the documented defaults, and prints the before/after and
// the next steps. Needs no keychain and no workspace: its files go to a temporary folder, removed after.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NextStep } from '../../../shared/domain/apply';
import { defaultDesiredState } from '../../../shared/domain/desired-state';
import type { CommandContext } from '../context';
import { CliFailure, EXIT, type ExitCode } from '../exit-codes';
import { applyPlan, buildPlan, discover } from '../../engine';
import { applyToCliJson } from '../output/plan-json';
import { renderApplyText, renderPlanText } from '../output/plan-text';
import { startSimulatorWith } from './sim-options';

export async function demoCommand(ctx: CommandContext, options: { json?: boolean }): Promise<ExitCode> {
  const { style } = ctx;
  const dir = await mkdtemp(join(tmpdir(), 'spokesmith-demo-'));
  const sim = await startSimulatorWith({ scenario: 'fresh', port: 0, host: '127.0.0.1' });
  try {
    const say = options.json ? ctx.err : ctx.out;
    const label = 'demo instance';
    say(
      style.bold(
        `1. A simulated ServiceNow instance is running at ${sim.url} (fresh: spoke installed, no connections).`,
      ),
    );
    const { userName, password } = sim.users.admin;
    const client = ctx.client(sim.url, { kind: 'basic', username: userName, password });
    const desired = defaultDesiredState();
    const outcome = await discover(client, { desired, userName });
    if (!outcome.ok) throw new CliFailure(EXIT.failed, `The demo instance is not ready: ${outcome.message}`);
    say(style.bold(`2. Discovery read the instance in ${outcome.snapshot.requests} request(s).`));
    const plan = buildPlan(outcome.snapshot, desired, new Date());
    say(style.bold('3. The plan for the documented defaults (seed procedure, Tables 1 and 2):'));
    say();
    for (const line of renderPlanText(plan, label, style)) say(line);
    say(style.bold('4. Applying it (the demo confirms for you):'));
    say();
    const record = await applyPlan({ client, plan, dir });
    if (options.json) ctx.json(applyToCliJson(plan, record, label));
    else {
      // The demo instance stops when the demo ends: its "Get OAuth Token" links would open nothing.
      for (const line of renderApplyText(plan, { ...record, nextSteps: [] }, label, style)) ctx.out(line);
      for (const line of demoNextSteps(record.nextSteps)) ctx.out(line);
    }
    say();
    say(
      `Try it on your own instance: spokesmith plan https://<your-instance>.service-now.com ` +
        '(SN_USERNAME / SN_PASSWORD), then spokesmith apply.',
    );
    return record.status === 'succeeded' ? EXIT.ok : EXIT.failed;
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The next steps without links: they would point at the demo instance, which stops with the demo. */
function demoNextSteps(steps: NextStep[]): string[] {
  if (!steps.length) return [];
  const lines = [
    '',
    'Next steps, on a real instance: get an OAuth token for each credential. (The demo instance stops',
    'when the demo ends, so there is nothing to open here; `spokesmith apply` prints these as links.)',
  ];
  for (const step of steps) {
    const how = step.authorizeUrl
      ? 'authorize it in a browser (oauth_initiator.do), or open it and click "Get OAuth Token"'
      : 'open it and click "Get OAuth Token"';
    lines.push(`  • ${step.credentialName} (${step.grant.replace('_', ' ')}): ${how}`);
  }
  return lines;
}
