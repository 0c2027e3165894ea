// `spokesmith templates …` and `--template NAME` on plan/apply: variables from the saved instance,
// `--var` overrides, a missing variable is a usage error naming it (exit 2, nothing sent).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/workspace';
import { fixture, runCli, type Fixture } from './harness';

let fx: Fixture;
let dir: string;
beforeEach(async () => {
  fx = await fixture('fresh');
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-cli-tpl-'));
  await writeFile(
    join(dir, 'customer.json'),
    JSON.stringify([
      {
        name: 'customer',
        description: 'Names prefixed with the customer',
        variables: [{ name: 'customer', description: 'Customer short name' }],
        main: {
          name: '{customer}_Exchange_Online_Connection',
          credential: '{customer}_Exchange_Online_Credentials',
        },
        clientCred: {
          name: '{customer}_Exchange_Online_Connection_clientCred',
          credential: '{customer}_Exchange_Online_Credentials_clientCred',
        },
      },
    ]),
  );
});
afterEach(async () => {
  await fx.close();
  await rm(dir, { recursive: true, force: true });
});

const importTemplates = () => runCli(['templates', 'import', 'customer.json'], { env: fx.env, cwd: dir });
const names = (stdout: string) =>
  (JSON.parse(stdout) as { actions: Array<{ name: string }> }).actions.map((a) => a.name);

describe('templates', () => {
  it('imports, lists and exports templates', async () => {
    const r = await importTemplates();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Imported 1 template(s): customer');
    const list = await runCli(['templates', 'list'], { env: fx.env });
    expect(list.stdout).toMatch(/customer\s+customer\s+Names prefixed/);
    const exported = await runCli(['templates', 'export', 'out.json'], { env: fx.env, cwd: dir });
    expect(exported.code).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'out.json'), 'utf8'))).toMatchObject({
      templates: [{ name: 'customer' }],
    });
    const unknown = await runCli(['templates', 'export', 'x.json', '--name', 'nope'], {
      env: fx.env,
      cwd: dir,
    });
    expect(unknown.code).toBe(2);
  });

  it('a bad template file: problems by template and field, exit 2, nothing imported', async () => {
    await writeFile(
      join(dir, 'bad.json'),
      JSON.stringify([
        { name: 'ok-one', variables: [], main: {}, clientCred: {} },
        { name: 'bad name!', variables: [], main: {} },
      ]),
    );
    const r = await runCli(['templates', 'import', 'bad.json'], { env: fx.env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/row 2, field name/);
    expect(r.stderr).toMatch(/row 2, field clientCred/);
    expect((await openWorkspace(fx.workspace)).templates.list()).toHaveLength(0);
  });

  it('plan --template --var renders the names; a missing variable is exit 2 naming it, nothing sent', async () => {
    await importTemplates();
    const missing = await runCli(['plan', fx.sim.url, '--template', 'customer'], { env: fx.env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('{customer}');
    expect(missing.stderr).toContain('--var customer=VALUE');
    expect(fx.sim.log).toHaveLength(0);

    const r = await runCli(
      ['plan', fx.sim.url, '--template', 'customer', '--var', 'customer=ACME', '--json'],
      {
        env: fx.env,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(names(r.stdout)).toEqual(
      expect.arrayContaining([
        'ACME_Exchange_Online_Connection',
        'ACME_Exchange_Online_Credentials_clientCred',
      ]),
    );

    const both = await runCli(['plan', fx.sim.url, '--template', 'customer', '--config', 'x.json'], {
      env: fx.env,
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--config and --template');
    const unknown = await runCli(['plan', fx.sim.url, '--template', 'nope'], { env: fx.env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No template named "nope"');
  });

  it("apply uses the saved instance's template and variables; --var overrides them", async () => {
    await importTemplates();
    const added = await runCli(
      [
        'instances',
        'add',
        'Acme',
        '--url',
        fx.sim.url,
        '--user',
        'admin',
        '--template',
        'customer',
        '--var',
        'customer=ACME',
      ],
      { env: fx.env },
    );
    expect(added.code, added.stderr).toBe(0);
    const plan = await runCli(['plan', 'Acme', '--json', '--var', 'customer=OVERRIDE'], { env: fx.env });
    expect(names(plan.stdout)).toContain('OVERRIDE_Exchange_Online_Connection');

    const r = await runCli(['apply', 'Acme', '--yes'], { env: fx.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Desired state: template customer (the template of Acme)');
    const made = fx.sim.db.filter('http_connection', (c) => c.name?.startsWith('ACME_') ?? false);
    expect(made.map((c) => c.name).sort()).toEqual([
      'ACME_Exchange_Online_Connection',
      'ACME_Exchange_Online_Connection_clientCred',
    ]);
  });
});
