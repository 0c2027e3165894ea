// Journey b: an instance where Workplace Calendar Synchronization pre-seeded "MS Graph 1"/"MS Graph 2".
// The aliases allow one active connection each, so the review must show both adopted and updated (not a
// second connection added), and after the apply the instance still has exactly one active connection per
// alias: the same records, renamed.
import { spokeIds } from '../../../src/main/simulator';
import { ALIASES, WCS_PRESEEDED } from '../../../src/shared/servicenow/spoke';
import { expect, test } from '../harness/fixture';
import {
  WINDOW,
  activeConnectionsOn,
  addAndDiscover,
  applyAndConfirm,
  reviewPlan,
  rowsNamed,
  screenshot,
  startCustomerInstance,
  table,
  TABLE_1,
  TABLE_2,
  type CustomerInstance,
} from './ui';

test.use({ viewport: WINDOW });

const J = 'wcs';

let instance: CustomerInstance;
test.beforeEach(async () => {
  instance = await startCustomerInstance('wcs');
});
test.afterEach(async () => {
  await instance.close();
});

test('the pre-seeded MS Graph 1/2 are adopted and updated, never doubled', async ({ app }) => {
  test.setTimeout(60_000);
  const { page } = app;
  const { sim } = instance;
  const preseeded = {
    main: rowsNamed(sim, 'http_connection', WCS_PRESEEDED.main)[0]!,
    clientCred: rowsNamed(sim, 'http_connection', WCS_PRESEEDED.clientCred)[0]!,
  };
  expect(preseeded.main.sys_id).toBeTruthy();
  expect(preseeded.clientCred.sys_id).toBeTruthy();

  await addAndDiscover(page, instance, 'Globex (WCS)');
  await screenshot(page, J, '1-forms');

  // The documented defaults, as they are: the plan takes the pre-seeded connections over.
  await reviewPlan(page);
  const summary = page.getByRole('list', { name: 'Plan summary' });
  await expect(summary).toContainText('2 to update');
  for (const [column, key] of [
    [TABLE_1, 'main'],
    [TABLE_2, 'clientCred'],
  ] as const) {
    const col = table(page, column);
    const connection = col.getByRole('article', { name: `Connection ${ALIASES[key].defaultConnectionName}` });
    await expect(connection).toContainText('Changed');
    await expect(connection).toContainText(
      `Adopts the existing connection “${WCS_PRESEEDED[key]}” instead of adding a second active one.`,
    );
    // The adopted record is the column's only connection: none is added beside it.
    await expect(col.getByRole('article', { name: /^Connection / })).toHaveCount(1);
  }
  await screenshot(page, J, '2-review');
  await screenshot(
    page,
    J,
    '3-review-adopted',
    table(page, TABLE_1).getByRole('article', { name: /^Connection / }),
  );

  await applyAndConfirm(page);
  await expect(page.getByRole('status').filter({ hasText: 'Applied and verified.' })).toBeVisible();
  await screenshot(page, J, '4-applied');

  // One active connection per alias, and it is the pre-seeded record, renamed.
  for (const key of ['main', 'clientCred'] as const) {
    const active = activeConnectionsOn(sim, spokeIds.alias(key));
    expect(active).toHaveLength(1);
    expect(active[0]!.sys_id).toBe(preseeded[key].sys_id);
    expect(active[0]!.name).toBe(ALIASES[key].defaultConnectionName);
    expect(rowsNamed(sim, 'http_connection', WCS_PRESEEDED[key])).toHaveLength(0);
  }
  expect(sim.db.rows('http_connection')).toHaveLength(2);
});
