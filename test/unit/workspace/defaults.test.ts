// What a workspace starts with: where it lives by default, what its .gitignore keeps out of a team's
// repository, the state a new instance starts in, and the forms a draft holds.
//
// The workspace is imported inside the test, not at the top: the modules' constants are then covered by
// this test in the mutation run, which otherwise sees them as covered only by the CLI tests that load
// them lazily (stryker.config.mjs, ignoreStatic).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ACME, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

it('starts in the app folder, keeps machine-local files out of git, and starts instances unchecked', async () => {
  const { defaultWorkspaceDir, openWorkspace } = await import('../../../src/main/workspace');
  expect(defaultWorkspaceDir({}, 'linux', '/home/u')).toBe('/home/u/.config/Spokesmith');

  const ws = await openWorkspace(dir);
  const ignored = (await readFile(join(dir, '.gitignore'), 'utf8')).split('\n');
  for (const line of ['local-state.json', 'queue.json', 'instances/*/*', '!instances/*/draft.json', '*.lock'])
    expect(ignored).toContain(line);

  await ws.instances.save(ACME);
  expect(ws.instances.get('acme')).toMatchObject({
    status: 'not_checked',
    statusMessage: null,
    lastDiscoveredAt: null,
  });

  const forms = { main: { name: 'X' }, clientCred: { name: 'Y' }, entra: { tenant: 'contoso' } };
  expect(await ws.drafts.save('acme', forms)).toMatchObject(forms);
  expect(await ws.drafts.get('acme')).toMatchObject(forms);
});
