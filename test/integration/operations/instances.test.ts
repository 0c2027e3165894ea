// The core's instance operations the app's editor and list call (src/main/operations/instances.ts):
// "Test connection", which leaves a status the list shows, and removing an instance, which forgets its
// secrets. Against the embedded instance, with a memory keychain.
import { describe, expect, it } from 'vitest';
import { OperationError, removeInstance, saveInstance, testInstance } from '../../../src/main/operations';
import { readEntraSecret, saveEntraSecret } from '../../../src/main/secrets/entra-secret';
import { MemorySecretStore } from '../../../src/main/secrets/memory-store';
import { readInstanceSecrets, writeInstanceSecrets } from '../../../src/main/secrets/secret-store';
import type { Workspace } from '../../../src/main/workspace';
import { startHarness, workspaceWithInstance, type Harness } from '../engine/harness';

async function saved(h: Harness, over: { isDemo?: boolean } = {}) {
  const { workspace, instance } = await workspaceWithInstance(h, over);
  return { workspace, id: instance.id };
}

describe('testInstance', () => {
  it('a success makes an unchecked or failed instance ready, and leaves any other status alone', async () => {
    const h = await startHarness('fresh');
    const { workspace, id } = await saved(h);
    const { userName, password } = h.sim.users.admin;
    const auth = { kind: 'basic' as const, username: userName, password };

    const first = await testInstance(workspace, id, auth);
    expect(first).toMatchObject({ ok: true, code: null, message: `Connected as ${userName}.`, userName });
    expect(first.roles).toContain('admin');
    expect(workspace.instances.get(id)).toMatchObject({ status: 'ready', statusMessage: first.message });

    await workspace.instances.setStatus(id, 'failed', 'earlier');
    await testInstance(workspace, id, auth);
    expect(workspace.instances.get(id)?.status).toBe('ready');

    await workspace.instances.setStatus(id, 'provisioned', null);
    await testInstance(workspace, id, auth);
    expect(workspace.instances.get(id)).toMatchObject({ status: 'provisioned', statusMessage: null });
  });

  it('a refused sign-in is answered in plain words and leaves the instance failed with them', async () => {
    const h = await startHarness('fresh');
    const { workspace, id } = await saved(h);

    const wrong = await testInstance(workspace, id, {
      kind: 'basic',
      username: h.sim.users.admin.userName,
      password: 'not-the-password',
    });

    expect(wrong).toMatchObject({ ok: false, code: 'bad_credentials', userName: null, roles: [] });
    expect(wrong.message).not.toContain('not-the-password');
    expect(workspace.instances.get(id)).toMatchObject({ status: 'failed', statusMessage: wrong.message });
  });

  it('an id the workspace does not hold is not_found, the name of one included', async () => {
    const h = await startHarness('fresh');
    const { workspace } = await saved(h);
    const auth = { kind: 'basic' as const, username: 'a', password: 'b' };
    await expect(testInstance(workspace, 'nope', auth)).rejects.toMatchObject({
      code: 'not_found',
      message: 'There is no instance "nope" in this workspace.',
    });
    // The workspace finds an instance by its name too; an operation on an id never does.
    await expect(testInstance(workspace, 'Acme', auth)).rejects.toMatchObject({ code: 'not_found' });
    expect(h.sim.log).toHaveLength(0);
  });
});

describe('removeInstance', () => {
  it('removes the entry and forgets its secrets, the Entra one too; an unknown id removes nothing', async () => {
    const h = await startHarness('fresh');
    const { workspace, id } = await saved(h);
    const keychain = new MemorySecretStore();
    await writeInstanceSecrets(keychain, id, { password: 'pw' });
    await saveEntraSecret(keychain, id, 'entra-secret');

    expect(await removeInstance(workspace, keychain, id)).toEqual({ removed: true, forgot: true });
    expect(workspace.instances.get(id)).toBeUndefined();
    expect(await readInstanceSecrets(keychain, id)).toBeNull();
    expect(await readEntraSecret(keychain, id)).toBeNull();

    expect(await removeInstance(workspace, keychain, id)).toEqual({ removed: false, forgot: false });
  });

  it('refuses the demo instance, naming the field, and keeps it', async () => {
    const h = await startHarness('fresh');
    const { workspace, id } = await saved(h, { isDemo: true });
    const error = await removeInstance(workspace, new MemorySecretStore(), id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationError);
    expect(error).toMatchObject({
      code: 'invalid_input',
      message: 'The demo instance cannot be removed.',
      details: [{ path: 'id', message: 'The demo instance cannot be removed.' }],
    });
    expect(workspace.instances.get(id)).toMatchObject({ id, isDemo: true });
  });
});

describe('saveInstance', () => {
  const input = (h: Harness) => ({
    name: 'Acme',
    url: h.sim.url,
    authMethod: 'basic' as const,
    username: h.sim.users.admin.userName,
    password: h.sim.users.admin.password,
  });
  const options = (workspace: Workspace, sameUrl: 'refuse' | 'update') => ({
    workspace,
    secrets: new MemorySecretStore(),
    sameUrl,
    now: () => new Date(),
  });

  it('names the field it refuses: a URL that is none, the demo instance, a URL saved already', async () => {
    const h = await startHarness('fresh');
    const { workspace, id } = await saved(h, { isDemo: true });
    const refused = (promise: Promise<unknown>) => promise.catch((e: unknown) => e);

    expect(
      await refused(saveInstance({ ...input(h), url: 'not a url' }, options(workspace, 'refuse'))),
    ).toMatchObject({
      code: 'invalid_input',
      details: [{ path: 'url' }],
    });
    expect(await refused(saveInstance({ ...input(h), id }, options(workspace, 'refuse')))).toMatchObject({
      code: 'invalid_input',
      message: 'The demo instance cannot be edited.',
      details: [{ path: 'id', message: 'The demo instance cannot be edited.' }],
    });
    expect(await refused(saveInstance(input(h), options(workspace, 'refuse')))).toMatchObject({
      code: 'invalid_input',
      message: `${h.sim.url} is already in this workspace.`,
      details: [{ path: 'url' }],
    });
    expect(h.sim.log).toHaveLength(0);
  });

  it('a URL saved already, from the CLI: that entry is updated, never a second one', async () => {
    const h = await startHarness('fresh');
    const { workspace, id } = await saved(h);

    const again = await saveInstance({ ...input(h), name: 'Acme EMEA' }, options(workspace, 'update'));

    expect(again).toMatchObject({ created: false, instance: { id, name: 'Acme EMEA' } });
    expect(workspace.instances.list().map((i) => i.id)).toEqual([id]);
  });
});
