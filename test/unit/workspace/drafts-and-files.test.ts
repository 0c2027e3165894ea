// Per-instance drafts (the forms as typed, and the Entra app as typed), the offline queue's replacement,
// and check(): what a save keeps, what it drops, what it refuses, and how unusable files are reported.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace, WorkspaceInputError } from '../../../src/main/workspace';
import { ACME, tempDir, waitingQueueEntry } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const MAIN = { name: 'ACME_Exchange_Online_Connection' };
const ENTRA = { tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555' };

describe('drafts', () => {
  it('keeps the Entra app when a save does not mention it, and removes it when told to', async () => {
    const ws = await openWorkspace(dir);
    await ws.drafts.save('acme', { main: MAIN, clientCred: {}, entra: ENTRA });
    expect((await ws.drafts.get('acme'))?.entra).toEqual(ENTRA);
    // A template being applied knows only the two forms: the typed Entra app stays.
    const kept = await ws.drafts.save('acme', { main: { ...MAIN, active: true }, clientCred: {} });
    expect(kept.entra).toEqual(ENTRA);
    expect((await ws.drafts.get('acme'))?.entra).toEqual(ENTRA);
    const changed = await ws.drafts.save('acme', { main: MAIN, clientCred: {}, entra: { tenantId: 'x' } });
    expect(changed.entra).toEqual({ tenantId: 'x' });
    const removed = await ws.drafts.save('acme', { main: MAIN, clientCred: {}, entra: null });
    expect(removed).not.toHaveProperty('entra');
    expect(await ws.drafts.get('acme')).not.toHaveProperty('entra');
  });

  it('returns exactly what it stored: values left undefined are dropped, not refused', async () => {
    const ws = await openWorkspace(dir);
    const saved = await ws.drafts.save('acme', {
      main: { ...MAIN, description: undefined },
      clientCred: { credential: undefined },
      entra: { tenantId: 'x', clientId: undefined },
    });
    expect(saved).toStrictEqual(await ws.drafts.get('acme'));
    expect(saved).toMatchObject({ main: MAIN, clientCred: {}, entra: { tenantId: 'x' } });
    const withoutEntra = await ws.drafts.save('globex', { main: MAIN, clientCred: {} });
    expect(withoutEntra).toStrictEqual(await ws.drafts.get('globex'));
  });

  it('refuses a form that is not an object of values, naming the draft and the form', async () => {
    const ws = await openWorkspace(dir);
    for (const main of ['ACME', null, 42]) {
      const error = await ws.drafts.save('acme', { main, clientCred: {} }).catch((e: unknown) => e);
      expect(error, String(main)).toBeInstanceOf(WorkspaceInputError);
      expect((error as Error).message).toMatch(/^Draft is not valid: main: /);
    }
    expect(await ws.drafts.get('acme')).toBeNull();
  });

  it('an unreadable draft reads as none and is reported by name', async () => {
    const ws = await openWorkspace(dir);
    await mkdir(join(dir, 'instances', 'acme'), { recursive: true });
    await writeFile(join(dir, 'instances', 'acme', 'draft.json'), '{ torn');
    expect(await ws.drafts.get('acme')).toBeNull();
    expect(ws.problems.map((p) => p.file)).toEqual([join(dir, 'instances', 'acme', 'draft.json')]);
  });
});

describe('the offline queue', () => {
  it('write replaces the stored entries, for this process and the next', async () => {
    const ws = await openWorkspace(dir);
    await ws.queue.update((entries) => [...entries, waitingQueueEntry('q1')]);
    await ws.queue.write([waitingQueueEntry('q2'), waitingQueueEntry('q3')]);
    expect(ws.queue.read().map((e) => e.id)).toEqual(['q2', 'q3']);
    expect((await openWorkspace(dir)).queue.read()).toEqual([
      waitingQueueEntry('q2'),
      waitingQueueEntry('q3'),
    ]);
  });
});

describe('check()', () => {
  it('finds nothing wrong in a workspace that has no instance folders yet', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    expect(await ws.check()).toEqual([]);
    expect(ws.problems).toEqual([]);
  });

  it('fails, naming it, when the instances path is not a folder, rather than finding all well', async () => {
    const ws = await openWorkspace(dir);
    await writeFile(join(dir, 'instances'), 'not a folder');
    await expect(ws.check()).rejects.toMatchObject({
      code: 'ENOTDIR',
      message: expect.stringContaining(join(dir, 'instances')),
    });
  });

  it('reports an unreadable queue.json', async () => {
    const ws = await openWorkspace(dir);
    await writeFile(join(dir, 'queue.json'), '{ torn');
    expect((await ws.check()).map((p) => p.file)).toEqual([join(dir, 'queue.json')]);
  });

  it('looks only in folders named like an instance id, and stumbles on nothing else there', async () => {
    const ws = await openWorkspace(dir);
    await ws.drafts.save('acme', { main: MAIN, clientCred: {} });
    await writeFile(join(dir, 'instances', 'notes'), 'a file, not an instance folder');
    for (const stray of ['_old', 'acme.bak', 'Upper']) await mkdir(join(dir, 'instances', stray));
    expect(await ws.check()).toEqual([]);
  });
});
