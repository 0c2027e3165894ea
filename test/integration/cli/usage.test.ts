// Bad usage and invalid configuration: exit 2 with every problem listed, and nothing sent.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import packageJson from '../../../package.json';
import { fixture, runCli, type Fixture } from './harness';

let fx: Fixture;
let dir: string;
beforeEach(async () => {
  fx = await fixture('fresh');
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-cli-usage-'));
});
afterEach(async () => {
  await fx.close();
  await rm(dir, { recursive: true, force: true });
});

describe('spokesmith usage', () => {
  it('prints help listing every command, and the version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['discover', 'plan', 'apply', 'rollback', 'report', 'demo', 'sim']) {
      expect(help.stdout).toContain(command);
    }
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(packageJson.version);
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2);
    const r = await runCli(['plan', fx.sim.url, '--bogus'], { env: fx.env });
    expect(r.code).toBe(2);
    expect(fx.sim.log).toHaveLength(0);
  });

  it('lists EVERY config problem with its field, exits 2 and sends nothing', async () => {
    const config = join(dir, 'bad.json');
    await writeFile(
      config,
      JSON.stringify({
        version: 1,
        connections: [
          { alias: 'Not_An_Alias' },
          {
            alias: 'Microsoft_Exchange_Online',
            name: 'Bad;Name<script>',
            urlBuilder: true,
            connectionUrl: 'http://graph.microsoft.com',
            useMid: true,
          },
        ],
      }),
    );
    for (const command of ['discover', 'plan', 'apply']) {
      const yes = command === 'apply' ? ['--yes'] : [];
      const r = await runCli([command, fx.sim.url, '--config', config, ...yes], { env: fx.env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('connections[0].alias');
      expect(r.stderr).toContain('Unknown connection alias "Not_An_Alias"');
      expect(r.stderr).toContain('connections[1].name (Microsoft_Exchange_Online)');
      expect(r.stderr).toContain('connections[1].urlBuilder (Microsoft_Exchange_Online)');
      expect(r.stderr).toContain(
        'connections[1].connectionUrl (Microsoft_Exchange_Online): Connection URL must use https',
      );
      expect(r.stderr).toContain('connections[1].midSelection (Microsoft_Exchange_Online)');
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(fx.sim.log).toHaveLength(0);
  });

  it('lists a non-https instance URL together with the config problems', async () => {
    const config = join(dir, 'bad.json');
    await writeFile(config, JSON.stringify({ version: 1, connections: [{ alias: 'Nope' }] }));
    const r = await runCli(['plan', 'http://acme.service-now.com', '--config', config], { env: fx.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not use https');
    expect(r.stderr).toContain('Unknown connection alias "Nope"');
    expect(r.stderr).toContain('2 problems');
  });

  it('refuses an unknown saved instance name, exit 2', async () => {
    const r = await runCli(['plan', 'nosuchinstance'], { env: fx.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no saved instance is named "nosuchinstance"');
  });

  it('without SN_USERNAME/SN_PASSWORD and no terminal: exit 2, a clear message, nothing sent', async () => {
    const r = await runCli(['plan', fx.sim.url], { env: { SPOKESMITH_WORKSPACE: fx.workspace } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('set SN_USERNAME and SN_PASSWORD');
    expect(fx.sim.log).toHaveLength(0);
  });

  it('asks for the password on a terminal without echoing it', async () => {
    const r = await runCli(['plan', fx.sim.url, '--json'], {
      env: { SPOKESMITH_WORKSPACE: fx.workspace, SN_USERNAME: fx.sim.users.admin.userName },
      tty: true,
      input: `${fx.sim.users.admin.password}\r`,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Password for admin');
    expect(r.stdout + r.stderr).not.toContain(fx.sim.users.admin.password);
  });

  it('apply without a terminal and without --yes: exit 2, nothing sent', async () => {
    const r = await runCli(['apply', fx.sim.url], { env: fx.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(fx.sim.log).toHaveLength(0);
  });

  it('wrong password: exit 1 in plain words, the password never shown', async () => {
    const r = await runCli(['plan', fx.sim.url], { env: { ...fx.env, SN_PASSWORD: 'Wr0ng-Secret-Value' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/user name or password/i);
    expect(r.stdout + r.stderr).not.toContain('Wr0ng-Secret-Value');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
