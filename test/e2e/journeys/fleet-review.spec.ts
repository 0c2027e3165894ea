// The Fleet review at the narrow window (issue 12): its Notes column wrapped to five lines at 1024 px while
// the count columns stood half empty. Two instances, one asleep and never discovered (the longest note),
// are planned at 1024×700; the notes must stay a few lines tall.
import type { Locator } from '@playwright/test';
import { expect, test } from '../harness/fixture';
import { addInstance, openScreen, startLoopbackInstance, type CustomerInstance } from './ui';

test.use({ viewport: { width: 1024, height: 700 } });
// Starting main and the page alone can take most of the default 30 s on a loaded 2-core machine.
test.describe.configure({ timeout: 90_000 });

const AWAKE = 'Acme (production)';
const ASLEEP = 'Umbrella (developer)';

let instances: CustomerInstance[];
test.beforeEach(async () => {
  instances = await Promise.all([startLoopbackInstance('fresh'), startLoopbackInstance('fresh')]);
});
test.afterEach(async () => {
  await Promise.all(instances.map((i) => i.close()));
});

/** How many lines of the cell's own line height its content takes (not the row's height, which a taller
 *  neighbour sets). */
async function linesTall(cell: Locator): Promise<number> {
  return cell.evaluate((el) => {
    const page = globalThis as unknown as {
      getComputedStyle(e: unknown): { lineHeight: string };
      document: {
        createRange(): { selectNodeContents(n: unknown): void; getBoundingClientRect(): { height: number } };
      };
    };
    const range = page.document.createRange();
    range.selectNodeContents(el);
    return range.getBoundingClientRect().height / parseFloat(page.getComputedStyle(el).lineHeight);
  });
}

test('at 1024 px the fleet review keeps every note to a few lines', async ({ app }) => {
  const { page } = app;
  for (const [name, instance] of [
    [AWAKE, instances[0]!],
    [ASLEEP, instances[1]!],
  ] as const) {
    await addInstance(page, {
      name,
      url: instance.url,
      username: instance.sim.users.admin.userName,
      password: instance.sim.users.admin.password,
    });
  }
  instances[1]!.sim.faults.add({ kind: 'hibernate' });

  await openScreen(page, 'Fleet');
  for (const name of [AWAKE, ASLEEP]) await page.getByRole('checkbox', { name, exact: true }).check();
  await page.getByRole('button', { name: 'Plan all (2)' }).click();
  const review = page.getByRole('table', { name: 'Plan per instance' });
  await expect(review).toBeVisible({ timeout: 20_000 });
  await expect(review.getByRole('row')).toHaveCount(3);
  await expect(review).toContainText('Not discovered yet and not answering');

  // A one-sentence note stays on two lines; the sleeping instance's badge line and two sentences on six.
  // With four 96 px count columns the first took five lines and the second more than a dozen.
  const notes = (name: string) =>
    review
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name }) })
      .locator('td:last-child');
  for (const [name, maxLines] of [
    [AWAKE, 2],
    [ASLEEP, 6],
  ] as const) {
    const cell = notes(name);
    expect(await linesTall(cell), (await cell.textContent())!).toBeLessThanOrEqual(maxLines + 0.1);
  }
  // The narrower count columns still hold their headers on one line.
  for (const header of await review.getByRole('columnheader').all())
    expect(await linesTall(header), (await header.textContent())!).toBeLessThanOrEqual(1.1);
});
