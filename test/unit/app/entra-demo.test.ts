// The demo instance's Entra app (issue 10): its check always asks the embedded simulator's stand-in for
// Entra ID, and "Use the demo Entra app" fills in the stand-in's demo tenant and client and stores its
// (public) demo secret — which then never comes back in an answer.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppCore, type AppCore } from '../../../src/main/app/bootstrap';
import { DEMO_INSTANCE_ID } from '../../../src/main/app/demo';
import { startDemoSimulator } from '../../../src/main/app/demo-simulator';
import { createIpcRouter, type IpcRouter } from '../../../src/main/ipc/router';
import { startSimulator } from '../../../src/main/simulator';
import { DEMO_ENTRA_APP } from '../../../src/main/simulator/entra-stand-in/app';
import type { ChannelName } from '../../../src/shared/ipc/contract';

const trusted = { sender: { id: 1 }, senderFrame: { url: 'app://spokesmith/index.html', parent: null } };
let dir: string;
let core: AppCore;
let router: IpcRouter;
const answers: unknown[] = [];

async function call(channel: ChannelName, input: unknown) {
  const result = await router.handle(channel, trusted, input);
  answers.push(result);
  return result;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-entra-demo-'));
  core = await startAppCore({
    userDataDir: dir,
    version: 'test',
    forceMemorySecrets: true,
    startDemo: startDemoSimulator,
    emit: () => undefined,
    chooseSavePath: async () => null,
    openExternal: async () => undefined,
  });
  router = createIpcRouter({
    services: core.services,
    isTrustedSender: () => ({ ok: true }),
    logger: core.logger,
  });
});
afterAll(async () => {
  await core?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the demo instance’s Entra app', () => {
  it('checks against the embedded stand-in, whatever the settings say, with the demo app filled in', async () => {
    await call('app:settings:save', { entraAuthority: 'https://login.microsoftonline.us' });
    const status = await call('app:entra:status', { id: DEMO_INSTANCE_ID });
    expect(status).toMatchObject({
      ok: true,
      value: {
        secretStored: false,
        standIn: true,
        demoApp: { tenant: DEMO_ENTRA_APP.tenantId, clientId: DEMO_ENTRA_APP.clientId },
      },
    });
    const authority = status.ok ? (status.value as { authority: string }).authority : '';
    expect(authority).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/entra$/);

    expect(await call('app:entra:demo', { id: DEMO_INSTANCE_ID })).toEqual({
      ok: true,
      value: { secretStored: true, tenant: DEMO_ENTRA_APP.tenantId, clientId: DEMO_ENTRA_APP.clientId },
    });
    const check = await call('app:entra:check', {
      id: DEMO_INSTANCE_ID,
      tenant: DEMO_ENTRA_APP.tenantId,
      clientId: DEMO_ENTRA_APP.clientId,
    });
    expect(check).toMatchObject({ ok: true, value: { ok: true, authority, roles: ['Calendars.ReadWrite'] } });
    expect(JSON.stringify(answers)).not.toContain(DEMO_ENTRA_APP.clientSecret);
  });

  it('is offered for the demo instance only', async () => {
    const sim = await startSimulator({ scenario: 'fresh', port: 0 });
    try {
      const saved = await call('app:instances:save', {
        name: 'A customer',
        url: sim.url,
        authMethod: 'basic',
        username: sim.users.admin.userName,
        password: sim.users.admin.password,
      });
      const id = saved.ok ? (saved.value as { id: string }).id : '';
      expect(id).not.toBe('');
      expect(await call('app:entra:demo', { id })).toMatchObject({ ok: false, code: 'invalid_input' });
      expect(await call('app:entra:status', { id })).toMatchObject({
        ok: true,
        value: { standIn: false, demoApp: null, authority: 'https://login.microsoftonline.us' },
      });
    } finally {
      await sim.close();
    }
  });
});
