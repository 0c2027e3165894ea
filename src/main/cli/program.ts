// The commander wiring, and nothing else: each command's behaviour lives in commands/<name>.ts.
import type { CommanderError } from 'commander';
import { Command, Option } from 'commander';
import packageJson from '../../../package.json';
import { applyCommand } from './commands/apply';
import { applyManyCommand } from './commands/apply-many';
import { demoCommand } from './commands/demo';
import { discoverCommand } from './commands/discover';
import { planCommand } from './commands/plan';
import { reportCommand } from './commands/report';
import { rollbackCommand } from './commands/rollback';
import { simCommand } from './commands/sim';
import type { CommandContext } from './context';
import { EXIT, type ExitCode } from './exit-codes';

const collect = (value: string, previous: string[] = []) => [...previous, value];

const INSTANCE_HELP =
  'a saved instance name, or an instance URL (user and password from SN_USERNAME / SN_PASSWORD, or asked on a terminal)';

export function buildProgram(ctx: CommandContext, setExit: (code: ExitCode) => void): Command {
  const program = new Command('spokesmith')
    .description(
      'Provision the Microsoft Exchange Online spoke connection records (HTTP(s) connections and OAuth 2.0 credentials) on ServiceNow instances.',
    )
    .version(packageJson.version, '-V, --version')
    .option(
      '-w, --workspace <dir>',
      'workspace folder (default: SPOKESMITH_WORKSPACE or the app data folder)',
    )
    .showHelpAfterError('(run spokesmith --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
    })
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 1 failed, 2 bad usage or invalid config (nothing sent), 3 instance not ready.',
    );
  const run =
    <A extends unknown[]>(fn: (...args: A) => Promise<ExitCode>) =>
    async (...args: A) => {
      setExit(await fn(...args));
    };
  const globals = () => program.opts<{ workspace?: string }>();
  const configOption = () =>
    new Option('-c, --config <file>', 'desired state (JSON); without it the documented defaults apply');

  program
    .command('discover')
    .description('read what the instance has and check the desired state against it (reads only)')
    .argument('<instance>', INSTANCE_HELP)
    .addOption(configOption())
    .option('--json', 'machine-readable output')
    .action(
      run((instance: string, opts: { config?: string; json?: boolean }) =>
        discoverCommand(ctx, instance, { ...globals(), ...opts }),
      ),
    );

  program
    .command('plan')
    .description('show the before/after of every record an apply would create or change (reads only)')
    .argument('<instance>', INSTANCE_HELP)
    .addOption(configOption())
    .option('--json', 'machine-readable output')
    .action(
      run((instance: string, opts: { config?: string; json?: boolean }) =>
        planCommand(ctx, instance, { ...globals(), ...opts }),
      ),
    );

  program
    .command('apply')
    .description(
      'plan, confirm, create/update the records and verify them; several instances: a,b,c or --all',
    )
    .argument('[instances]', `${INSTANCE_HELP}; several separated by commas`)
    .addOption(configOption())
    .option('--json', 'machine-readable output')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--all', 'every saved instance of the workspace')
    .option('--concurrency <n>', 'instances provisioned at the same time (several instances only)', '4')
    .action(
      run(
        async (
          instances: string | undefined,
          opts: { config?: string; json?: boolean; yes?: boolean; all?: boolean; concurrency?: string },
        ) => {
          const names = (instances ?? '')
            .split(',')
            .map((n) => n.trim())
            .filter(Boolean);
          const options = { ...globals(), ...opts };
          if (opts.all || names.length > 1) return applyManyCommand(ctx, names, options);
          if (!names.length) {
            ctx.err('spokesmith apply: give an instance (or several, a,b,c), or --all.');
            return EXIT.usage;
          }
          return applyCommand(ctx, names[0]!, options);
        },
      ),
    );

  program
    .command('rollback')
    .description('undo the last apply on the instance, after showing what will change and confirming')
    .argument('<instance>', INSTANCE_HELP)
    .addOption(configOption())
    .option('--json', 'machine-readable output')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      run((instance: string, opts: { config?: string; json?: boolean; yes?: boolean }) =>
        rollbackCommand(ctx, instance, { ...globals(), ...opts }),
      ),
    );

  program
    .command('report')
    .description("write the last apply's before/after as HTML or JSON (no request is sent)")
    .argument('<instance>', INSTANCE_HELP)
    .addOption(new Option('-f, --format <format>', 'html or json').default('html'))
    .option('-o, --out <file>', 'where to write it (default: spokesmith-report-<instance>-<apply>.<format>)')
    .action(
      run((instance: string, opts: { format?: string; out?: string }) =>
        reportCommand(ctx, instance, { ...globals(), ...opts }),
      ),
    );

  program
    .command('demo')
    .description('the whole job on a simulated instance, in one command (no keychain, no workspace needed)')
    .option('--json', 'machine-readable result')
    .action(run((opts: { json?: boolean }) => demoCommand(ctx, opts)));

  program
    .command('sim')
    .description('run the simulated ServiceNow instance on 127.0.0.1 until Ctrl-C')
    .option('-p, --port <n>', 'port (0 picks a free one)', '8080')
    .option('-s, --scenario <name>', 'fresh, credentials, wcs, no-spoke, domains or non-admin', 'fresh')
    .option('--latency <ms>', 'added to every request')
    .option('--state <file>', 'keep the instance data in this file across runs')
    .option(
      '--fault <kind[:arg]>',
      'inject a fault (repeatable): latency:MS, rate_limit[:S], status:CODE, reset, hang, hibernate, …',
      collect,
    )
    .action(
      run((opts: { port?: string; scenario?: string; latency?: string; state?: string; fault?: string[] }) =>
        simCommand(ctx, opts),
      ),
    );

  return program;
}

/** Commander's own exits (help, version, usage errors) as our exit codes. */
export function commanderExit(error: CommanderError): ExitCode {
  if (error.exitCode === 0) return EXIT.ok;
  return EXIT.usage;
}
