// The app's instance editor opens on an instance (its revision) and saves the whole entry later, with a new
// password perhaps: when another process (a CLI run, a teammate's app) changed that entry in between, the
// save is refused with `conflict`, stores nothing and the other change survives (that no secret is
// stored either: test/unit/operations/instance-save-conflict.test.ts). Through the real IPC router; the
// "other process" is a second Workspace on the same folder.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstanceView } from '../../../src/shared/ipc/contract';
import { openWorkspace } from '../../../src/main/workspace';
import { startHarness, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const workspaceDir = (harness: Harness) => join(harness.userDataDir, 'workspace');
const storedEntry = async (harness: Harness, id: string) =>
  (
    JSON.parse(await readFile(join(workspaceDir(harness), 'instances.json'), 'utf8')) as {
      data: { instances: { id: string; name: string; variables?: Record<string, string> }[] };
    }
  ).data.instances.find((i) => i.id === id);

describe('saving an instance another process changed since the editor opened', () => {
  it('is refused with conflict; nothing is stored; a save on the current revision goes through', async () => {
    h = await startHarness(1);
    const id = h.ids[0]!;
    const sim = h.sims[0]!;
    const [opened] = (await h.ok('app:instances:list', {})) as InstanceView[];
    expect(opened!.revision).toMatch(/^[0-9a-f]{16}$/);

    const other = await openWorkspace(workspaceDir(h));
    await other.instances.save({ ...other.instances.get(id)!, variables: { customer: 'ACME' } });

    const edit = {
      id,
      name: 'Renamed in the app',
      url: sim.url,
      authMethod: 'basic',
      username: sim.users.admin.userName,
      password: sim.users.admin.password,
      variables: {},
    };
    const refused = await h.call('app:instances:save', { ...edit, basedOn: opened!.revision });
    expect(refused).toMatchObject({
      ok: false,
      code: 'conflict',
      message: 'Instance "Customer 1" was changed by another process since it was read; nothing was saved.',
    });
    expect(await storedEntry(h, id)).toMatchObject({ name: 'Customer 1', variables: { customer: 'ACME' } });

    // The editor re-opened on the stored version: its save goes through.
    await h.core.deps.home.current().reload();
    const [current] = (await h.ok('app:instances:list', {})) as InstanceView[];
    expect(current!.revision).not.toBe(opened!.revision);
    const saved = (await h.ok('app:instances:save', {
      ...edit,
      variables: { customer: 'ACME' },
      basedOn: current!.revision,
    })) as InstanceView;
    expect(saved.name).toBe('Renamed in the app');
    expect(saved.revision).not.toBe(current!.revision);
  });
});
