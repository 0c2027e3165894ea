// Saving an instance (credentials verified against the simulator, secrets into the keychain, the entry into
// instances.json) when another process saves the same instance: a save based on an entry that changed is
// refused before anything is stored — the keychain included — and two saves at once never leave the
// keychain describing one save and the entry another. Two workspaces on one folder stand for two
// processes; one MemorySecretStore stands for the OS keychain they share, counting its writes (the
// simulator's two users share one password, so the stored value alone cannot tell two saves apart).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OperationError, saveInstance, type SaveInstanceInput } from '../../../src/main/operations';
import { MemorySecretStore } from '../../../src/main/secrets/memory-store';
import { readInstanceSecrets } from '../../../src/main/secrets/secret-store';
import { startSimulator, type Simulator } from '../../../src/main/simulator';
import { instanceRevision, openWorkspace, type Workspace } from '../../../src/main/workspace';
import { tempDir } from '../workspace/helpers';

let dir: string;
let cleanup: () => Promise<void>;
let sim: Simulator;
class CountingKeychain extends MemorySecretStore {
  writes = 0;
  override async set(account: string, secret: string): Promise<void> {
    this.writes += 1;
    await super.set(account, secret);
  }
}
let keychain: CountingKeychain;
// Injected time, shared by the "processes": every save gets a later stamp however fast it runs.
let tick = 0;
const open = (folder: string) =>
  openWorkspace(folder, { now: () => new Date(Date.UTC(2026, 11, 7, 8, 0, tick++)) });
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  sim = await startSimulator({ scenario: 'fresh', port: 0 });
  keychain = new CountingKeychain();
});
afterEach(async () => {
  await sim.close();
  await cleanup();
});

const save = (
  workspace: Workspace,
  input: Partial<SaveInstanceInput>,
  sameUrl: 'refuse' | 'update' = 'refuse',
) =>
  saveInstance(
    {
      name: 'ACME',
      url: sim.url,
      authMethod: 'basic',
      username: sim.users.admin.userName,
      ...input,
    },
    { workspace, secrets: keychain, sameUrl, now: () => new Date() },
  );
const stored = async () =>
  (
    JSON.parse(await readFile(join(dir, 'instances.json'), 'utf8')) as {
      data: { instances: { id: string; username: string; variables?: Record<string, string> }[] };
    }
  ).data.instances;
const storedPassword = async (id: string) => (await readInstanceSecrets(keychain, id))?.password;

async function added(): Promise<{ app: Workspace; id: string; revision: string }> {
  const app = await open(dir);
  const { instance } = await save(app, { password: sim.users.admin.password });
  keychain.writes = 0;
  return { app, id: instance.id, revision: instanceRevision(instance)! };
}

describe('saving an instance another process changed since the editor opened', () => {
  it('is refused with conflict before anything is sent or stored; the other change stays', async () => {
    const { app, id, revision } = await added();
    const other = await open(dir);
    await save(other, { id, variables: { customer: 'ACME' } });
    // The app's watcher re-read the workspace; its editor is still open on the old entry.
    await app.instances.reload();
    sim.clearLog();

    // The app's editor opened before that: a new user and password, based on the old entry.
    const refused = save(app, {
      id,
      username: sim.users.nonAdmin.userName,
      password: sim.users.nonAdmin.password,
      basedOn: revision,
    });
    await expect(refused).rejects.toBeInstanceOf(OperationError);
    await expect(refused).rejects.toMatchObject({
      code: 'conflict',
      message: 'Instance "ACME" was changed by another process since it was read; nothing was saved.',
    });
    // Known stale before verifying: the new credentials were not even sent, nor stored.
    expect(sim.log).toEqual([]);
    expect(keychain.writes).toBe(0);
    expect(await storedPassword(id)).toBe(sim.users.admin.password);
    expect(await stored()).toEqual([
      expect.objectContaining({ id, username: sim.users.admin.userName, variables: { customer: 'ACME' } }),
    ]);
  });

  it('is refused under the lock when this process had not seen the change yet, keychain untouched', async () => {
    const { app, id, revision } = await added();
    const other = await open(dir);
    // `app` has not reloaded: its copy still matches the editor's, so only the locked check can tell.
    await save(other, { id, variables: { customer: 'ACME' } });
    await expect(
      save(app, {
        id,
        username: sim.users.nonAdmin.userName,
        password: sim.users.nonAdmin.password,
        basedOn: revision,
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(keychain.writes).toBe(0);
    expect(await storedPassword(id)).toBe(sim.users.admin.password);
    expect((await stored())[0]).toMatchObject({
      username: sim.users.admin.userName,
      variables: { customer: 'ACME' },
    });
  });

  it('a CLI run (no editor revision) is refused when the entry changed after it read the workspace', async () => {
    const { app, id } = await added();
    const other = await open(dir);
    await save(other, { id, variables: { customer: 'ACME' } });
    // `spokesmith instances add` for the same URL updates the entry it read: here an outdated one.
    await expect(
      save(app, { password: sim.users.admin.password, variables: { region: 'EU' } }, 'update'),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect((await stored())[0]?.variables).toEqual({ customer: 'ACME' });
  });

  it('two processes saving one instance at once: one is refused, and the keychain matches the entry', async () => {
    const { id, revision } = await added();
    const [a, b] = await Promise.all([open(dir), open(dir)]);
    const results = await Promise.allSettled([
      save(a, {
        id,
        password: sim.users.admin.password,
        variables: { by: 'a' },
        basedOn: revision,
      }),
      save(b, {
        id,
        username: sim.users.nonAdmin.userName,
        password: sim.users.nonAdmin.password,
        variables: { by: 'b' },
        basedOn: revision,
      }),
    ]);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });

    // The refused save wrote nothing: the keychain holds the credentials of the entry on disk.
    expect(keychain.writes).toBe(1);
    const [entry] = await stored();
    const winner = results[0]!.status === 'fulfilled' ? 'a' : 'b';
    expect(entry).toMatchObject({
      variables: { by: winner },
      username: winner === 'a' ? sim.users.admin.userName : sim.users.nonAdmin.userName,
    });
  });

  it('a password-only change moves the revision: an editor opened before it cannot overwrite it', async () => {
    const { app, id, revision } = await added();
    const other = await open(dir);
    await save(other, { id, password: sim.users.admin.password, basedOn: revision });
    await app.instances.reload();
    const refused = save(app, { id, name: 'ACME renamed', basedOn: revision });
    await expect(refused).rejects.toMatchObject({ code: 'conflict' });
    expect((await stored())[0]).toMatchObject({ id });
  });
});
