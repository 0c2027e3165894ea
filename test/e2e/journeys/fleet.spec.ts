// Journey d: many instances at once. A consultant adds four customer instances (two developer instances
// asleep: one that was discovered before it slept, one never discovered), plans all four on one review,
// applies all: two are provisioned, the sleeping ones are queued (not failed) and the header says at once
// that they do not answer. Once they wake, "Try now" applies them and the Fleet screen ends with all four
// succeeded. Later someone switches a connection off by hand, and Drift names the field.
import { ALIASES } from '../../../src/shared/servicenow/spoke';
import type { Simulator } from '../../../src/main/simulator';
import { expect, test } from '../harness/fixture';
import {
  WINDOW,
  addInstance,
  discover,
  linesOf,
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
const UMBRELLA = 'Umbrella (developer)';
const NAMES = [ACME, GLOBEX, INITECH, UMBRELLA] as const;
const ASLEEP = [INITECH, UMBRELLA] as const;
const CONNECTIONS = [ALIASES.main.defaultConnectionName, ALIASES.clientCred.defaultConnectionName];
const CREDENTIALS = [ALIASES.main.defaultCredentialName, ALIASES.clientCred.defaultCredentialName];
/** "Try now" probes at once; a queued apply then writes four records. */
const QUEUE_WAIT_MS = 20_000;

let instances: Record<(typeof NAMES)[number], CustomerInstance>;
test.beforeEach(async () => {
  const [a, g, i, u] = await Promise.all(NAMES.map(() => startLoopbackInstance('fresh')));
  instances = { [ACME]: a!, [GLOBEX]: g!, [INITECH]: i!, [UMBRELLA]: u! };
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

test('plan and apply four instances at once; the hibernating ones are queued, applied on waking; drift found', async ({
  app,
}) => {
  test.setTimeout(150_000);
  const { page } = app;
  const initech = instances[INITECH].sim;
  const umbrella = instances[UMBRELLA].sim;

  // --- Four instances through the editor. Initech's was discovered while it was awake, then it slept;
  // Umbrella slept right after it was added, never discovered.
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
  umbrella.faults.add({ kind: 'hibernate' });

  // --- Fleet: choose the four (not the demo instance), plan them all.
  await openScreen(page, 'Fleet');
  for (const name of NAMES) await page.getByRole('checkbox', { name, exact: true }).check();
  await expect(page.getByRole('checkbox', { name: /^Select all \(4 of \d+ selected\)$/ })).toBeVisible();
  await page.getByRole('button', { name: 'Plan all (4)' }).click();

  const review = page.getByRole('table', { name: 'Plan per instance' });
  await expect(review).toBeVisible({ timeout: 20_000 });
  await expect(review.getByRole('row')).toHaveCount(1 + NAMES.length);
  const planRow = (name: string) =>
    review.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  for (const name of [ACME, GLOBEX, INITECH]) {
    // Create, Update, Unchanged, Blocked: four records to create everywhere (Initech from its snapshot).
    const cells = planRow(name).getByRole('cell');
    await expect(cells).toHaveCount(6);
    for (const [i, count] of ['4', '0', '0', '0'].entries()) await expect(cells.nth(i)).toHaveText(count);
    await expect(cells.nth(5)).toContainText('No draft: planned from the documented defaults.');
  }
  await expect(planRow(INITECH)).toContainText('Offline: planned from the last stored snapshot.');
  await expect(planRow(ACME)).not.toContainText('Offline');
  await expect(planRow(GLOBEX)).not.toContainText('Offline');
  // Umbrella has nothing to plan from yet, but its apply can wait for it.
  await expect(planRow(UMBRELLA)).toContainText('Planned when it answers');
  await expect(planRow(UMBRELLA)).toContainText('Will be queued');
  await expect(planRow(UMBRELLA)).toContainText(
    'Not discovered yet and not answering: the apply will be queued and planned when it answers.',
  );
  for (const name of NAMES) await expect(planRow(name)).not.toContainText('Not ready');
  await expect(page.getByRole('list', { name: 'Totals' })).toContainText('12 to create');
  await expect(page.getByText('4 of 4 instances will be written to')).toBeVisible();
  await screenshot(page, J, '1-review');

  // --- Apply all, confirmed.
  await page.getByRole('button', { name: 'Apply to 4 instances' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Apply to 4 instances?' });
  await expect(confirm).toContainText(`${ACME}, ${GLOBEX}, ${INITECH}, ${UMBRELLA}`);
  await confirm.getByRole('button', { name: 'Confirm apply' }).click();

  const bars = page.getByRole('list', { name: 'Progress per instance' });
  await expect(bars.getByRole('progressbar')).toHaveCount(4);
  const summary = page.getByRole('region', { name: 'Summary' });
  await expect(summary).toBeVisible({ timeout: 30_000 });
  await expect(summary.getByRole('list', { name: 'Totals' })).toHaveText(
    /2\s*succeeded\s*0\s*failed\s*2\s*queued/,
  );
  const results = summary.getByRole('table', { name: 'Result per instance' });
  const result = (name: string) =>
    results.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  await expect(result(ACME)).toContainText('Succeeded');
  await expect(result(GLOBEX)).toContainText('Succeeded');
  for (const name of ASLEEP) {
    await expect(result(name)).toContainText('Queued');
    await expect(result(name)).toContainText(
      `${name} is hibernating: the apply is queued and runs when it answers.`,
    );
  }
  await expect(summary.getByRole('button', { name: /Retry failed/ })).toHaveCount(0);

  // A bar per instance: the two written ones full, the sleeping ones queued.
  for (const name of [ACME, GLOBEX]) {
    const bar = bars.getByRole('progressbar', { name });
    await expect(bar).toHaveAttribute('value', '1');
    await expect(bar).toHaveAttribute('aria-valuetext', 'Done');
  }
  for (const name of ASLEEP)
    await expect(bars.getByRole('progressbar', { name })).toHaveAttribute('aria-valuetext', 'Queued');
  await screenshot(page, J, '2-summary', page.getByRole('heading', { name: 'Progress' }));

  // The instances hold exactly what was announced; the sleeping one nothing.
  expectProvisioned(instances[ACME].sim);
  expectProvisioned(instances[GLOBEX].sim);
  for (const sim of [initech, umbrella]) {
    expect(sim.db.rows('oauth_2_0_credentials')).toHaveLength(0);
    expect(sim.db.rows('http_connection')).toHaveLength(0);
  }

  // --- The header says at once who does not answer and what waits; its list says for whom and why.
  const indicator = networkIndicator(page);
  await expect(indicator).toContainText('2 instances unreachable · 2 applies queued');
  await indicator.click();
  const queue = page.getByRole('region', { name: 'Offline queue' });
  await expect(queue).toBeVisible();
  await expect(queue.getByRole('list', { name: 'Unreachable instances' })).toContainText(INITECH);
  const waiting = (name: string) => queue.getByRole('listitem', { name: `Apply to ${name}` });
  for (const name of ASLEEP) {
    await expect(waiting(name)).toContainText('Waiting');
    await expect(waiting(name)).toContainText('hibernating');
    await expect(waiting(name).getByRole('button', { name: `Cancel apply to ${name}` })).toBeVisible();
  }
  await expect(queue.getByRole('listitem', { name: /^Apply to / })).toHaveCount(2);
  await screenshot(page, J, '3-queue');

  // --- Still asleep, "Try now" leaves them waiting; once they wake it applies both (Umbrella discovers first).
  const tryNow = queue.getByRole('button', { name: 'Try now' });
  await tryNow.click();
  for (const name of ASLEEP) {
    await expect(waiting(name)).toContainText('1 try', { timeout: QUEUE_WAIT_MS });
    await expect(waiting(name)).toContainText('Waiting');
  }
  await expect(indicator).toContainText('2 instances unreachable');
  initech.faults.clear();
  umbrella.faults.clear();
  await tryNow.click();
  for (const name of ASLEEP) {
    await expect(waiting(name)).toContainText('Done', { timeout: QUEUE_WAIT_MS });
    await expect(waiting(name)).toContainText('Applied at');
    // How it ended, no longer why it waited.
    await expect(waiting(name)).not.toContainText('hibernating');
    await expect(waiting(name).getByRole('button')).toHaveCount(0);
  }
  await expect(queue.getByRole('button', { name: 'Try now' })).toHaveCount(0);
  await expect(indicator).not.toContainText('queued');
  await expect(indicator).toContainText('Online');
  expectProvisioned(initech);
  expectProvisioned(umbrella);
  await screenshot(page, J, '4-queue-done');
  await queue.getByRole('button', { name: 'Close' }).click();
  await expect(queue).toBeHidden();

  // --- The Fleet screen followed the queued applies: all four succeeded, every bar full.
  await expect(summary.getByRole('list', { name: 'Totals' })).toHaveText(
    /4\s*succeeded\s*0\s*failed\s*0\s*queued/,
  );
  for (const name of ASLEEP) {
    await expect(result(name)).toContainText('Succeeded');
    const bar = bars.getByRole('progressbar', { name });
    await expect(bar).toHaveAttribute('value', '1');
    await expect(bar).toHaveAttribute('aria-valuetext', /^Done/);
  }
  await screenshot(page, J, '4b-summary-after-queue', page.getByRole('heading', { name: 'Progress' }));

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
  // The record's name is shown whole, on one line, not broken mid-word.
  expect(await linesOf(changed.getByRole('rowheader'), ALIASES.main.defaultConnectionName)).toBe(1);
  await expect(changed.getByRole('cell')).toHaveText(['Active', 'true', 'false']);
  for (const other of [GLOBEX, INITECH, UMBRELLA])
    await expect(page.getByRole('region', { name: other })).toHaveCount(0);
  await expect(page.getByText(/^Still matching: /)).toContainText(`${GLOBEX}, ${INITECH}, ${UMBRELLA}`);
  await screenshot(page, J, '5-drift');
});
