// Journey d: many instances at once. A consultant adds three customer instances (one a developer instance
// that has gone to sleep since it was last discovered), plans all three on one review, applies all: two are
// provisioned, the sleeping one is queued (not failed) and the header says so. Once it wakes, the queue
// applies it by itself. Later someone switches a connection off by hand, and Drift names the field.
import { ALIASES } from '../../../src/shared/servicenow/spoke';
import type { Simulator } from '../../../src/main/simulator';
import { expect, test } from '../harness/fixture';
import {
  WINDOW,
  addInstance,
  discover,
  networkIndicator,
  openConnections,
  openScreen,
  rowsNamed,
  screenshot,
  startLoopbackInstance,
  type CustomerInstance,
} from './ui';

test.use({ viewport: WINDOW });

const J = 'fleet';
const ACME = 'Acme (production)';
const GLOBEX = 'Globex (production)';
const INITECH = 'Initech (developer)';
const NAMES = [ACME, GLOBEX, INITECH] as const;
const CONNECTIONS = [ALIASES.main.defaultConnectionName, ALIASES.clientCred.defaultConnectionName];
const CREDENTIALS = [ALIASES.main.defaultCredentialName, ALIASES.clientCred.defaultCredentialName];
/**
 * The app's queue probes with its default backoff (~5 s, doubling, ±20 %): no test option reaches the
 * built main and the window offers no "Try now", so the woken instance is awaited this long at most
 * (enough for the third probe in the worst case).
 */
const QUEUE_WAIT_MS = 50_000;

let instances: Record<(typeof NAMES)[number], CustomerInstance>;
test.beforeEach(async () => {
  const [a, g, i] = await Promise.all(NAMES.map(() => startLoopbackInstance('fresh')));
  instances = { [ACME]: a!, [GLOBEX]: g!, [INITECH]: i! };
});
test.afterEach(async () => {
  await Promise.all(Object.values(instances).map((i) => i.close()));
});

/** Exactly the two credentials and two connections the plan announced, one record per name. */
function expectProvisioned(sim: Simulator): void {
  expect(sim.db.rows('oauth_2_0_credentials')).toHaveLength(2);
  expect(sim.db.rows('http_connection')).toHaveLength(2);
  for (const name of CREDENTIALS) expect(rowsNamed(sim, 'oauth_2_0_credentials', name)).toHaveLength(1);
  for (const name of CONNECTIONS) expect(rowsNamed(sim, 'http_connection', name)).toHaveLength(1);
}

test('plan and apply three instances at once; the hibernating one is queued, applied on waking; drift found', async ({
  app,
}) => {
  test.setTimeout(150_000);
  const { page } = app;
  const initech = instances[INITECH].sim;

  // --- Three instances through the editor. Initech's was discovered while it was awake, then it slept.
  for (const name of NAMES) {
    const { sim, url } = instances[name];
    await addInstance(page, {
      name,
      url,
      username: sim.users.admin.userName,
      password: sim.users.admin.password,
    });
  }
  await openConnections(page, INITECH);
  await discover(page);
  initech.faults.add({ kind: 'hibernate' });

  // --- Fleet: choose the three (not the demo instance), plan them all.
  await openScreen(page, 'Fleet');
  for (const name of NAMES) await page.getByRole('checkbox', { name, exact: true }).check();
  await expect(page.getByRole('checkbox', { name: /^Select all \(3 of \d+ selected\)$/ })).toBeVisible();
  await page.getByRole('button', { name: 'Plan all (3)' }).click();

  const review = page.getByRole('table', { name: 'Plan per instance' });
  await expect(review).toBeVisible({ timeout: 20_000 });
  await expect(review.getByRole('row')).toHaveCount(1 + NAMES.length);
  const planRow = (name: string) =>
    review.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  for (const name of NAMES) {
    // Create, Update, Unchanged, Blocked: four records to create everywhere (Initech from its snapshot).
    const cells = planRow(name).getByRole('cell');
    await expect(cells).toHaveCount(6);
    for (const [i, count] of ['4', '0', '0', '0'].entries()) await expect(cells.nth(i)).toHaveText(count);
    await expect(cells.nth(5)).toContainText('No draft: planned from the documented defaults.');
  }
  await expect(planRow(INITECH)).toContainText('Offline: planned from the last stored snapshot.');
  await expect(planRow(ACME)).not.toContainText('Offline');
  await expect(planRow(GLOBEX)).not.toContainText('Offline');
  for (const name of NAMES) await expect(planRow(name)).not.toContainText('Not ready');
  await expect(page.getByRole('list', { name: 'Totals' })).toContainText('12 to create');
  await expect(page.getByText('3 of 3 instances will be written to')).toBeVisible();
  await screenshot(page, J, '1-review');

  // --- Apply all, confirmed.
  await page.getByRole('button', { name: 'Apply all' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Apply to 3 instances?' });
  await expect(confirm).toContainText(`${ACME}, ${GLOBEX}, ${INITECH}`);
  await confirm.getByRole('button', { name: 'Confirm apply all' }).click();

  const bars = page.getByRole('list', { name: 'Progress per instance' });
  await expect(bars.getByRole('progressbar')).toHaveCount(3);
  const summary = page.getByRole('region', { name: 'Summary' });
  await expect(summary).toBeVisible({ timeout: 30_000 });
  await expect(summary.getByRole('list', { name: 'Totals' })).toHaveText(
    /2\s*succeeded\s*0\s*failed\s*1\s*queued/,
  );
  const results = summary.getByRole('table', { name: 'Result per instance' });
  const result = (name: string) =>
    results.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  await expect(result(ACME)).toContainText('Succeeded');
  await expect(result(GLOBEX)).toContainText('Succeeded');
  await expect(result(INITECH)).toContainText('Queued');
  await expect(result(INITECH)).toContainText('The apply is queued and runs when it answers again.');
  await expect(summary.getByRole('button', { name: /Retry failed/ })).toHaveCount(0);

  // A bar per instance: the two written ones full, the sleeping one queued.
  for (const name of [ACME, GLOBEX]) {
    const bar = bars.getByRole('progressbar', { name });
    await expect(bar).toHaveAttribute('value', '1');
    await expect(bar).toHaveAttribute('aria-valuetext', 'Done');
  }
  await expect(bars.getByRole('progressbar', { name: INITECH })).toHaveAttribute('aria-valuetext', 'Queued');
  await screenshot(page, J, '2-summary', page.getByRole('heading', { name: 'Progress' }));

  // The instances hold exactly what was announced; the sleeping one nothing.
  expectProvisioned(instances[ACME].sim);
  expectProvisioned(instances[GLOBEX].sim);
  expect(initech.db.rows('oauth_2_0_credentials')).toHaveLength(0);
  expect(initech.db.rows('http_connection')).toHaveLength(0);

  // --- The header says an apply waits; its list says for whom and why.
  const indicator = networkIndicator(page);
  await expect(indicator).toContainText('1 apply queued');
  await indicator.click();
  const queue = page.getByRole('region', { name: 'Offline queue' });
  await expect(queue).toBeVisible();
  const waiting = queue.getByRole('listitem', { name: `Apply to ${INITECH}` });
  await expect(waiting).toContainText('Waiting');
  await expect(waiting).toContainText('hibernating');
  await expect(waiting.getByRole('button', { name: `Cancel apply to ${INITECH}` })).toBeVisible();
  await expect(queue.getByRole('listitem', { name: /^Apply to / })).toHaveCount(1);
  await screenshot(page, J, '3-queue');

  // --- Initech wakes: the queue's next probe finds it and runs the apply by itself.
  initech.faults.clear();
  await expect(waiting).toContainText('Done', { timeout: QUEUE_WAIT_MS });
  await expect(indicator).not.toContainText('queued');
  await expect(indicator).toContainText('Online');
  expectProvisioned(initech);
  await screenshot(page, J, '4-queue-done');
  await queue.getByRole('button', { name: 'Close' }).click();
  await expect(queue).toBeHidden();

  // --- Someone switches Acme's connection off by hand; Drift finds it, the others still match.
  const acme = instances[ACME].sim;
  const connection = rowsNamed(acme, 'http_connection', ALIASES.main.defaultConnectionName)[0]!;
  expect(connection.active).toBe('true');
  acme.db.update('http_connection', connection.sys_id!, { active: 'false' });

  await openScreen(page, 'Drift');
  await page.getByRole('button', { name: 'Check all instances' }).click();
  const drifted = page.getByRole('region', { name: ACME });
  await expect(drifted).toBeVisible({ timeout: 20_000 });
  await expect(drifted).toContainText('1 difference');
  const differences = drifted.getByRole('table', { name: `Differences on ${ACME}` });
  await expect(differences.getByRole('row')).toHaveCount(2);
  const changed = differences.getByRole('row').nth(1);
  await expect(changed.getByRole('rowheader')).toContainText(ALIASES.main.defaultConnectionName);
  await expect(changed.getByRole('cell')).toHaveText(['Active', 'true', 'false']);
  for (const other of [GLOBEX, INITECH])
    await expect(page.getByRole('region', { name: other })).toHaveCount(0);
  await expect(page.getByText(/^Still matching: /)).toContainText(`${GLOBEX}, ${INITECH}`);
  await screenshot(page, J, '5-drift');
});
