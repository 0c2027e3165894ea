// The one rule for a fleet or queued apply with an Entra app: it starts only when the instance's client
// secret is in the keychain; otherwise a blocked outcome names the instance and where to enter it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entraSecretBlock } from '../../../src/main/fleet/entra-secret-needed';
import { saveEntraSecret } from '../../../src/main/secrets/entra-secret';
import { MemorySecretStore } from '../../../src/main/secrets/memory-store';
import type { SecretStore } from '../../../src/main/secrets/secret-store';
import { openWorkspace, type Workspace } from '../../../src/main/workspace';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';

const ENTRA: DesiredState = {
  ...defaultDesiredState(),
  entra: { tenant: 'contoso.onmicrosoft.com', clientId: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f' },
};

let dir: string;
let workspace: Workspace;
let id: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-entra-needed-'));
  workspace = await openWorkspace(dir);
  id = (
    await workspace.instances.save({
      name: 'ACME Prod',
      url: 'https://acme.service-now.com',
      authMethod: 'basic',
      username: 'admin',
    })
  ).id;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('entraSecretBlock', () => {
  it('lets an apply without an Entra app start, with or without a keychain', async () => {
    expect(await entraSecretBlock(undefined, workspace, id, defaultDesiredState())).toBeNull();
  });

  it('lets an Entra apply start when the secret is stored', async () => {
    const secrets = new MemorySecretStore();
    await saveEntraSecret(secrets, id, 'the-secret');
    expect(await entraSecretBlock(secrets, workspace, id, ENTRA)).toBeNull();
  });

  it('blocks an Entra apply without a stored secret (or keychain), naming the instance and where to enter it', async () => {
    for (const secrets of [new MemorySecretStore(), undefined]) {
      const blocked = await entraSecretBlock(secrets, workspace, id, ENTRA);
      expect(blocked).toMatchObject({ instanceId: id, status: 'blocked', ok: false, code: 'invalid_input' });
      expect(blocked!.message).toMatch(/^ACME Prod: no Entra client secret is stored for this instance/);
      expect(blocked!.message).toContain('"Microsoft Entra app" card');
      expect(blocked!.message).toContain(`spokesmith apply ${id} --entra-tenant`);
      expect(workspace.instances.get(id)?.statusMessage).toBe(blocked!.message);
    }
  });

  it('says the keychain could not be read, rather than that no secret is stored', async () => {
    const broken: SecretStore = {
      kind: 'keychain',
      get: async () => {
        throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
      },
      set: async () => undefined,
      delete: async () => false,
    };
    const blocked = await entraSecretBlock(broken, workspace, id, ENTRA);
    expect(blocked!.message).toMatch(
      /^ACME Prod: the apply with its Entra app did not run, because the OS keychain could not be read: No OS keychain is available/,
    );
    expect(blocked!.message).not.toContain('no Entra client secret is stored');
  });
});
