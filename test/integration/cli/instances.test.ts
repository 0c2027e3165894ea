// `spokesmith instances …` against the simulator: add verifies the password with one authenticated call
// before anything is stored, says plainly when there is no keychain; import/export never carry secrets and
// a bad file is refused as a whole with row and field (exit 2).
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/workspace';
import { fixture, runCli, type Fixture } from './harness';

let fx: Fixture;
let dir: string;
beforeEach(async () => {
  fx = await fixture('fresh');
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-cli-files-'));
});
afterEach(async () => {
  await fx.close();
  await rm(dir, { recursive: true, force: true });
});

/** Every file under the workspace, concatenated: secrets must never be in any of them. */
async function workspaceText(root: string): Promise<string> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n');
}

const add = (args: string[], env: Record<string, string | undefined> = fx.env, tty = false, input?: string) =>
  runCli(['instances', 'add', ...args], { env, tty, ...(input !== undefined ? { input } : {}) });

describe('instances add', () => {
  it('verifies the password with one call, saves the entry, and says plainly that no keychain stored it', async () => {
    const r = await add(['Acme Dev', '--url', fx.sim.url, '--user', 'admin']);
    expect(r.code, r.stderr).toBe(0);
    // Issue 12 walk: "as admin (admin)" said the user twice; the role is named as a role.
    expect(r.stdout).toContain(`Signed in to ${fx.sim.url} as admin, with the admin role.`);
    expect(r.stdout).toContain('Added "Acme Dev"');
    expect(r.stdout).toMatch(/The password was NOT stored: The OS keychain is not used/);
    expect(r.stdout).toContain('Set SN_PASSWORD when you use "Acme Dev"');
    expect(fx.sim.log.length).toBeGreaterThanOrEqual(1);
    expect(fx.writes()).toBe(0);
    const ws = await openWorkspace(fx.workspace);
    expect(ws.instances.list().map((i) => [i.name, i.url, i.username])).toEqual([
      ['Acme Dev', fx.sim.url, 'admin'],
    ]);
    expect(await workspaceText(fx.workspace)).not.toContain(fx.sim.users.admin.password);
    expect(r.stdout + r.stderr).not.toContain(fx.sim.users.admin.password);
  });

  it('adding the same URL again under a new name updates that entry instead of duplicating it', async () => {
    expect((await add(['Acme Dev', '--url', fx.sim.url, '--user', 'admin'])).code).toBe(0);
    const again = await add(['Acme Development', '--url', fx.sim.url, '--user', 'admin']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Updated "Acme Development"');
    expect((await openWorkspace(fx.workspace)).instances.list().map((i) => i.name)).toEqual([
      'Acme Development',
    ]);
    const clash = await add([
      'Acme Development',
      '--url',
      'https://other.service-now.com',
      '--user',
      'admin',
    ]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('is already the name of');
  });

  it('a wrong password: exit 1, the instance rejected it, nothing saved', async () => {
    const r = await add(['Acme Dev', '--url', fx.sim.url, '--user', 'admin'], {
      ...fx.env,
      SN_PASSWORD: 'not-the-password',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/was not added: .*(user name or password|rejected)/i);
    expect(r.stderr).not.toContain('not-the-password');
    expect((await openWorkspace(fx.workspace)).instances.list()).toHaveLength(0);
  });

  it('asks for the password on a terminal without echoing it', async () => {
    const { SN_PASSWORD: _omit, ...env } = fx.env;
    const r = await add(
      ['Acme Dev', '--url', fx.sim.url, '--user', 'admin'],
      env,
      true,
      `${fx.sim.users.admin.password}\n`,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Password for admin');
    expect(r.io.rawModes).toEqual([true, false]);
    expect(r.stdout + r.stderr).not.toContain(fx.sim.users.admin.password);
  });

  it('without a password and without a terminal: exit 2, nothing sent', async () => {
    const { SN_PASSWORD: _omit, ...env } = fx.env;
    const r = await add(['Acme Dev', '--url', fx.sim.url, '--user', 'admin'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('set SN_PASSWORD');
    expect(fx.sim.log).toHaveLength(0);
  });

  it('bad usage lists every problem at once (exit 2, nothing sent)', async () => {
    const r = await add([
      'Acme',
      '--url',
      'ftp://nowhere',
      '--user',
      'admin',
      '--auth',
      'kerberos',
      '--var',
      'no',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--url');
    expect(r.stderr).toContain('--auth');
    expect(r.stderr).toContain('--var');
    expect(fx.sim.log).toHaveLength(0);
    const missing = await runCli(['instances', 'add', 'Acme'], { env: fx.env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--url');
  });
});

describe('instances list, remove, export, import', () => {
  it('lists, exports without secrets, removes, and imports the export back', async () => {
    expect(
      (await add(['Acme Dev', '--url', fx.sim.url, '--user', 'admin', '--var', 'customer=ACME'])).code,
    ).toBe(0);
    const list = await runCli(['instances', 'list'], { env: fx.env });
    expect(list.stdout).toMatch(/Acme Dev\s+http:\/\/127\.0\.0\.1:\d+\s+admin\s+basic/);
    const json = JSON.parse((await runCli(['instances', 'list', '--json'], { env: fx.env })).stdout) as {
      instances: Array<{ name: string; variables?: Record<string, string> }>;
    };
    expect(json.instances).toEqual([
      expect.objectContaining({ name: 'Acme Dev', variables: { customer: 'ACME' } }),
    ]);

    for (const file of ['list.csv', 'list.json']) {
      const r = await runCli(['instances', 'export', file], { env: fx.env, cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Exported 1 instance(s)');
      const text = await readFile(join(dir, file), 'utf8');
      expect(text).toContain('Acme Dev');
      expect(text).not.toContain(fx.sim.users.admin.password);
    }
    expect(await readFile(join(dir, 'list.csv'), 'utf8')).toMatch(/^id,name,url,/);

    const removed = await runCli(['instances', 'remove', 'Acme Dev'], { env: fx.env });
    expect(removed.code).toBe(0);
    expect((await openWorkspace(fx.workspace)).instances.list()).toHaveLength(0);

    const imported = await runCli(['instances', 'import', 'list.csv'], { env: fx.env, cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('1 added');
    const back = (await openWorkspace(fx.workspace)).instances.list();
    expect(back.map((i) => [i.name, i.variables])).toEqual([['Acme Dev', { customer: 'ACME' }]]);
  });

  it('a bad file: every problem with its row and field, exit 2, nothing imported', async () => {
    await writeFile(
      join(dir, 'bad.csv'),
      'name,url,authMethod,username\nGood,https://good.service-now.com,basic,admin\nBad,not a url,nope,\n',
    );
    const r = await runCli(['instances', 'import', 'bad.csv'], { env: fx.env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('was not imported (nothing was changed)');
    expect(r.stderr).toMatch(/row 3, field url/);
    expect(r.stderr).toMatch(/row 3, field authMethod/);
    expect((await openWorkspace(fx.workspace)).instances.list()).toHaveLength(0);

    await writeFile(
      join(dir, 'secret.json'),
      JSON.stringify([{ name: 'A', url: 'https://a.service-now.com', password: 'x' }]),
    );
    const secret = await runCli(['instances', 'import', 'secret.json'], { env: fx.env, cwd: dir });
    expect(secret.code).toBe(2);
    expect(secret.stderr).toMatch(/password/i);

    const missing = await runCli(['instances', 'import', 'nope.json'], { env: fx.env, cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');

    const format = await runCli(['instances', 'import', 'bad.csv', '--format', 'xml'], {
      env: fx.env,
      cwd: dir,
    });
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('not csv or json');
  });
});
