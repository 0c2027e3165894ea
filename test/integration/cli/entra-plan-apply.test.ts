// Issue 10 through the CLI against the embedded instance and its stand-in Entra endpoint: plan shows the
// two Application Registries field by field (the secret only as set / will be replaced / unchanged) and
// the Entra check; --no-entra-check says plainly the app was not checked; a failed check writes nothing;
// drift reports the client secret's expiry (exit 1 within 30 days). The client secret — a canary — is in
// no output, --json or workspace file.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveEntraSecret } from '../../../src/main/secrets/entra-secret';
import { fixture, runCli, testKeychain, type Fixture } from './harness';

let fx: Fixture;
let dir: string;
beforeEach(async () => {
  fx = await fixture('fresh');
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-cli-entra-'));
});
afterEach(async () => {
  await fx.close();
  await rm(dir, { recursive: true, force: true });
});

const NOW = new Date('2026-12-06T12:00:00Z');

/** Requests that change the instance: Table API writes and Batch API items that are not reads. */
const instanceWrites = (fx: Fixture) =>
  fx.sim.log.filter(
    (e) =>
      (e.method !== 'GET' && e.path.startsWith('/api/now/table')) ||
      (e.items ?? []).some((item) => item.method !== 'GET'),
  ).length;
const entraRequests = (fx: Fixture) => fx.sim.log.filter((e) => e.path.startsWith('/entra/')).length;

const flags = (fx: Fixture, extra: string[] = []) => [
  '--entra-tenant',
  fx.sim.entraApp.tenantId,
  '--entra-client-id',
  fx.sim.entraApp.clientId,
  '--entra-authority',
  fx.sim.entraApp.authority,
  ...extra,
];
const withSecret = (fx: Fixture, secret = fx.sim.entraApp.clientSecret) => ({
  ...fx.env,
  ENTRA_CLIENT_SECRET: secret,
});

interface RegistryJson {
  name: string;
  op: string;
  changes: Record<string, { before: string | null; after: string | null }>;
  client_secret: string | null;
}
interface PlanJson {
  registries?: RegistryJson[];
  entra_check?: { status: string; authority: string; message: string; field?: string; roles?: string[] };
}

describe('plan with the Entra app', () => {
  it('shows both registries field by field, the secret only as "set", and the check passed with its roles', async () => {
    const json = await runCli(['plan', fx.sim.url, ...flags(fx), '--json'], {
      env: withSecret(fx),
      now: NOW,
    });
    expect(json.code, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as PlanJson;
    expect(plan.registries?.map((r) => [r.name, r.op, r.client_secret])).toEqual([
      ['Microsoft Exchange Online', 'update', 'set'],
      ['Microsoft Exchange Online_clientCredentials', 'update', 'set'],
    ]);
    const tenant = fx.sim.entraApp.tenantId;
    expect(plan.registries?.[0]?.changes.token_url?.after).toBe(
      `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
    );
    expect(plan.registries?.[0]?.changes.redirect_url?.after).toBe(`${fx.sim.url}/oauth_redirect.do`);
    expect(plan.registries?.[1]?.changes.client_id?.after).toBe(fx.sim.entraApp.clientId);
    expect(plan.entra_check).toMatchObject({
      status: 'passed',
      authority: fx.sim.entraApp.authority,
      roles: ['Calendars.ReadWrite'],
    });

    const text = await runCli(['plan', fx.sim.url, ...flags(fx)], { env: withSecret(fx), now: NOW });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /~ update {2}Microsoft Exchange Online {2}\(oauth_entity, Application Registry\)/,
    );
    expect(text.stdout).toMatch(/client_secret\s+empty\s+set/);
    expect(text.stdout).toMatch(/Entra app check: passed/);
    expect(text.stdout).toMatch(/application permissions granted: Calendars\.ReadWrite/);
    expect(instanceWrites(fx)).toBe(0);
  });

  it('--no-entra-check: the plan says plainly the app was not checked, and Entra is not asked', async () => {
    const r = await runCli(['plan', fx.sim.url, ...flags(fx).slice(0, 4), '--no-entra-check'], {
      env: withSecret(fx),
      now: NOW,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('The Entra app was not checked');
    expect(entraRequests(fx)).toBe(0);
    const json = await runCli(['plan', fx.sim.url, ...flags(fx).slice(0, 4), '--no-entra-check', '--json'], {
      env: withSecret(fx),
      now: NOW,
    });
    expect((JSON.parse(json.stdout) as PlanJson).entra_check?.status).toBe('skipped');
    expect(entraRequests(fx)).toBe(0);
  });

  it('a failed check: plan exits 1 naming the field in plain words', async () => {
    fx.sim.configureEntra({ fault: 'wrong_secret' });
    const r = await runCli(['plan', fx.sim.url, ...flags(fx)], { env: withSecret(fx), now: NOW });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Entra app check: FAILED/);
    expect(r.stdout).toMatch(/\(field: clientSecret\)/);
  });
});

describe('apply with the Entra app', () => {
  it('a failed check writes nothing to the instance (exit 1, the field named)', async () => {
    fx.sim.configureEntra({ fault: 'unknown_tenant' });
    const r = await runCli(['apply', fx.sim.url, '--yes', ...flags(fx)], { env: withSecret(fx), now: NOW });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/The Entra app failed its check: .* Nothing was written\./);
    expect(r.stdout).toMatch(/\(field: tenant\)/);
    expect(entraRequests(fx)).toBe(1);
    expect(instanceWrites(fx)).toBe(0);
  });

  it('a refused secret: says how to replace the one kept in the keychain', async () => {
    const r = await runCli(['apply', fx.sim.url, '--yes', ...flags(fx)], {
      env: withSecret(fx, 'not-the-secret'),
      now: NOW,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\(field: clientSecret\)/);
    expect(r.stderr).toMatch(/To give another client secret .*: ENTRA_CLIENT_SECRET=… spokesmith apply/);
    expect(instanceWrites(fx)).toBe(0);
  });

  it('--json of a failed check: status blocked, the check, no secret', async () => {
    fx.sim.configureEntra({ fault: 'consent_missing' });
    const r = await runCli(['apply', fx.sim.url, '--yes', '--json', ...flags(fx)], {
      env: withSecret(fx),
      now: NOW,
    });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as PlanJson & { status: string };
    expect(json.status).toBe('blocked');
    expect(json.entra_check?.status).toBe('failed');
    expect(r.stdout + r.stderr).not.toContain(fx.sim.entraApp.clientSecret);
    expect(instanceWrites(fx)).toBe(0);
  });
});

describe('drift and the client secret expiry', () => {
  const configWith = async (secretExpires: string) => {
    const file = join(dir, 'desired.json');
    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        connections: [],
        entra: { tenant: fx.sim.entraApp.tenantId, clientId: fx.sim.entraApp.clientId, secretExpires },
      }),
    );
    return file;
  };

  it('exit 1 when the secret expires within 30 days, saying in how many', async () => {
    const config = await configWith('2026-12-16');
    const r = await runCli(['drift', fx.sim.url, '--config', config], { env: fx.env, now: NOW });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('client secret expires in 10 days');
    const json = await runCli(['drift', fx.sim.url, '--config', config, '--json'], { env: fx.env, now: NOW });
    expect(json.code).toBe(1);
    const body = JSON.parse(json.stdout) as {
      secret_expiring: string[];
      instances: Array<{ secret_expiry?: { days_left: number; warning: boolean } }>;
    };
    expect(body.secret_expiring).toEqual([fx.sim.url]);
    expect(body.instances[0]?.secret_expiry).toMatchObject({ days_left: 10, warning: true });
  });

  it('exit 1 on the 30th day, 0 on the 31st: the boundary is SECRET_EXPIRY_WARNING_DAYS', async () => {
    const at30 = await runCli(['drift', fx.sim.url, '--config', await configWith('2027-01-05')], {
      env: fx.env,
      now: NOW,
    });
    expect(at30.stdout).toContain('client secret expires in 30 days');
    expect(at30.code).toBe(1);
    const at31 = await runCli(['drift', fx.sim.url, '--config', await configWith('2027-01-06')], {
      env: fx.env,
      now: NOW,
    });
    expect(at31.stdout).toContain('client secret expires in 31 days');
    expect(at31.code).toBe(0);
  });

  it('an expiry already past is reported (exit 1), not refused as bad input', async () => {
    const r = await runCli(['drift', fx.sim.url, '--config', await configWith('2026-12-01')], {
      env: fx.env,
      now: NOW,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('client secret expired 5 days ago');
  });

  it('no expiry known: nothing said about it, exit 0', async () => {
    const r = await runCli(['drift', fx.sim.url], { env: fx.env, now: NOW });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/client secret/);
  });
});

describe("a saved instance whose template gives the secret's expiry", () => {
  const addWalkupInstance = async (secretExpires: string) => {
    await writeFile(
      join(dir, 'walkup.json'),
      JSON.stringify({
        name: 'walkup',
        variables: [{ name: 'tenant' }, { name: 'client_id' }, { name: 'secret_expires' }],
        main: {},
        clientCred: {},
        entra: { tenant: '{tenant}', clientId: '{client_id}', secretExpires: '{secret_expires}' },
      }),
    );
    const imported = await runCli(['templates', 'import', 'walkup.json'], { env: fx.env, cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const added = await runCli(
      [
        'instances',
        'add',
        'Acme',
        '--url',
        fx.sim.url,
        '--user',
        fx.env.SN_USERNAME!,
        '--template',
        'walkup',
        '--var',
        `tenant=${fx.sim.entraApp.tenantId}`,
        '--var',
        `client_id=${fx.sim.entraApp.clientId}`,
        '--var',
        `secret_expires=${secretExpires}`,
      ],
      { env: fx.env, now: NOW },
    );
    expect(added.code, added.stderr).toBe(0);
  };

  it('instances list shows the expiry; drift exits 1 for it', async () => {
    await addWalkupInstance('2026-12-16');
    const list = await runCli(['instances', 'list'], { env: fx.env, now: NOW });
    expect(list.stdout).toMatch(/entra secret/);
    expect(list.stdout).toMatch(/Acme .*client secret expires in 10 days/);
    const json = await runCli(['instances', 'list', '--json'], { env: fx.env, now: NOW });
    expect(JSON.parse(json.stdout)).toMatchObject({
      instances: [
        { name: 'Acme', secretExpires: '2026-12-16', secretExpiresInDays: 10, secretExpiryWarning: true },
      ],
    });
    const drift = await runCli(['drift', 'Acme'], { env: fx.env, now: NOW });
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('Acme: Entra client secret expires in 10 days (2026-12-16).');
  });

  it('apply --all: an instance whose template has an Entra app but no secret in the keychain is not applied', async () => {
    await addWalkupInstance('2027-06-30');
    const r = await runCli(['apply', '--all', '--yes'], { env: fx.env, now: NOW, keychain: testKeychain() });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/no Entra client secret is stored for this instance/);
    expect(instanceWrites(fx)).toBe(0);
    expect(entraRequests(fx)).toBe(0);
  });

  it('apply --all refuses the per-instance Entra flags (exit 2, nothing sent)', async () => {
    await addWalkupInstance('2027-06-30');
    const r = await runCli(['apply', '--all', '--yes', ...flags(fx)], { env: withSecret(fx), now: NOW });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--entra-tenant\/--entra-client-id\/--entra-secret-expires: give them with one instance/,
    );
    expect(instanceWrites(fx)).toBe(0);
  });

  it('apply --all checks each Entra app at --entra-authority with its kept secret, then writes the registries', async () => {
    await addWalkupInstance('2027-06-30');
    const keychain = testKeychain();
    const listed = await runCli(['instances', 'list', '--json'], { env: fx.env, now: NOW });
    const [acme] = (JSON.parse(listed.stdout) as { instances: { id: string }[] }).instances;
    await saveEntraSecret(keychain.store, acme!.id, fx.sim.entraApp.clientSecret);

    const r = await runCli(['apply', '--all', '--yes', '--entra-authority', fx.sim.entraApp.authority], {
      env: fx.env,
      now: NOW,
      keychain,
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(entraRequests(fx)).toBe(1);
    const registry = (name: string) => fx.sim.db.find('oauth_entity', (row) => row.name === name);
    expect(registry('Microsoft Exchange Online')).toMatchObject({ client_id: fx.sim.entraApp.clientId });
    expect(registry('Microsoft Exchange Online_clientCredentials')).toMatchObject({
      client_id: fx.sim.entraApp.clientId,
    });
  });

  it('apply --all --no-entra-check writes without asking Entra', async () => {
    await addWalkupInstance('2027-06-30');
    const keychain = testKeychain();
    const listed = await runCli(['instances', 'list', '--json'], { env: fx.env, now: NOW });
    const [acme] = (JSON.parse(listed.stdout) as { instances: { id: string }[] }).instances;
    await saveEntraSecret(keychain.store, acme!.id, fx.sim.entraApp.clientSecret);

    const r = await runCli(['apply', '--all', '--yes', '--no-entra-check'], {
      env: fx.env,
      now: NOW,
      keychain,
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(entraRequests(fx)).toBe(0);
    expect(instanceWrites(fx)).toBeGreaterThan(0);
  });

  it('far from expiry: listed, and drift exits 0', async () => {
    await addWalkupInstance('2027-06-30');
    const list = await runCli(['instances', 'list'], { env: fx.env, now: NOW });
    expect(list.stdout).toMatch(/client secret expires in 206 days/);
    const drift = await runCli(['drift', 'Acme'], { env: fx.env, now: NOW });
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
  });
});

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('the client secret is never shown or written down', () => {
  it('a canary secret appears in no stdout, stderr, --json or workspace file (plan, apply, drift)', async () => {
    const canary = `Canary-${randomBytes(12).toString('hex')}`;
    fx.sim.configureEntra({ clientSecret: canary });
    const keychain = testKeychain();
    const options = { env: withSecret(fx, canary), now: NOW, keychain };
    const runs = [
      await runCli(['plan', fx.sim.url, ...flags(fx)], options),
      await runCli(['plan', fx.sim.url, ...flags(fx), '--json'], options),
      await runCli(
        ['apply', fx.sim.url, '--yes', ...flags(fx, ['--entra-secret-expires', '2026-12-20'])],
        options,
      ),
      await runCli(['apply', fx.sim.url, '--yes', '--json', ...flags(fx)], options),
      await runCli(['drift', fx.sim.url], options),
    ];
    expect(runs[0]?.code, runs[0]?.stderr).toBe(0);
    expect(runs[2]?.code, runs[2]?.stderr).toBe(0);
    const forms = [canary, Buffer.from(canary).toString('base64'), encodeURIComponent(canary)];
    for (const run of runs) for (const form of forms) expect(run.stdout + run.stderr).not.toContain(form);
    for (const file of await filesUnder(fx.workspace)) {
      const bytes = await readFile(file);
      for (const form of forms) expect(bytes.includes(form), file).toBe(false);
      expect(bytes.includes(Buffer.from(canary, 'utf16le')), file).toBe(false);
    }
  });
});
