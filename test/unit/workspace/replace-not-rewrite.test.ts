// Every workspace write replaces its file (a temporary file renamed over it), never rewrites it in place:
// another process reading the file while it is saved sees the whole old version or the whole new one,
// and a crash mid-write leaves the old file intact. Observed from outside: a reader that opened the file
// before the save still reads the complete old content, the path names a new file afterwards, and no
// temporary file is left beside it.
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../../src/main/workspace';
import { buildPlan } from '../../../src/shared/domain/planner';
import { defaultDesiredState, defaultForm } from '../../../src/shared/domain/desired-state';
import { freshSnapshot } from '../engine/snapshot-fixtures';
import { ACME, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

/** Saves twice; the second save must not touch the bytes a reader of the first one holds. */
async function expectReplaced(file: string, first: () => Promise<unknown>, second: () => Promise<unknown>) {
  await first();
  const oldText = await readFile(file, 'utf8');
  const oldInode = (await stat(file)).ino;
  const reader = await open(file, 'r');
  try {
    await second();
    const held = await reader.readFile('utf8');
    expect(held, 'a reader of the old file still reads all of it').toBe(oldText);
    expect(() => JSON.parse(held)).not.toThrow();
  } finally {
    await reader.close();
  }
  const newText = await readFile(file, 'utf8');
  expect(newText).not.toBe(oldText);
  expect((await stat(file)).ino, 'the path names the new file').not.toBe(oldInode);
  const leftovers = (await readdir(dirname(file))).filter((n) => !n.endsWith('.json') && n !== '.gitignore');
  expect(leftovers, 'no temporary file is left behind').toEqual([]);
}

describe('workspace files are replaced, never rewritten in place', () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await openWorkspace(dir);
  });

  it('the instance list', async () => {
    await expectReplaced(
      join(dir, 'instances.json'),
      () => ws.instances.save(ACME),
      () => ws.instances.save({ ...ACME, name: 'Beta', url: 'https://beta.service-now.com' }),
    );
  });

  it('a draft', async () => {
    const { id } = await ws.instances.save(ACME);
    const renamed = { ...defaultForm('main'), name: 'Renamed' };
    await expectReplaced(
      join(ws.instanceDir(id), 'draft.json'),
      () => ws.drafts.save(id, { main: defaultForm('main'), clientCred: defaultForm('clientCred') }),
      () => ws.drafts.save(id, { main: renamed, clientCred: defaultForm('clientCred') }),
    );
  });

  it('a plan', async () => {
    const { id } = await ws.instances.save(ACME);
    const plan = buildPlan(freshSnapshot(), defaultDesiredState(), new Date('2026-01-01T00:00:00Z'));
    await expectReplaced(
      join(ws.instanceDir(id), 'plan.json'),
      () => ws.plans.save(id, plan),
      () => ws.plans.save(id, { ...plan, createdAt: '2026-01-02T00:00:00.000Z' }),
    );
  });
});
