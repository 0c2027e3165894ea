// Journey: the Connections screen shows an instance's draft, and another process writes that draft (a CLI
// run, a teammate's change pulled with git). Main watches the file (src/main/workspace/watch.ts) and the
// window shows the stored draft at once when nothing typed is waiting, saying why
// (src/renderer/src/lib/forms.svelte.ts). The other writer here is a second workspace opened on the same
// folder in this test's process: main sees only the file change, as it would from any process.
import { callApi, expect, test } from '../harness/fixture';
import { openWorkspace } from '../../../src/main/workspace';
import { openConnections, table, TABLE_1, WINDOW } from './ui';

test.use({ viewport: WINDOW });

interface Ok<T> {
  ok: true;
  value: T;
}

test('a draft written by another process shows in the open forms at once', async ({ app }) => {
  const { page } = app;
  const info = (await callApi(page, 'infoGet')) as Ok<{ demoInstanceId: string }>;
  const id = info.value.demoInstanceId;
  const list = (await callApi(page, 'instancesList')) as Ok<{ id: string; name: string }[]>;
  const demo = list.value.find((i) => i.id === id)!;
  const workspace = (await callApi(page, 'workspaceInfo', {})) as Ok<{ dir: string }>;

  await openConnections(page, demo.name);
  const name = table(page, TABLE_1).getByLabel('Name', { exact: true });
  await expect(name).toBeVisible();
  await expect(name).not.toHaveValue('Written_Elsewhere');

  const other = await openWorkspace(workspace.value.dir);
  await other.drafts.save(id, { main: { name: 'Written_Elsewhere' }, clientCred: {} });

  await expect(name).toHaveValue('Written_Elsewhere');
  await expect(
    page.getByText('Draft changed outside this window (a CLI run, a pull): showing it as stored now.'),
  ).toBeVisible();
});
