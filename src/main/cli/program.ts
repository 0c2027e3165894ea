// The commander wiring, and nothing else: each command's behaviour lives in commands/<name>.ts. Every
// command's --help ends with examples; the top-level help lists every command.
import type { CommanderError } from 'commander';
import { Command, Option } from 'commander';
import packageJson from '../../../package.json';
// The rules module alone, not the operations layer's index: the help text needs one constant, and
// --help must not load the engine, got or zod (issue 11: start only what the command needs).
import { DEFAULT_CONCURRENCY } from '../operations/rules';
import type { CommandContext } from './context';
import { EXIT, type ExitCode } from './exit-codes';
import { writeLine, type CliIo } from './io';

/** What commander hands over for the options entraOptions adds (entraCheck: false for --no-entra-check). */
type EntraFlags = {
  entraTenant?: string;
  entraClientId?: string;
  entraSecretExpires?: string;
  entraAuthority?: string;
  entraCheck?: boolean;
};

const collect = (value: string, previous: string[] = []) => [...previous, value];

const INSTANCE_HELP =
  'a saved instance name, or an instance URL (user and password from SN_USERNAME / SN_PASSWORD, or asked on a terminal)';

const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;

/** Why there is no --entra-client-secret, and where the secret comes from instead. */
const ENTRA_HELP = [
  '',
  'The Entra client secret: from ENTRA_CLIENT_SECRET, else the OS keychain (entered once), else asked on',
  'a terminal without echo, then kept in the keychain. There is deliberately no --entra-client-secret',
  'option: a command line is visible to other users of the machine and stays in shell history. The same',
  'tenant, client ID and expiry can be given in the --config file under "entra" (never the secret).',
].join('\n');

const splitList = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);

/**
 * Every command with its options and help, and nothing of what it does: each action imports its
 * command module when it runs, so `--version`, `--help` and a usage error load neither the workspace,
 * the engine, the ServiceNow client (got) nor the simulator. `context` opens this run's shared handles
 * on first use (see index.ts).
 */
export function buildProgram(
  io: CliIo,
  context: () => Promise<CommandContext>,
  setExit: (code: ExitCode) => void,
): Command {
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
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 1 failed (drift: drift found), 2 bad usage or invalid config (nothing sent), ' +
        '3 instance not ready, 4 busy: another Spokesmith process is writing to the instance (nothing sent).' +
        examples(
          'spokesmith demo',
          'SN_USERNAME=admin SN_PASSWORD=… spokesmith plan https://acme.service-now.com',
          'spokesmith instances add "Acme Dev" --url https://acmedev.service-now.com --user admin',
          'spokesmith apply "Acme Dev"',
          'spokesmith apply --all --yes',
          'spokesmith drift --all',
          'spokesmith <command> --help',
        ),
    );
  const run =
    <A extends unknown[]>(fn: (...args: A) => Promise<ExitCode>) =>
    async (...args: A) => {
      setExit(await fn(...args));
    };
  const globals = () => program.opts<{ workspace?: string }>();
  const configOption = () =>
    new Option(
      '-c, --config <file>',
      'desired state (JSON; its format: spokesmith schema); without it the documented defaults apply',
    );
  // The customer's Entra app (issue 10). The client secret is not an option on purpose (see ENTRA_HELP).
  const entraOptions = (command: Command) =>
    command
      .option(
        '--entra-tenant <id>',
        'Entra Directory (tenant) ID: a GUID or a domain such as contoso.onmicrosoft.com',
      )
      .option('--entra-client-id <id>', 'Entra Application (client) ID (a GUID)')
      .option(
        '--entra-secret-expires <date>',
        'when the client secret expires (YYYY-MM-DD); drift warns 30 days before',
      )
      .option(
        '--entra-authority <url>',
        'where the Entra app is checked (default https://login.microsoftonline.com; https only, http for localhost)',
      )
      .option(
        '--no-entra-check',
        'do not check the Entra app before writing (the plan says it was not checked)',
      )
      .addHelpText('after', ENTRA_HELP);

  // plan and apply: where the desired state comes from (a template and its variables, the Entra app).
  const templateOptions = (command: Command) =>
    entraOptions(command)
      .option(
        '-t, --template <name>',
        "desired state from a workspace template (default: the instance's own template, if it has one)",
      )
      .option(
        '--var <key=value>',
        "a template variable, over the instance's own (repeatable); a missing one is a usage error",
        collect,
      );

  program
    .command('discover')
    .description('read what the instance has and check the desired state against it (reads only)')
    .argument('<instance>', INSTANCE_HELP)
    .addOption(configOption())
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      examples(
        'SN_USERNAME=admin SN_PASSWORD=… spokesmith discover https://acme.service-now.com',
        'spokesmith discover "Acme Dev" --json',
      ),
    )
    .action(
      run(async (instance: string, opts: { config?: string; json?: boolean }) =>
        (await import('./commands/discover')).discoverCommand(await context(), instance, {
          ...globals(),
          ...opts,
        }),
      ),
    );

  templateOptions(
    program
      .command('plan')
      .description('show the before/after of every record an apply would create or change (reads only)')
      .argument('<instance>', INSTANCE_HELP)
      .addOption(configOption()),
  )
    .option('--json', 'machine-readable output: one object with an "actions" array')
    .addHelpText(
      'after',
      examples(
        'SN_USERNAME=admin SN_PASSWORD=… spokesmith plan https://acme.service-now.com',
        'spokesmith plan "Acme Dev" --config exchange.json --json',
        'spokesmith plan "Acme Dev" --template customer --var customer=ACME',
        'ENTRA_CLIENT_SECRET=… spokesmith plan "Acme Dev" --entra-tenant contoso.onmicrosoft.com --entra-client-id 1a2b…',
      ),
    )
    .action(
      run(
        async (
          instance: string,
          opts: { config?: string; json?: boolean; template?: string; var?: string[] } & EntraFlags,
        ) =>
          (await import('./commands/plan')).planCommand(await context(), instance, { ...globals(), ...opts }),
      ),
    );

  templateOptions(
    program
      .command('apply')
      .description(
        'resume an interrupted apply if there is one, then plan, confirm, create/update the records and ' +
          'verify them; several instances: a,b,c or --all',
      )
      .argument('[instances]', `${INSTANCE_HELP}; several separated by commas`)
      .addOption(configOption()),
  )
    .option('--json', 'machine-readable output (several instances: JSON lines)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--all', 'every saved instance of the workspace')
    .option(
      '--concurrency <n>',
      `instances provisioned at the same time (several instances only; default: ${DEFAULT_CONCURRENCY})`,
    )
    .option(
      '--queue',
      'when a saved instance cannot be reached (offline, timeout, hibernating), queue the apply ' +
        '(exit 0) instead of failing (exit 1); "spokesmith queue run" applies it later',
    )
    .addHelpText(
      'after',
      '\nAn apply that was interrupted (killed, crashed) is finished first, never sending a write twice.' +
        examples(
          'SN_USERNAME=admin SN_PASSWORD=… spokesmith apply https://acme.service-now.com',
          'spokesmith apply "Acme Dev" --yes --json',
          'spokesmith apply "Acme Dev,Acme Test" --yes',
          'spokesmith apply --all --yes --concurrency 8',
          'spokesmith apply "Acme Prod" --template customer --var customer=ACME --queue',
          'ENTRA_CLIENT_SECRET=… spokesmith apply "Acme Dev" --entra-tenant contoso.onmicrosoft.com --entra-client-id 1a2b… --entra-secret-expires 2027-06-30',
        ),
    )
    .action(
      run(
        async (
          instances: string | undefined,
          opts: {
            config?: string;
            json?: boolean;
            yes?: boolean;
            all?: boolean;
            concurrency?: string;
            template?: string;
            var?: string[];
            queue?: boolean;
          } & EntraFlags,
        ) => {
          const names = splitList(instances);
          const options = { ...globals(), ...opts };
          if (opts.all || names.length > 1)
            return (await import('./commands/apply-many')).applyManyCommand(await context(), names, options);
          if (!names.length) {
            writeLine(io.stderr, 'spokesmith apply: give an instance (or several, a,b,c), or --all.');
            return EXIT.usage;
          }
          return (await import('./commands/apply')).applyCommand(await context(), names[0]!, options);
        },
      ),
    );

  program
    .command('resume')
    .description(
      'finish an apply that was interrupted (killed, crashed) without sending anything twice; ' +
        'needs no network when there is nothing to resume',
    )
    .argument('<instance>', INSTANCE_HELP)
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      examples('spokesmith resume "Acme Dev"', 'spokesmith resume https://acme.service-now.com --json'),
    )
    .action(
      run(async (instance: string, opts: { json?: boolean }) =>
        (await import('./commands/resume')).resumeCommand(await context(), instance, {
          ...globals(),
          ...opts,
        }),
      ),
    );

  program
    .command('rollback')
    .description('undo the last apply on the instance, after showing what will change and confirming')
    .argument('<instance>', INSTANCE_HELP)
    .addOption(configOption())
    .option('--json', 'machine-readable output')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      examples('spokesmith rollback "Acme Dev"', 'spokesmith rollback "Acme Dev" --yes --json'),
    )
    .action(
      run(async (instance: string, opts: { config?: string; json?: boolean; yes?: boolean }) =>
        (await import('./commands/rollback')).rollbackCommand(await context(), instance, {
          ...globals(),
          ...opts,
        }),
      ),
    );

  program
    .command('history')
    .description(
      'list the applies and rollbacks recorded for an instance, with their counts (no request is sent)',
    )
    .argument('<instance>', INSTANCE_HELP)
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      examples('spokesmith history "Acme Dev"', 'spokesmith history https://acme.service-now.com --json'),
    )
    .action(
      run(async (instance: string, opts: { json?: boolean }) =>
        (await import('./commands/history')).historyCommand(await context(), instance, {
          ...globals(),
          ...opts,
        }),
      ),
    );

  program
    .command('report')
    .description(
      "write an apply's before/after as HTML or JSON, the last one by default (no request is sent)",
    )
    .argument('<instance>', INSTANCE_HELP)
    .option('-a, --apply <id>', 'which apply (see spokesmith history); default the last')
    .addOption(new Option('-f, --format <format>', 'html or json').default('html'))
    .option('-o, --out <file>', 'where to write it (default: spokesmith-report-<instance>-<apply>.<format>)')
    .addHelpText(
      'after',
      examples(
        'spokesmith report "Acme Dev"',
        'spokesmith report "Acme Dev" --apply 20250101T120000Z-ab12cd --format json --out acme.json',
      ),
    )
    .action(
      run(async (instance: string, opts: { format?: string; out?: string; apply?: string }) =>
        (await import('./commands/report')).reportCommand(await context(), instance, {
          ...globals(),
          ...opts,
        }),
      ),
    );

  program
    .command('drift')
    .description(
      're-read instances (reads only) and list those whose records no longer match their last apply, ' +
        'with the differing fields',
    )
    .argument('[instances]', `${INSTANCE_HELP}; several separated by commas`)
    .option('--all', 'every saved instance of the workspace')
    .addOption(configOption())
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      '\nExit codes: 0 every instance checked matches its last apply; 1 drift found, an instance could ' +
        'not be checked, or an Entra client secret expires within 30 days (where the desired state gives ' +
        'entra.secretExpires); 2 bad usage (nothing sent).' +
        examples('spokesmith drift --all', 'spokesmith drift "Acme Dev,Acme Test" --json'),
    )
    .action(
      run(async (instances: string | undefined, opts: { all?: boolean; config?: string; json?: boolean }) =>
        (await import('./commands/drift')).driftCommand(await context(), splitList(instances), {
          ...globals(),
          ...opts,
        }),
      ),
    );

  const instances = program
    .command('instances')
    .description('the saved instances of the workspace: list, add, remove, import, export (never secrets)')
    .addHelpText(
      'after',
      examples(
        'spokesmith instances list',
        'SN_PASSWORD=… spokesmith instances add "Acme Dev" --url https://acmedev.service-now.com --user admin',
        'spokesmith instances import team-instances.csv',
        'spokesmith instances export instances.json',
      ),
    );
  instances
    .command('list')
    .description('list the saved instances')
    .option('--json', 'machine-readable output')
    .addHelpText('after', examples('spokesmith instances list', 'spokesmith instances list --json'))
    .action(
      run(async (opts: { json?: boolean }) =>
        (await import('./commands/instances')).instancesListCommand(await context(), {
          ...globals(),
          ...opts,
        }),
      ),
    );
  instances
    .command('add')
    .description(
      'save an instance: the password (SN_PASSWORD, or asked on a terminal without echo) is verified ' +
        'with one authenticated call, then stored in the OS keychain',
    )
    .argument('<name>', 'how the instance is called in Spokesmith (e.g. "Acme Dev")')
    .requiredOption('--url <url>', 'the instance URL (https://<name>.service-now.com)')
    .requiredOption('--user <user>', 'the ServiceNow user name (an admin)')
    .addOption(new Option('--auth <method>', 'basic or oauth (OAuth password grant)').default('basic'))
    .option('--client-id <id>', 'OAuth client id (with --auth oauth; the secret from SN_SECRET_ID or asked)')
    .option('-t, --template <name>', 'the template this instance is provisioned from')
    .option('--var <key=value>', 'a template variable of this instance (repeatable)', collect)
    .addHelpText(
      'after',
      examples(
        'SN_PASSWORD=… spokesmith instances add "Acme Dev" --url https://acmedev.service-now.com --user admin',
        'spokesmith instances add "Acme Prod" --url https://acme.service-now.com --user svc_spokesmith --template customer --var customer=ACME',
      ),
    )
    .action(
      run(
        async (
          name: string,
          opts: {
            url?: string;
            user?: string;
            auth?: string;
            clientId?: string;
            template?: string;
            var?: string[];
          },
        ) =>
          (await import('./commands/instances')).instancesAddCommand(await context(), name, {
            ...globals(),
            ...opts,
          }),
      ),
    );
  instances
    .command('remove')
    .description('remove a saved instance and its stored password (its apply history stays)')
    .argument('<name>', 'the saved instance name')
    .addHelpText('after', examples('spokesmith instances remove "Acme Dev"'))
    .action(
      run(async (name: string) =>
        (await import('./commands/instances')).instancesRemoveCommand(await context(), name, globals()),
      ),
    );
  instances
    .command('import')
    .description(
      'add or update instances from a CSV or JSON file (all or nothing; problems by row and field, exit 2)',
    )
    .argument('<file>', 'the file to read')
    .option('--format <format>', 'csv or json (default: from the file extension)')
    .addHelpText(
      'after',
      '\nCSV columns: name,url,authMethod,username,clientId,tags,template and var:<name> per template variable.' +
        examples(
          'spokesmith instances import team-instances.csv',
          'spokesmith instances import list.txt --format json',
        ),
    )
    .action(
      run(async (file: string, opts: { format?: string }) =>
        (await import('./commands/instances')).instancesImportCommand(await context(), file, {
          ...globals(),
          ...opts,
        }),
      ),
    );
  instances
    .command('export')
    .description('write the instance list to a CSV or JSON file (no passwords or secrets)')
    .argument('<file>', 'the file to write')
    .option('--format <format>', 'csv or json (default: from the file extension)')
    .addHelpText(
      'after',
      examples(
        'spokesmith instances export instances.csv',
        'spokesmith instances export team.txt --format csv',
      ),
    )
    .action(
      run(async (file: string, opts: { format?: string }) =>
        (await import('./commands/instances')).instancesExportCommand(await context(), file, {
          ...globals(),
          ...opts,
        }),
      ),
    );

  const templates = program
    .command('templates')
    .description('named desired states with {variables}, for plan/apply --template: list, import, export')
    .addHelpText(
      'after',
      examples(
        'spokesmith templates list',
        'spokesmith templates import customer-templates.json',
        'spokesmith apply "Acme Prod" --template customer --var customer=ACME',
      ),
    );
  templates
    .command('list')
    .description('list the templates of the workspace and their variables')
    .option('--json', 'machine-readable output')
    .addHelpText('after', examples('spokesmith templates list', 'spokesmith templates list --json'))
    .action(
      run(async (opts: { json?: boolean }) =>
        (await import('./commands/templates')).templatesListCommand(await context(), {
          ...globals(),
          ...opts,
        }),
      ),
    );
  templates
    .command('import')
    .description(
      'add or replace templates from a JSON file (all or nothing; problems by template and field, exit 2)',
    )
    .argument('<file>', 'a template, a list of templates, or a spokesmith templates export')
    .addHelpText('after', examples('spokesmith templates import customer-templates.json'))
    .action(
      run(async (file: string) =>
        (await import('./commands/templates')).templatesImportCommand(await context(), file, globals()),
      ),
    );
  templates
    .command('export')
    .description('write templates to one JSON file')
    .argument('<file>', 'the file to write')
    .option('--name <names>', 'only these templates (comma separated)')
    .addHelpText(
      'after',
      examples(
        'spokesmith templates export templates.json',
        'spokesmith templates export customer.json --name customer',
      ),
    )
    .action(
      run(async (file: string, opts: { name?: string }) =>
        (await import('./commands/templates')).templatesExportCommand(await context(), file, {
          ...globals(),
          ...opts,
        }),
      ),
    );

  const queue = program
    .command('queue')
    .description('applies waiting for an instance to answer again (apply --queue): list, run')
    .addHelpText('after', examples('spokesmith queue list', 'spokesmith queue run'));
  queue
    .command('list')
    .description('show the queued applies and why they wait (no request is sent)')
    .option('--json', 'machine-readable output')
    .addHelpText('after', examples('spokesmith queue list', 'spokesmith queue list --json'))
    .action(
      run(async (opts: { json?: boolean }) =>
        (await import('./commands/queue')).queueListCommand(await context(), { ...globals(), ...opts }),
      ),
    );
  queue
    .command('run')
    .description(
      'check each waiting instance once and apply to those that answer (an interrupted apply is resumed first)',
    )
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      '\nExit codes: 0 every queued apply ran and succeeded; 1 one failed or still waits for its instance.' +
        examples('spokesmith queue run', 'spokesmith queue run --json'),
    )
    .action(
      run(async (opts: { json?: boolean }) =>
        (await import('./commands/queue')).queueRunCommand(await context(), { ...globals(), ...opts }),
      ),
    );

  program
    .command('demo')
    .description('the whole job on a simulated instance, in one command (no keychain, no workspace needed)')
    .option('--json', 'machine-readable result')
    .addHelpText('after', examples('spokesmith demo', 'spokesmith demo --json'))
    .action(
      run(async (opts: { json?: boolean }) =>
        (await import('./commands/demo')).demoCommand(await context(), opts),
      ),
    );

  program
    .command('schema')
    .description('print the JSON Schema of the --config file (resources/schema/desired-state.schema.json)')
    .addHelpText('after', examples('spokesmith schema > desired-state.schema.json'))
    .action(run(async () => (await import('./commands/schema')).schemaCommand(await context())));

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
    .addHelpText(
      'after',
      examples(
        'spokesmith sim',
        'spokesmith sim --port 0 --scenario wcs',
        'spokesmith sim --fault hibernate --state sim.json',
      ),
    )
    .action(
      run(
        async (opts: {
          port?: string;
          scenario?: string;
          latency?: string;
          state?: string;
          fault?: string[];
        }) => (await import('./commands/sim')).simCommand(await context(), opts),
      ),
    );

  return program;
}

/** Commander's own exits (help, version, usage errors) as our exit codes. */
export function commanderExit(error: CommanderError): ExitCode {
  if (error.exitCode === 0) return EXIT.ok;
  return EXIT.usage;
}
