// The secret store against a REAL Secret Service (gnome-keyring in a private D-Bus session: run with
// `npm run test:keychain`, which wraps vitest in with-secret-service.sh), and the plain-words fallback where
// no keychain is reachable.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppCore, type AppCore } from '../../src/main/app/bootstrap';
import { createIpcRouter } from '../../src/main/ipc/router';
import { KeytarSecretStore, loadKeytar, type KeytarLike } from '../../src/main/secrets/keytar-store';
import { openSecretStore } from '../../src/main/secrets/open-secret-store';
import { KEYCHAIN_SERVICE } from '../../src/main/secrets/secret-store';
import { instanceIdFromUrl } from '../../src/main/workspace';
import { startSimulator, type Simulator } from '../../src/main/simulator';

const run = promisify(execFile);
const REAL = Boolean(process.env.SPOKESMITH_KEYCHAIN_REAL);
const ROOT = join(import.meta.dirname, '..', '..');

describe('no OS keychain reachable', () => {
  it('says so in plain words and keeps secrets in memory for this run only', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/spokesmith-bus',
    };
    delete env.DISPLAY;
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test/keychain/probe-child.ts')],
      {
        cwd: ROOT,
        env,
      },
    );
    const outcome = JSON.parse(stdout) as {
      available: boolean;
      kind: string;
      message: string;
      readBack: string;
    };
    expect(outcome.available).toBe(false);
    expect(outcome.kind).toBe('memory');
    expect(outcome.message).toMatch(
      /^No OS keychain is available: this session has no reachable D-Bus session bus/,
    );
    expect(outcome.message).toMatch(/kept in memory for this run only/);
    expect(outcome.readBack).toBe('kept-in-memory');
  });

  it('without any D-Bus address either (the "autolaunch without X11" case)', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.DISPLAY;
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test/keychain/probe-child.ts')],
      {
        cwd: ROOT,
        env,
      },
    );
    const outcome = JSON.parse(stdout) as { available: boolean; message: string };
    expect(outcome.available).toBe(false);
    expect(outcome.message).toMatch(/No OS keychain is available/);
  });
});

describe.skipIf(!REAL)('real Secret Service (gnome-keyring)', () => {
  let keytar: KeytarLike;
  const service = `Spokesmith-test-${process.pid}`;
  beforeAll(async () => void (keytar = await loadKeytar()));

  it('is detected as available', async () => {
    const opened = await openSecretStore({ service });
    expect(opened).toMatchObject({ available: true, message: 'Secrets are stored in the OS keychain.' });
    expect(opened.store.kind).toBe('keychain');
    // The probe leaves nothing behind.
    expect(await keytar.getPassword(service, '__spokesmith_probe__')).toBeNull();
  });

  it('stores, replaces and deletes one secret per account', async () => {
    const store = new KeytarSecretStore(keytar, service);
    expect(await store.get('acme')).toBeNull();
    await store.set('acme', '{"password":"first"}');
    await store.set('other', '{"password":"other"}');
    expect(await store.get('acme')).toBe('{"password":"first"}');
    await store.set('acme', '{"password":"second"}');
    expect(await store.get('acme')).toBe('{"password":"second"}');
    // Straight from keytar: it really is in the keychain under the service and account.
    expect(await keytar.getPassword(service, 'acme')).toBe('{"password":"second"}');
    expect(await store.delete('acme')).toBe(true);
    expect(await store.get('acme')).toBeNull();
    expect(await store.delete('acme')).toBe(false);
    expect(await store.get('other')).toBe('{"password":"other"}');
    await store.delete('other');
  });

  describe('verify before store (app services with the simulator)', () => {
    let dir: string;
    let sim: Simulator;
    let core: AppCore;
    const trusted = () => ({ ok: true as const });
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'spokesmith-keychain-'));
      sim = await startSimulator({ scenario: 'fresh', port: 0 });
      core = await startAppCore({
        userDataDir: dir,
        version: 'test',
        forceMemorySecrets: false,
        startDemo: null,
        emit: () => undefined,
        chooseSavePath: async () => null,
        openExternal: async () => undefined,
      });
    });
    afterAll(async () => {
      await core?.close();
      await sim?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('a bad password stores nothing; a good one lands in the keychain; remove deletes it', async () => {
      expect(core.deps.secrets.available).toBe(true);
      const router = createIpcRouter({
        services: core.services,
        isTrustedSender: trusted,
        logger: core.logger,
      });
      const event = { sender: { id: 1 }, senderFrame: { url: 'app://spokesmith/', parent: null } };
      const id = instanceIdFromUrl(sim.url);
      const input = {
        name: 'Keychain test',
        url: sim.url,
        authMethod: 'basic',
        username: sim.users.admin.userName,
      };

      const rejected = await router.handle('app:instances:save', event, {
        ...input,
        password: 'not-the-password',
      });
      expect(rejected).toMatchObject({ ok: false, code: 'bad_credentials' });
      expect(await keytar.getPassword(KEYCHAIN_SERVICE, id)).toBeNull();

      const saved = await router.handle('app:instances:save', event, {
        ...input,
        password: sim.users.admin.password,
      });
      expect(saved).toMatchObject({ ok: true, value: { secretConfigured: true } });
      // Stored with the origin it was verified against: it is only ever sent there (issue 9, finding 1).
      expect(JSON.parse((await keytar.getPassword(KEYCHAIN_SERVICE, id))!)).toEqual({
        password: sim.users.admin.password,
        origin: new URL(sim.url).origin,
      });

      // Replace: a new verified password overwrites the stored one.
      const again = await router.handle('app:instances:save', event, {
        ...input,
        id,
        password: sim.users.admin.password,
      });
      expect(again.ok).toBe(true);

      expect(await router.handle('app:instances:remove', event, { id })).toEqual({
        ok: true,
        value: { removed: true },
      });
      expect(await keytar.getPassword(KEYCHAIN_SERVICE, id)).toBeNull();
    });
  });
});
