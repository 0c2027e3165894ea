// Applying a template renders each instance's drafts from the instance's variables and records the template
// on its entry. When another process changes the instance while the apply runs, writing the apply's copy
// of the entry back would undo that change (and the draft would be rendered from values no longer stored):
// that instance is reported, with nothing of it written. Through the real IPC router; the "other process"
// holds instances.json's lock and writes the file, so the apply's save must come after it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readVersioned, writeVersioned } from '../../../src/main/storage/json-file';
import { withFileLock } from '../../../src/main/storage/update-file';
import { instancesSpec } from '../../../src/main/workspace/file-specs';
import type { Template } from '../../../src/shared/workspace/schemas';
import { startHarness, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const template: Template = {
  name: 'acme-style',
  variables: [{ name: 'customer' }],
  main: { name: '{customer}_Exchange_Online_Connection' },
  clientCred: {},
};

describe('applying a template to an instance another process is changing', () => {
  it('reports that instance and writes nothing of it; the other change survives', async () => {
    h = await startHarness(1);
    const id = h.ids[0]!;
    await h.ok('app:templates:save', template);
    const [listed] = await h.ok('app:instances:list', {});
    await h.ok('app:instances:save', {
      id,
      name: listed!.name,
      url: listed!.url,
      authMethod: 'basic',
      username: listed!.username,
      variables: { customer: 'OLD' },
      basedOn: listed!.revision,
    });
    const workspace = join(h.userDataDir, 'workspace');
    const file = join(workspace, 'instances.json');

    const { applying } = await withFileLock(file, async () => {
      // The apply starts from the entry it has now (customer OLD) and waits for this lock to save it.
      const applying = h!.call('app:templates:apply', { name: 'acme-style', ids: [id] });
      // Meanwhile another process, holding the lock, changes the instance's variables.
      const read = await readVersioned(file, instancesSpec, { unusable: 'leave' });
      if (!read.ok) throw new Error('instances.json unreadable');
      const instances = read.value.instances.map((i) =>
        i.id === id ? { ...i, variables: { customer: 'NEW' }, updatedAt: '2026-12-07T08:00:00.000Z' } : i,
      );
      await writeVersioned(file, instancesSpec, { instances }, { root: workspace });
      // Wrapped: returned bare, the lock would be held until the apply, waiting for it, ends.
      return { applying };
    });
    const result = await applying;

    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.value.applied).toEqual([]);
    expect(result.value.failed).toEqual([id]);
    expect(result.value.instances[0]!.errors[0]!.message).toBe(
      'Customer 1: Instance "Customer 1" was changed by another process since it was read; nothing was ' +
        'saved. Apply the template again.',
    );
    const stored = JSON.parse(await readFile(file, 'utf8')) as {
      data: { instances: { id: string; variables?: Record<string, string>; template?: string }[] };
    };
    expect(stored.data.instances.find((i) => i.id === id)).toMatchObject({ variables: { customer: 'NEW' } });
    expect(stored.data.instances.find((i) => i.id === id)).not.toHaveProperty('template');
    // No draft rendered from the old variables.
    expect((await h.ok('app:drafts:get', { id })).revision).toBeNull();

    // Applied again, it renders from what is stored now.
    await h.core.deps.home.current().reload();
    const again = await h.ok('app:templates:apply', { name: 'acme-style', ids: [id] });
    expect(again.applied).toEqual([id]);
    expect((await h.ok('app:drafts:get', { id })).main.name).toBe('NEW_Exchange_Online_Connection');
  });
});
