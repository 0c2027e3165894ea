// Issue 10 end to end through the CLI on the embedded instance: apply with the --entra-* flags writes both
// Application Registries (the secret usable, never shown), lists the Walk-up flows and what is left to do;
// a re-apply with the same secret writes nothing; --no-entra-check writes without asking Entra.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretMatches } from '../../../src/main/simulator/auth/secrets';
import { fixture, runCli, testKeychain, type Fixture } from './harness';

let fx: Fixture;
beforeEach(async () => {
  fx = await fixture('fresh');
});
afterEach(async () => {
  await fx.close();
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

const flags = (fx: Fixture) => [
  '--entra-tenant',
  fx.sim.entraApp.tenantId,
  '--entra-client-id',
  fx.sim.entraApp.clientId,
  '--entra-authority',
  fx.sim.entraApp.authority,
];
const withSecret = (fx: Fixture) => ({ ...fx.env, ENTRA_CLIENT_SECRET: fx.sim.entraApp.clientSecret });

describe('apply with the Entra app on a fresh instance', () => {
  const registry = (fx: Fixture, name: string) => fx.sim.db.find('oauth_entity', (r) => r.name === name);

  it('writes both registries with the secret usable, lists the Walk-up flows, and a re-apply writes nothing', async () => {
    const keychain = testKeychain();
    const options = { env: withSecret(fx), now: NOW, keychain };
    const r = await runCli(['apply', fx.sim.url, '--yes', ...flags(fx)], options);
    expect(r.code, r.stderr).toBe(0);
    const tenant = fx.sim.entraApp.tenantId;
    const authCode = registry(fx, 'Microsoft Exchange Online');
    expect(authCode).toMatchObject({
      client_id: fx.sim.entraApp.clientId,
      auth_url: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/authorize`,
      token_url: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
      redirect_url: `${fx.sim.url}/oauth_redirect.do`,
    });
    const clientCred = registry(fx, 'Microsoft Exchange Online_clientCredentials');
    expect(clientCred?.token_url).toBe(`https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`);
    // Written with sysparm_input_display_value=true, so the instance can use it (docs/servicenow.md §8).
    for (const row of [authCode, clientCred])
      expect(secretMatches(row?.client_secret, fx.sim.entraApp.clientSecret)).toBe(true);
    expect(r.stdout).toMatch(/Microsoft Exchange Online\s+oauth_entity\s+updated/);
    expect(r.stdout).toMatch(/Walk-up flows/);
    expect(r.stdout).toMatch(
      /Create Walk-up Appointment Calendar Event: NOT active {2}http:\/\/.*sys_hub_flow\.do\?sys_id=/,
    );
    expect(r.stdout).toMatch(/Left for you to do/);

    const before = instanceWrites(fx);
    const again = await runCli(['apply', fx.sim.url, '--yes', ...flags(fx)], options);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('already up to date');
    expect(again.stdout).toMatch(/client_secret\s+set\s+unchanged/);
    expect(instanceWrites(fx)).toBe(before);
  });

  it('--json: registries done and verified, the flows, what is left; never the secret', async () => {
    const r = await runCli(['apply', fx.sim.url, '--yes', '--json', ...flags(fx)], {
      env: withSecret(fx),
      now: NOW,
      keychain: testKeychain(),
    });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as {
      registries: Array<{ name: string; status: string; verified: boolean | null; client_secret: string }>;
      walkup_flows: Array<{ name: string; state: string; url: string | null }>;
      left_to_do: Array<{ kind: string }>;
    };
    expect(json.registries.map((x) => [x.status, x.verified, x.client_secret])).toEqual([
      ['done', true, 'set'],
      ['done', true, 'set'],
    ]);
    expect(json.walkup_flows.map((f) => f.state)).toEqual(['inactive', 'inactive']);
    expect(json.left_to_do.map((x) => x.kind)).toContain('activate_flow');
    expect(r.stdout + r.stderr).not.toContain(fx.sim.entraApp.clientSecret);
  });

  it('--no-entra-check: written without asking Entra, and what is left says to check the app', async () => {
    const r = await runCli(
      ['apply', fx.sim.url, '--yes', '--json', ...flags(fx).slice(0, 4), '--no-entra-check'],
      { env: withSecret(fx), now: NOW, keychain: testKeychain() },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(entraRequests(fx)).toBe(0);
    const json = JSON.parse(r.stdout) as {
      entra_check: { status: string };
      left_to_do: Array<{ kind: string }>;
    };
    expect(json.entra_check.status).toBe('skipped');
    expect(json.left_to_do.map((x) => x.kind)).toContain('check_entra_app');
    expect(registry(fx, 'Microsoft Exchange Online')?.client_id).toBe(fx.sim.entraApp.clientId);
  });

  it("rollback restores the registries' earlier non-secret values and says the secret stays", async () => {
    const options = { env: withSecret(fx), now: NOW, keychain: testKeychain() };
    expect((await runCli(['apply', fx.sim.url, '--yes', ...flags(fx)], options)).code).toBe(0);
    const r = await runCli(['rollback', fx.sim.url, '--yes'], options);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/client_secret\s+set\s+unchanged/);
    for (const name of ['Microsoft Exchange Online', 'Microsoft Exchange Online_clientCredentials'])
      expect(registry(fx, name)).toMatchObject({ client_id: '', token_url: '' });
    expect(r.stdout + r.stderr).not.toContain(fx.sim.entraApp.clientSecret);
  });
});
