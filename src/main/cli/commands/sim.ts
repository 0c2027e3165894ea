// `spokesmith sim`: the simulated instance on 127.0.0.1 until SIGINT/SIGTERM. The FIRST line of output
// gives the URL, the demo user and password, so scripts and tests can read it.
import { resolve } from 'node:path';
import type { CommandContext } from '../context';
import { CliFailure, EXIT, type ExitCode } from '../exit-codes';
import { waitForSignal } from '../io';
import { simulatorOptions, startSimulatorWith, type SimCliOptions } from './sim-options';

export async function simCommand(ctx: CommandContext, options: SimCliOptions): Promise<ExitCode> {
  const simOptions = simulatorOptions(options, ctx.io.cwd, resolve);
  const sim = await startSimulatorWith(simOptions).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new CliFailure(
      EXIT.failed,
      `Port ${simOptions.port} on ${simOptions.host} is taken: another program (perhaps another ` +
        '`spokesmith sim`) listens there. Choose another with --port, or --port 0 for any free port.',
    );
  });
  const { userName, password } = sim.users.admin;
  // The demo password is not a secret: it is printed so anyone can log in to the simulator.
  ctx.out(
    `Simulated ServiceNow instance at ${sim.url} — user ${userName}, password ${password} (scenario ${simOptions.scenario})`,
  );
  ctx.err(ctx.style.dim('Press Ctrl-C to stop.'));
  await (ctx.io.stopRequested ?? waitForSignal)();
  await sim.close();
  ctx.err('Simulator stopped.');
  return EXIT.ok;
}
