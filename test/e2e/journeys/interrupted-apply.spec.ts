// Journey c: an apply that fails mid-way. A storm of 429s hits the writes (the engine waits, proves by
// re-reading that nothing landed, and sends again), then the instance refuses a later write with a 403.
// The Apply screen must say in plain words what failed, what was written and what was not; once the
// faults are gone, Resume finishes the job (verified, exactly one record per name), or Roll back undoes it.
import { ALIASES } from '../../../src/shared/servicenow/spoke';
import { expect, test, type HarnessApp } from '../harness/fixture';
import {
  WINDOW,
  addAndDiscover,
  applyAndConfirm,
  linesOf,
  openScreen,
  reviewPlan,
  rowsNamed,
  screenshot,
  startCustomerInstance,
  type CustomerInstance,
} from './ui';

test.use({ viewport: WINDOW });

const J = 'interrupted-apply';
const REFUSAL = 'Operation against file http_connection was aborted by Business Rule "Change freeze"';
const CONNECTION_POST = { method: 'POST', table: 'http_connection' };
const CREDENTIAL_POST = { method: 'POST', table: 'oauth_2_0_credentials' };

let instance: CustomerInstance;
test.beforeEach(async () => {
  instance = await startCustomerInstance('fresh');
});
test.afterEach(async () => {
  await instance.close();
});

/** Add, discover, review, then apply into the storm and the refusal; checks the failure screen. */
async function applyIntoTheStorm(app: HarnessApp, name: string): Promise<void> {
  const { page } = app;
  const { sim } = instance;
  await addAndDiscover(page, instance, name);
  await reviewPlan(page);
  await expect(page.getByRole('list', { name: 'Plan summary' })).toContainText('4 to create');

  // The storm: two 429s on the first credential write and two on the first connection write; then the
  // second connection write is refused by a business rule (the first connection write goes through).
  sim.clearLog();
  sim.faults.add({ kind: 'rate_limit', retryAfterSeconds: 0, match: CREDENTIAL_POST, times: 2 });
  sim.faults.add({ kind: 'rate_limit', retryAfterSeconds: 0, match: CONNECTION_POST, times: 2 });
  sim.faults.add({ kind: 'forbidden', message: REFUSAL, match: CONNECTION_POST, skip: 1 });

  await applyAndConfirm(page);
  const failure = page.getByRole('alert').filter({ hasText: 'steps were written' });
  await expect(failure).toBeVisible();
  await expect(failure).toContainText(`The instance said: ${REFUSAL}`);
  await expect(failure).toContainText('3 of 4 steps were written; the others were not.');
  const steps = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Outcome' }) });
  const outcome = (record: string) => steps.getByRole('row', { name: new RegExp(`${record}\\b`) });
  await expect(outcome(`Credential ${ALIASES.main.defaultCredentialName}`)).toContainText('Written');
  await expect(outcome(`Credential ${ALIASES.clientCred.defaultCredentialName}`)).toContainText('Written');
  await expect(outcome(`Connection ${ALIASES.main.defaultConnectionName}`)).toContainText('Written');
  await expect(outcome(`Connection ${ALIASES.clientCred.defaultConnectionName}`)).toContainText('Failed');
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Roll back' })).toBeVisible();

  // The storm really happened (four 429s, each answered by waiting, re-reading and sending again) and
  // the screen tells the truth about the instance: three records written, the refused one absent.
  // The writes go as Batch API requests: a 429 answers a whole batch, the business rule's 403 one item.
  expect(sim.log.filter((e) => e.status === 429 && e.method === 'POST')).toHaveLength(4);
  const sent = sim.log.flatMap((e): { method: string; status: number }[] => e.items ?? [e]);
  expect(sent.filter((i) => i.status === 403 && i.method === 'POST')).toHaveLength(1);
  expect(rowsNamed(sim, 'http_connection', ALIASES.main.defaultConnectionName)).toHaveLength(1);
  expect(rowsNamed(sim, 'http_connection', ALIASES.clientCred.defaultConnectionName)).toHaveLength(0);
  sim.faults.clear();
}

test('a 429 storm then a 403 stops the apply and says what failed, what was and was not written', async ({
  app,
}) => {
  test.setTimeout(60_000);
  await applyIntoTheStorm(app, 'Initech');
  await screenshot(app.page, J, '1-failed');
  await screenshot(
    app.page,
    J,
    '2-failed-steps',
    app.page.getByRole('heading', { name: 'What was written' }),
  );
});

/** Waits until main has answered the renderer on this channel (so a wrong outcome fails fast). */
async function answered(app: HarnessApp, channel: string): Promise<void> {
  await expect.poll(() => app.exchanges.some((e) => e.channel === channel), { timeout: 20_000 }).toBe(true);
}

test('after the 403 is lifted, Resume finishes the failed apply: verified, one record per name', async ({
  app,
}) => {
  test.setTimeout(60_000);
  const { page } = app;
  const { sim } = instance;
  await applyIntoTheStorm(app, 'Initech');

  await page.getByRole('button', { name: 'Resume' }).click();
  await answered(app, 'app:apply:resume');
  await expect(page.getByRole('status').filter({ hasText: 'Applied and verified.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Resume' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Steps', exact: true })).toContainText(
    'Applied and verified',
  );
  await screenshot(page, J, '3-resumed');

  for (const key of ['main', 'clientCred'] as const) {
    expect(rowsNamed(sim, 'oauth_2_0_credentials', ALIASES[key].defaultCredentialName)).toHaveLength(1);
    expect(rowsNamed(sim, 'http_connection', ALIASES[key].defaultConnectionName)).toHaveLength(1);
  }
  expect(sim.db.rows('http_connection')).toHaveLength(2);
  expect(sim.db.rows('oauth_2_0_credentials')).toHaveLength(2);
});

test('Roll back after the failure deletes the three records the apply wrote', async ({ app }) => {
  test.setTimeout(60_000);
  const { page } = app;
  const { sim } = instance;
  await applyIntoTheStorm(app, 'Initech');

  await page.getByRole('button', { name: 'Roll back' }).click();
  const rollback = page.getByRole('region', { name: 'Rollback plan' });
  await expect(rollback.getByRole('article')).toHaveCount(3);
  await expect(rollback.getByRole('article').filter({ hasText: 'Delete' })).toHaveCount(3, {
    timeout: 2_000,
  });
  await screenshot(page, J, '4-rollback-plan', rollback);
  await rollback.getByRole('button', { name: 'Confirm roll back' }).click();
  await answered(app, 'app:rollback:run');
  await expect(page.getByRole('status').filter({ hasText: /^Rolled back/ })).toBeVisible();
  expect(sim.db.rows('http_connection')).toHaveLength(0);
  expect(sim.db.rows('oauth_2_0_credentials')).toHaveLength(0);

  // History counts the rollback's three deletions (issue 12), and at the narrow window each start time and
  // heading stays on one line (the fixed table layout broke "12/6/2026, 7:18:27 PM" over three).
  await page.setViewportSize({ width: 1024, height: 700 });
  await openScreen(page, 'History');
  const history = page.getByRole('table', { name: 'Applies to Initech' });
  const headers = await history.getByRole('columnheader').allTextContents();
  const rollbackRow = history.getByRole('row').filter({ hasText: 'Rollback' });
  const cell = (column: string) => rollbackRow.getByRole('cell').nth(headers.indexOf(column));
  await expect(cell('Deleted')).toHaveText('3');
  await expect(cell('Created')).toHaveText('0');
  const startTimes = await history.getByRole('row').locator('td:first-child').all();
  for (const cell of [...startTimes, ...(await history.getByRole('columnheader').all())]) {
    const text = (await cell.textContent())!.trim();
    if (text) expect(await linesOf(cell, text), text).toBe(1);
  }
});
