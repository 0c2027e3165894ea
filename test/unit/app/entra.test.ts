// The Entra app in the window (issue 10), through the real IPC router against a real simulator and its
// stand-in for Entra ID: the client secret goes in once and no answer, draft or log holds it; the check
// answers in plain words naming the field; the Entra authority setting; the card kept in the draft.
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import { readEntraSecret } from '../../../src/main/secrets/entra-secret';
import { startHarness, type Harness } from './harness';

let h: Harness;
let id: string;
const DAY_MS = 86_400_000;

beforeAll(async () => {
  h = await startHarness(1);
  id = h.ids[0]!;
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  h.sims[0]!.configureEntra({ clientSecret: h.sims[0]!.entraApp.clientSecret, fault: null });
  await h.ok('app:settings:save', { entraAuthority: h.sims[0]!.entraApp.authority });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const defaults = defaultDesiredState();

describe('the Entra client secret', () => {
  it('is stored in the keychain, and no answer, file or log line ever holds it', async () => {
    const canary = `Entra-canary-${randomBytes(10).toString('hex')}`;
    expect(await h.ok('app:entra:status', { id })).toMatchObject({ secretStored: false });
    expect(await h.ok('app:entra:secret', { id, secret: canary })).toEqual({ secretStored: true });
    expect(await h.ok('app:entra:status', { id })).toMatchObject({ secretStored: true });
    expect(await readEntraSecret(h.core.deps.secrets.store, id)).toBe(canary);

    // The window's own calls around it: the draft with the card, a check that fails with that secret.
    const entra = { tenant: h.sims[0]!.entraApp.tenantId, clientId: h.sims[0]!.entraApp.clientId };
    await h.ok('app:drafts:save', { id, ...defaults, entra: { ...entra, secretExpires: '' } });
    const answers = [
      await h.call('app:drafts:get', { id }),
      await h.call('app:entra:check', { id, ...entra }),
      await h.call('app:instances:list', {}),
      await h.call('app:entra:status', { id }),
    ];
    const log = await readFile(join(h.userDataDir, 'logs', 'main.log'), 'utf8');
    expect(log).toContain('Entra client secret stored');
    expect(JSON.stringify(answers)).not.toContain(canary);
    expect(log).not.toContain(canary);
    for (const file of await filesUnder(h.userDataDir)) {
      expect((await readFile(file)).includes(Buffer.from(canary)), file).toBe(false);
    }
    // Forgotten: gone from the keychain.
    expect(await h.ok('app:entra:forget', { id })).toEqual({ secretStored: false });
    expect(await readEntraSecret(h.core.deps.secrets.store, id)).toBeNull();
  });

  it('is refused when blank, and a draft cannot carry it', async () => {
    const blank = await h.call('app:entra:secret', { id, secret: '   ' });
    expect(blank).toMatchObject({ ok: false, code: 'invalid_input' });
    const leak = await h.call('app:drafts:save', {
      id,
      ...defaults,
      entra: { tenant: 'contoso.onmicrosoft.com', clientId: '', secretExpires: '', clientSecret: 'x' },
    });
    expect(leak).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(leak.ok ? '' : leak.message).toContain('client secret stays in the keychain');
  });
});

describe('the Entra check', () => {
  const app = () => h.sims[0]!.entraApp;

  it('asks for the secret first when none is stored', async () => {
    await h.ok('app:entra:forget', { id });
    const check = await h.ok('app:entra:check', { id, tenant: app().tenantId, clientId: app().clientId });
    expect(check).toMatchObject({ ok: false, field: 'clientSecret' });
    expect(check.message).toContain('enter it and save it first');
  });

  it('names the secret when Entra refuses it, then passes with the right one', async () => {
    await h.ok('app:entra:secret', { id, secret: 'not-the-secret' });
    const wrong = await h.ok('app:entra:check', { id, tenant: app().tenantId, clientId: app().clientId });
    expect(wrong).toMatchObject({ ok: false, problem: 'invalid_secret', field: 'clientSecret' });
    expect(wrong.authority).toBe(app().authority);

    await h.ok('app:entra:secret', { id, secret: app().clientSecret });
    const right = await h.ok('app:entra:check', { id, tenant: app().tenantDomain, clientId: app().clientId });
    expect(right).toMatchObject({ ok: true, field: null, roles: ['Calendars.ReadWrite'] });
    expect(right.tenant).toBe(app().tenantDomain);
  });

  it('names the tenant, the client ID, or the app in Entra', async () => {
    await h.ok('app:entra:secret', { id, secret: app().clientSecret });
    const otherGuid = '11111111-2222-4333-8444-555555555555';
    const tenant = await h.ok('app:entra:check', { id, tenant: otherGuid, clientId: app().clientId });
    expect(tenant).toMatchObject({ ok: false, field: 'tenant' });
    const client = await h.ok('app:entra:check', { id, tenant: app().tenantId, clientId: otherGuid });
    expect(client).toMatchObject({ ok: false, field: 'clientId' });
    h.sims[0]!.configureEntra({ adminConsented: false });
    try {
      const consent = await h.ok('app:entra:check', { id, tenant: app().tenantId, clientId: app().clientId });
      expect(consent).toMatchObject({ ok: false, problem: 'consent_missing', field: 'entraApp' });
      expect(consent.message).toContain('Grant admin consent');
    } finally {
      h.sims[0]!.configureEntra({ adminConsented: true });
    }
  });
});

describe('the Entra card in the draft', () => {
  it('keeps what was typed (invalid too), stores an empty card as none, and feeds the expiry', async () => {
    const typed = { tenant: 'contoso.com', clientId: '12', secretExpires: '' };
    await h.ok('app:drafts:save', { id, ...defaults, entra: typed });
    expect((await h.ok('app:drafts:get', { id })).entra).toEqual(typed);

    // A caller that knows only the two forms (an older window) loses nothing typed.
    await h.ok('app:drafts:save', { id, ...defaults });
    expect((await h.ok('app:drafts:get', { id })).entra).toEqual(typed);

    const soon = new Date(Date.now() + 10 * DAY_MS).toISOString().slice(0, 10);
    await h.ok('app:drafts:save', { id, ...defaults, entra: { ...typed, secretExpires: soon } });
    const listed = (await h.ok('app:instances:list', {})).find((i) => i.id === id)!;
    expect(listed.secretExpiry).toMatchObject({ expiresOn: soon, warn: true });
    expect(listed.secretExpiry?.daysLeft).toBeGreaterThanOrEqual(9);
    expect(listed.secretExpiry?.message).toMatch(/^client secret expires in (9|10) days$/);

    await h.ok('app:drafts:save', {
      id,
      ...defaults,
      entra: { tenant: ' ', clientId: '', secretExpires: '' },
    });
    expect((await h.ok('app:drafts:get', { id })).entra).toBeNull();
    const none = (await h.ok('app:instances:list', {})).find((i) => i.id === id)!;
    expect(none.secretExpiry).toBeNull();
  });

  it('makes an invalid Entra app a plan issue naming its field', async () => {
    await h.ok('app:discover:run', { id });
    const view = await h.ok('app:plan:create', {
      id,
      ...defaults,
      entra: { tenant: 'contoso.com', clientId: h.sims[0]!.entraApp.clientId },
    });
    expect(view.plan).toBeNull();
    expect(view.issues).toContainEqual(expect.objectContaining({ field: 'entra.tenant', severity: 'error' }));
  });
});

describe('plan, apply and the Walk-up flows with an Entra app', () => {
  const app = () => h.sims[0]!.entraApp;
  const entra = () => ({ tenant: app().tenantId, clientId: app().clientId });

  it('plans both registries offline with the secret only as "set", and says the app was not checked', async () => {
    await h.ok('app:entra:secret', { id, secret: app().clientSecret });
    await h.ok('app:discover:run', { id });
    const view = await h.ok('app:plan:create', { id, ...defaults, entra: entra() });
    const registries = view.plan?.registries ?? [];
    expect(registries.map((r) => [r.grant, r.op, r.secret])).toEqual([
      ['authorization_code', 'update', 'set'],
      ['client_credentials', 'update', 'set'],
    ]);
    expect(view.plan?.entraCheck).toMatchObject({ status: 'not_run', authority: app().authority });
    expect(JSON.stringify(view)).not.toContain(app().clientSecret);
  });

  it('stops an apply whose Entra app fails its check, naming the field, with nothing written', async () => {
    await h.ok('app:entra:secret', { id, secret: 'not-the-secret' });
    const before = h.sims[0]!.db.rows('http_connection').length;
    const result = await h.call('app:apply:run', { id, ...defaults, entra: entra() });
    expect(result).toMatchObject({
      ok: false,
      code: 'entra_check_failed',
      details: { field: 'clientSecret' },
    });
    expect(result.ok ? '' : result.message).toContain('Nothing was written');
    expect(h.sims[0]!.db.rows('http_connection')).toHaveLength(before);
  });

  it('applies with the right secret and reads the two Walk-up flows, each with its link', async () => {
    await h.ok('app:entra:secret', { id, secret: app().clientSecret });
    const record = await h.ok('app:apply:run', { id, ...defaults, entra: entra() });
    expect(record.status).toBe('succeeded');
    const registrySteps = record.steps.filter((s) => s.table === 'oauth_entity');
    expect(registrySteps.map((s) => s.status)).toEqual(['done', 'done']);
    expect(JSON.stringify(record)).not.toContain(app().clientSecret);

    const flows = await h.ok('app:walkup:check', { id });
    expect(flows.flows.map((f) => f.state)).toEqual(['inactive', 'inactive']);
    expect(flows.flows[0]?.url).toContain(`${h.sims[0]!.url}/sys_hub_flow.do?sys_id=`);
    const flow = h.sims[0]!.db.find('sys_hub_flow', (r) => r.name === flows.flows[0]!.name)!;
    h.sims[0]!.db.update('sys_hub_flow', flow.sys_id!, { active: 'true' });
    // The stored discovery still says inactive; a fresh read sees the change.
    expect((await h.ok('app:walkup:check', { id })).flows[0]?.state).toBe('inactive');
    expect((await h.ok('app:walkup:check', { id, fresh: true })).flows[0]?.state).toBe('active');
  });
});

describe('the Entra authority setting', () => {
  it('accepts https and loopback http, refuses the rest naming the setting, and resets to the default', async () => {
    expect(await h.ok('app:settings:save', { entraAuthority: 'https://login.microsoftonline.us/' })).toEqual({
      entraAuthority: 'https://login.microsoftonline.us',
      defaultEntraAuthority: 'https://login.microsoftonline.com',
    });
    const refused = await h.call('app:settings:save', { entraAuthority: 'http://login.example.com' });
    expect(refused).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(refused.ok ? '' : refused.message).toContain('Entra authority');
    expect((await h.ok('app:settings:get', {})).entraAuthority).toBe('https://login.microsoftonline.us');
    expect((await h.ok('app:entra:status', { id })).authority).toBe('https://login.microsoftonline.us');

    await h.ok('app:settings:save', { entraAuthority: null });
    expect((await h.ok('app:settings:get', {})).entraAuthority).toBe('https://login.microsoftonline.com');
    // Kept across a restart (machine-local settings in userData). Last: the restart empties the memory keychain.
    await h.ok('app:settings:save', { entraAuthority: 'http://127.0.0.1:9/entra' });
    await h.restart();
    expect((await h.ok('app:settings:get', {})).entraAuthority).toBe('http://127.0.0.1:9/entra');
  });
});
