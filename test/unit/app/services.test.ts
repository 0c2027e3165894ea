// The app services through the IPC router, against the real simulator, workspace, ServiceNow client and
// engine (no mocks): what the window gets back for each channel, and what is (not) stored.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyProgress } from '../../../src/shared/domain/apply';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import type { ChannelName, ChannelResult, InstanceView } from '../../../src/shared/ipc/contract';
import { startAppCore, type AppCore } from '../../../src/main/app/bootstrap';
import { startDemoSimulator } from '../../../src/main/app/demo-simulator';
import { createIpcRouter, type IpcRouter } from '../../../src/main/ipc/router';
import { instanceIdFromUrl } from '../../../src/main/workspace';
import { startSimulator, type Simulator } from '../../../src/main/simulator';

const trusted = { sender: { id: 1 }, senderFrame: { url: 'app://spokesmith/index.html', parent: null } };

let dir: string;
let core: AppCore;
let router: IpcRouter;
let sim: Simulator;
const opened: string[] = [];
let savePath: string | null = null;
const events: ApplyProgress[] = [];

async function call<C extends ChannelName>(channel: C, input: unknown): Promise<ChannelResult<C>> {
  return router.handle(channel, trusted, input);
}
function value<T>(result: { ok: boolean; value?: T; code?: string; message?: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.value as T;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-app-'));
  sim = await startSimulator({ scenario: 'fresh', port: 0 });
  core = await startAppCore({
    userDataDir: dir,
    version: '9.9.9',
    forceMemorySecrets: true,
    startDemo: startDemoSimulator,
    emit: (event, payload) => {
      if (event === 'app:apply:progress') events.push(payload as ApplyProgress);
    },
    chooseSavePath: async () => savePath,
    openExternal: async (url) => void opened.push(url),
  });
  router = createIpcRouter({
    services: core.services,
    isTrustedSender: () => ({ ok: true }),
    logger: core.logger,
  });
});

afterAll(async () => {
  await core?.close();
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

const acme = () => ({
  name: 'Acme test',
  url: sim.url,
  authMethod: 'basic',
  username: sim.users.admin.userName,
});

describe('app services', () => {
  it('report the version, the keychain state and the demo instance', async () => {
    const info = value(await call('app:info:get', {}));
    expect(info).toMatchObject({ version: '9.9.9', keychain: { available: false } });
    expect(info.keychain.message).toMatch(/memory/);
    const list = value(await call('app:instances:list', {})) as InstanceView[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: info.demoInstanceId,
      isDemo: true,
      secretConfigured: true,
      status: 'not_checked',
    });
  });

  it('store nothing when the instance rejects the password, and say so with bad_credentials', async () => {
    const before = sim.log.length;
    const result = await call('app:instances:save', { ...acme(), password: 'wrong-password-123' });
    expect(result).toMatchObject({ ok: false, code: 'bad_credentials' });
    expect(sim.log.length).toBeGreaterThan(before); // it really asked the instance
    const ids = (value(await call('app:instances:list', {})) as InstanceView[]).map((i) => i.id);
    expect(ids).toHaveLength(1);
    expect(await core.deps.secrets.store.get(instanceIdFromUrl(sim.url))).toBeNull();
  });

  it('store verified credentials in the secret store and give the window only secretConfigured', async () => {
    const password = sim.users.admin.password;
    const result = await call('app:instances:save', { ...acme(), password });
    const view = value(result) as InstanceView;
    expect(view).toMatchObject({
      name: 'Acme test',
      url: sim.url,
      secretConfigured: true,
      status: 'not_checked',
      isDemo: false,
    });
    expect(JSON.stringify(result)).not.toContain(password);
    expect(JSON.parse((await core.deps.secrets.store.get(view.id))!)).toEqual({
      password,
      origin: new URL(sim.url).origin,
    });
    const workspaceFiles = await readFile(join(dir, 'workspace', 'instances.json'), 'utf8');
    expect(workspaceFiles).toContain('Acme test');
    expect(workspaceFiles).not.toContain(password);
  });

  it('rename without asking the instance again, keeping the stored password', async () => {
    const id = instanceIdFromUrl(sim.url);
    const before = sim.log.length;
    const view = value(
      await call('app:instances:save', { ...acme(), id, name: 'Acme renamed' }),
    ) as InstanceView;
    expect(view.name).toBe('Acme renamed');
    expect(sim.log.length).toBe(before);
    expect(value(await call('app:instances:test', { id }))).toMatchObject({ ok: true, userName: 'admin' });
  });

  it('refuse a non-https URL for a real host, and editing the demo instance', async () => {
    const bad = await call('app:instances:save', {
      ...acme(),
      url: 'http://acme.example.com',
      password: 'x',
    });
    expect(bad).toMatchObject({ ok: false, code: 'invalid_input' });
    const demoId = value(await call('app:info:get', {})).demoInstanceId!;
    const demo = await call('app:instances:save', { ...acme(), id: demoId, password: 'x' });
    expect(demo).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await call('app:instances:remove', { id: demoId })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
  });

  it('give default forms as the draft, then keep what the user typed', async () => {
    const id = instanceIdFromUrl(sim.url);
    const draft = value(await call('app:drafts:get', { id }));
    expect(draft.updatedAt).toBeNull();
    expect(draft.main).toMatchObject({ name: defaultDesiredState().main.name });
    const typed = { ...draft.main, name: 'Half typed (' };
    value(await call('app:drafts:save', { id, main: typed, clientCred: draft.clientCred }));
    const again = value(await call('app:drafts:get', { id }));
    expect(again.main.name).toBe('Half typed (');
    expect(again.updatedAt).not.toBeNull();
    expect(
      await call('app:drafts:save', { id, main: { name: { nested: 1 } }, clientCred: {} }),
    ).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
  });

  it('plan only after a discovery, with field issues for invalid forms', async () => {
    const id = instanceIdFromUrl(sim.url);
    const forms = defaultDesiredState();
    expect(await call('app:plan:create', { id, ...forms })).toMatchObject({ ok: false, code: 'not_ready' });

    const discovered = value(await call('app:discover:run', { id }));
    expect(discovered.notReady).toBeNull();
    const listed = (value(await call('app:instances:list', {})) as InstanceView[]).find((i) => i.id === id)!;
    expect(listed.status).toBe('ready');
    expect(listed.lastDiscoveredAt).toBe(discovered.snapshot!.discoveredAt);

    const planned = value(await call('app:plan:create', { id, ...forms }));
    expect(planned.plan?.actions.map((a) => `${a.id}:${a.op}`).sort()).toEqual([
      'connection:clientCred:create',
      'connection:main:create',
      'credential:clientCred:create',
      'credential:main:create',
    ]);
    expect(planned.snapshotAgeSeconds).toBeGreaterThanOrEqual(0);

    const invalid = value(
      await call('app:plan:create', {
        id,
        main: { ...forms.main, urlBuilder: true },
        clientCred: forms.clientCred,
      }),
    );
    expect(invalid.plan).toBeNull();
    expect(invalid.issues).toContainEqual(
      expect.objectContaining({ form: 'main', field: 'urlBuilder', severity: 'error' }),
    );
  });

  it('open https links, and http only for the demo instance on loopback', async () => {
    const demoId = value(await call('app:info:get', {})).demoInstanceId!;
    const demoUrl = (value(await call('app:instances:list', {})) as InstanceView[]).find(
      (i) => i.isDemo,
    )!.url;
    value(await call('app:links:open', { url: 'https://acme.service-now.com/nav_to.do' }));
    value(await call('app:links:open', { url: `${demoUrl}/oauth_initiator.do`, instanceId: demoId }));
    const id = instanceIdFromUrl(sim.url);
    for (const input of [
      { url: `${demoUrl}/x` },
      { url: `${sim.url}/x`, instanceId: id },
      { url: 'file:///etc/passwd', instanceId: demoId },
      { url: 'javascript:alert(1)' },
    ]) {
      expect(await call('app:links:open', input), input.url).toMatchObject({
        ok: false,
        code: 'invalid_input',
      });
    }
    expect(opened).toEqual(['https://acme.service-now.com/nav_to.do', `${demoUrl}/oauth_initiator.do`]);
  });

  it('remove an instance together with its stored secret; unknown ids answer not_found', async () => {
    const id = instanceIdFromUrl(sim.url);
    expect(value(await call('app:instances:remove', { id }))).toEqual({ removed: true });
    expect(await core.deps.secrets.store.get(id)).toBeNull();
    expect(await call('app:discover:run', { id })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('never write a password to the log file', async () => {
    const log = await readFile(join(dir, 'logs', 'main.log'), 'utf8');
    expect(log).toContain('Instance saved');
    expect(log).not.toContain(sim.users.admin.password);
    expect(log).not.toContain('wrong-password-123');
  });
});

describe('apply, history, report, rollback on the demo instance', () => {
  it('apply the default forms with progress events, then the instance is provisioned', async () => {
    const demoId = value(await call('app:info:get', {})).demoInstanceId!;
    const forms = defaultDesiredState();
    value(await call('app:discover:run', { id: demoId }));
    events.length = 0;
    const record = value(await call('app:apply:run', { id: demoId, ...forms }));
    expect(record).toMatchObject({ kind: 'apply', status: 'succeeded' });
    expect(record.steps.filter((s) => s.op === 'create' && s.status === 'done')).toHaveLength(4);
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.instanceId))).toEqual(new Set([demoId]));
    expect(events.at(-1)!.phase).toBe('done');
    const listed = (value(await call('app:instances:list', {})) as InstanceView[]).find(
      (i) => i.id === demoId,
    )!;
    expect(listed.status).toBe('provisioned');

    // Discovering again finds everything in place.
    value(await call('app:discover:run', { id: demoId }));
    expect(
      (value(await call('app:instances:list', {})) as InstanceView[]).find((i) => i.id === demoId)!.status,
    ).toBe('provisioned');

    const history = value(await call('app:history:list', { id: demoId }));
    expect(history).toEqual([
      expect.objectContaining({ applyId: record.applyId, kind: 'apply', created: 4, failed: 0 }),
    ]);
    expect(value(await call('app:history:get', { id: demoId, applyId: record.applyId })).applyId).toBe(
      record.applyId,
    );
    expect(await call('app:history:get', { id: demoId, applyId: 'nope' })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
  });

  it('export a report where the user chooses, or nothing when they cancel', async () => {
    const demoId = value(await call('app:info:get', {})).demoInstanceId!;
    const [latest] = value(await call('app:history:list', { id: demoId }));
    savePath = null;
    expect(
      value(await call('app:report:export', { id: demoId, applyId: latest!.applyId, format: 'html' })),
    ).toEqual({
      path: null,
    });
    savePath = join(dir, 'report.html');
    expect(
      value(await call('app:report:export', { id: demoId, applyId: latest!.applyId, format: 'html' })),
    ).toEqual({
      path: savePath,
    });
    const html = await readFile(savePath, 'utf8');
    expect(html).toMatch(/<html/i);
    expect(html).toContain('Exchange_Online_Connection');
    // The flows as the last discovery read them (the demo's are inactive): what is left says so.
    expect(html).toContain('<dt>Walk-up flows</dt>');
    expect(html).toContain('Activate the flow “Create Walk-up Appointment Calendar Event”');
    savePath = null;
  });

  it('report token status for the provisioned credentials', async () => {
    const demoId = value(await call('app:info:get', {})).demoInstanceId!;
    const tokens = value(await call('app:tokens:status', { id: demoId }));
    expect(tokens.map((t) => t.credentialName).sort()).toEqual([
      'Exchange_Online_Credentials',
      'Exchange_Online_Credentials_clientCred',
    ]);
  });

  it('plan and run the rollback, which leaves the instance ready again', async () => {
    const demoId = value(await call('app:info:get', {})).demoInstanceId!;
    const plan = value(await call('app:rollback:plan', { id: demoId }));
    expect(plan.actions.length).toBeGreaterThan(0);
    const rolled = value(await call('app:rollback:run', { id: demoId }));
    expect(rolled).toMatchObject({ kind: 'rollback', status: 'succeeded' });
    // Issue 12: History counts the rollback's four deletions, as the CLI's history does.
    const [newest] = value(await call('app:history:list', { id: demoId }));
    expect(newest).toMatchObject({ kind: 'rollback', created: 0, updated: 0, deleted: 4, failed: 0 });
    value(await call('app:discover:run', { id: demoId }));
    expect(
      (value(await call('app:instances:list', {})) as InstanceView[]).find((i) => i.id === demoId)!.status,
    ).toBe('ready');
    expect(await call('app:apply:resume', { id: demoId })).toMatchObject({ ok: false, code: 'not_found' });
  });
});
