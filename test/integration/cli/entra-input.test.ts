// Issue 10 on the command line, before anything is sent: the --entra-* flags and the config file's
// "entra" are validated (exit 2 naming the flag or field, nothing sent to the instance or to Entra), and
// the client secret comes from ENTRA_CLIENT_SECRET, else the keychain, else a hidden prompt — never from
// the command line, never printed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEntraSecret, saveEntraSecret } from '../../../src/main/secrets/entra-secret';
import { instanceIdFromUrl } from '../../../src/main/workspace';
import { fixture, runCli, startCli, testKeychain, type Fixture } from './harness';

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
const TENANT = '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e';
const CLIENT = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';

/** Requests that change the instance (Table API or Batch items), and any request to the Entra stand-in. */
function sent(fx: Fixture) {
  const writes = fx.sim.log.filter(
    (e) =>
      (e.method !== 'GET' && e.path.startsWith('/api/now/table')) ||
      (e.items ?? []).some((item) => item.method !== 'GET'),
  ).length;
  const entra = fx.sim.log.filter((e) => e.path.startsWith('/entra/')).length;
  return { writes, entra };
}

const entraFlags = (overrides: Record<string, string> = {}) =>
  Object.entries({
    '--entra-tenant': TENANT,
    '--entra-client-id': CLIENT,
    '--entra-authority': `${fx.sim.url}/entra`,
    ...overrides,
  }).flat();

describe('bad Entra input: exit 2 naming the flag or field, nothing sent', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    [
      'a tenant that is neither a GUID nor a tenant domain',
      { '--entra-tenant': 'contoso.com' },
      /--entra-tenant: Tenant ID must be/,
    ],
    [
      'a client id that is not a GUID',
      { '--entra-client-id': 'my-app' },
      /--entra-client-id: Client ID must be/,
    ],
    [
      'an expiry date in the past',
      { '--entra-secret-expires': '2026-12-05' },
      /--entra-secret-expires: .*in the past/,
    ],
    [
      'an expiry that is not a date',
      { '--entra-secret-expires': '2027-02-30' },
      /--entra-secret-expires: .*a date such as/,
    ],
    [
      'an authority over plain http',
      { '--entra-authority': 'http://login.example.com' },
      /--entra-authority: "http:\/\/login\.example\.com" is not usable/,
    ],
  ];
  it.each(cases)('%s', async (_name, overrides, message) => {
    const r = await runCli(['apply', fx.sim.url, '--yes', ...entraFlags(overrides)], {
      env: { ...fx.env, ENTRA_CLIENT_SECRET: 'a-secret' },
      now: NOW,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Nothing was sent/);
    expect(r.stderr).toMatch(message);
    expect(sent(fx)).toEqual({ writes: 0, entra: 0 });
  });

  it('every problem at once', async () => {
    const r = await runCli(
      ['plan', fx.sim.url, ...entraFlags({ '--entra-tenant': 'x', '--entra-client-id': 'y' })],
      { env: { ...fx.env, ENTRA_CLIENT_SECRET: 'a-secret' }, now: NOW },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Nothing was sent: 2 problems to fix first.');
    expect(r.stderr).toMatch(/--entra-tenant:/);
    expect(r.stderr).toMatch(/--entra-client-id:/);
  });

  it('a client id without a tenant names the missing flag', async () => {
    const r = await runCli(['plan', fx.sim.url, '--entra-client-id', CLIENT], {
      env: { ...fx.env, ENTRA_CLIENT_SECRET: 'a-secret' },
      now: NOW,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--entra-tenant \(or entra\.tenant in the --config file\): Tenant ID is required/,
    );
  });

  it('an empty ENTRA_CLIENT_SECRET', async () => {
    const r = await runCli(['apply', fx.sim.url, '--yes', ...entraFlags()], {
      env: { ...fx.env, ENTRA_CLIENT_SECRET: '  ' },
      now: NOW,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ENTRA_CLIENT_SECRET is set but empty/);
    expect(sent(fx)).toEqual({ writes: 0, entra: 0 });
  });

  it('an empty secret typed at the prompt', async () => {
    const r = await runCli(['plan', fx.sim.url, ...entraFlags()], {
      env: fx.env,
      tty: true,
      input: '\r',
      now: NOW,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/The Entra client secret is empty/);
    expect(sent(fx)).toEqual({ writes: 0, entra: 0 });
  });

  it('no secret and no terminal: names ENTRA_CLIENT_SECRET', async () => {
    const r = await runCli(['apply', fx.sim.url, '--yes', ...entraFlags()], { env: fx.env, now: NOW });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No Entra client secret for .*: set ENTRA_CLIENT_SECRET, or run on a terminal/);
    expect(sent(fx)).toEqual({ writes: 0, entra: 0 });
  });

  it('--entra-client-secret does not exist (a command line is visible to other users)', async () => {
    const r = await runCli(
      ['apply', fx.sim.url, '--yes', ...entraFlags(), '--entra-client-secret', 'Canary-argv'],
      {
        env: fx.env,
        now: NOW,
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--entra-client-secret'/);
    expect(r.stderr + r.stdout).not.toContain('Canary-argv');
    expect(sent(fx)).toEqual({ writes: 0, entra: 0 });
    const help = await runCli(['apply', '--help']);
    expect(help.stdout).toMatch(/deliberately no --entra-client-secret\s+option/);
    expect(help.stdout).toContain('ENTRA_CLIENT_SECRET');
  });

  it('--entra-authority together with --no-entra-check', async () => {
    const r = await runCli(['plan', fx.sim.url, ...entraFlags(), '--no-entra-check'], {
      env: { ...fx.env, ENTRA_CLIENT_SECRET: 'a-secret' },
      now: NOW,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--entra-authority and --no-entra-check: give one or the other/);
  });
});

describe('the config file\'s "entra"', () => {
  it('a clientSecret key is refused with where the secret goes instead; nothing is sent', async () => {
    const config = join(dir, 'entra.json');
    await writeFile(
      config,
      JSON.stringify({
        version: 1,
        connections: [],
        entra: { tenant: TENANT, clientId: CLIENT, clientSecret: 'Canary-in-file' },
      }),
    );
    const r = await runCli(['apply', fx.sim.url, '--yes', '--config', config], {
      env: { ...fx.env, ENTRA_CLIENT_SECRET: 'a-secret' },
      now: NOW,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /entra\.clientSecret: the client secret does not go in the config file\. Set ENTRA_CLIENT_SECRET/,
    );
    expect(r.stderr + r.stdout).not.toContain('Canary-in-file');
    expect(sent(fx)).toEqual({ writes: 0, entra: 0 });
  });

  it('a bad value in the file names its field (entra.clientId)', async () => {
    const config = join(dir, 'entra.json');
    await writeFile(
      config,
      JSON.stringify({ version: 1, connections: [], entra: { tenant: TENANT, clientId: 'not-a-guid' } }),
    );
    const bad = await runCli(['plan', fx.sim.url, '--config', config], {
      env: { ...fx.env, ENTRA_CLIENT_SECRET: 'a-secret' },
      now: NOW,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/entra\.clientId: Client ID must be/);
  });
});

describe('where the client secret comes from', () => {
  const idOf = (fx: Fixture) => instanceIdFromUrl(fx.sim.url);

  it('ENTRA_CLIENT_SECRET first, over the keychain, and it is kept in the keychain', async () => {
    fx.sim.configureEntra({ clientSecret: 'Canary-env-secret' }); // the check passes with this one only
    const keychain = testKeychain();
    await saveEntraSecret(keychain.store, idOf(fx), 'older-secret');
    const r = await runCli(['plan', fx.sim.url, ...entraFlags(), '--json'], {
      env: { ...fx.env, ENTRA_CLIENT_SECRET: 'Canary-env-secret' },
      keychain,
      now: NOW,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(await readEntraSecret(keychain.store, idOf(fx))).toBe('Canary-env-secret');
    expect(r.stdout + r.stderr).not.toContain('Canary-env-secret');
  });

  it('then the keychain: entered once, not asked again even on a terminal', async () => {
    fx.sim.configureEntra({ clientSecret: 'Canary-kept-secret' });
    const keychain = testKeychain();
    await saveEntraSecret(keychain.store, idOf(fx), 'Canary-kept-secret');
    const r = await runCli(['plan', fx.sim.url, ...entraFlags()], {
      env: fx.env,
      tty: true,
      keychain,
      now: NOW,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/Client secret of the Entra app/);
    expect(r.stdout + r.stderr).not.toContain('Canary-kept-secret');
  });

  it('then a hidden prompt on a terminal; what is typed is kept in the keychain and never echoed', async () => {
    fx.sim.configureEntra({ clientSecret: 'Canary-typed-secret' });
    const keychain = testKeychain();
    const { io, done } = startCli(['plan', fx.sim.url, ...entraFlags()], {
      env: fx.env,
      tty: true,
      keychain,
      now: NOW,
    });
    io.type('Canary-typed-secret\r');
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`Client secret of the Entra app ${CLIENT} for .* \\(hidden`));
    expect(io.rawModes).toEqual([true, false]);
    expect(await readEntraSecret(keychain.store, idOf(fx))).toBe('Canary-typed-secret');
    expect(r.stdout + r.stderr).not.toContain('Canary-typed-secret');
  });

  it('a typed secret Entra refuses is not kept, so the next run asks again', async () => {
    fx.sim.configureEntra({ clientSecret: 'the-right-secret' });
    const keychain = testKeychain();
    const { io, done } = startCli(['plan', fx.sim.url, ...entraFlags()], {
      env: fx.env,
      tty: true,
      keychain,
      now: NOW,
    });
    io.type('Canary-mistyped-secret\r');
    const r = await done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Entra refused the client secret given in this run, so it was not kept/);
    expect(await readEntraSecret(keychain.store, idOf(fx))).toBeNull();
    expect(r.stdout + r.stderr).not.toContain('Canary-mistyped-secret');
  });

  it('ENTRA_CLIENT_SECRET refused by Entra on apply: the keychain keeps the secret it held before', async () => {
    fx.sim.configureEntra({ clientSecret: 'older-secret' });
    const keychain = testKeychain();
    await saveEntraSecret(keychain.store, idOf(fx), 'older-secret');
    const r = await runCli(['apply', fx.sim.url, '--yes', ...entraFlags()], {
      env: { ...fx.env, ENTRA_CLIENT_SECRET: 'Canary-wrong-env-secret' },
      keychain,
      now: NOW,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/so it was not kept/);
    expect(await readEntraSecret(keychain.store, idOf(fx))).toBe('older-secret');
    expect(sent(fx).writes).toBe(0);
  });

  it('a secret from the keychain that Entra refuses stays there (the refusal says how to replace it)', async () => {
    fx.sim.configureEntra({ clientSecret: 'the-right-secret' });
    const keychain = testKeychain();
    await saveEntraSecret(keychain.store, idOf(fx), 'kept-but-wrong');
    const r = await runCli(['plan', fx.sim.url, ...entraFlags()], { env: fx.env, keychain, now: NOW });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/so it was not kept/);
    expect(await readEntraSecret(keychain.store, idOf(fx))).toBe('kept-but-wrong');
  });

  it('a tenant Entra does not know: the typed secret is kept (it was never judged)', async () => {
    fx.sim.configureEntra({ clientSecret: 'Canary-typed-secret' });
    const keychain = testKeychain();
    const { io, done } = startCli(
      ['plan', fx.sim.url, ...entraFlags({ '--entra-tenant': '11111111-2222-4333-8444-555555555555' })],
      { env: fx.env, tty: true, keychain, now: NOW },
    );
    io.type('Canary-typed-secret\r');
    const r = await done;
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/so it was not kept/);
    expect(await readEntraSecret(keychain.store, idOf(fx))).toBe('Canary-typed-secret');
  });

  it('no desired Entra app: no secret is asked for', async () => {
    const r = await runCli(['plan', fx.sim.url], { env: fx.env, now: NOW });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/ENTRA_CLIENT_SECRET|Client secret/);
  });
});
