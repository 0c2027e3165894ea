// Journey a: a consultant adds a customer instance in the editor, tests the connection, discovers, fills
// both forms wrongly (and sees each field say why), then rightly, reviews the before/after, applies, and
// gets the verified after state, the record links and the Get OAuth Token next steps. The simulator's db
// must then hold exactly the four records the plan announced.
import { expect, test } from '../harness/fixture';
import { spokeIds } from '../../../src/main/simulator';
import { ALIASES, GRAPH_URL, type GrantType } from '../../../src/shared/servicenow/spoke';
import {
  WINDOW,
  addInstance,
  applyAndConfirm,
  discover,
  instanceCard,
  openConnections,
  reviewPlan,
  rowsNamed,
  screenshot,
  startCustomerInstance,
  table,
  TABLE_1,
  TABLE_2,
  testConnection,
  typeInto,
  type CustomerInstance,
} from './ui';

test.use({ viewport: WINDOW });

const J = 'new-instance';
const CUSTOMER = 'Acme Corp (production)';
const MAIN_NAME = 'Acme_Exchange_Online_Connection';
const CLIENT_NAME = 'Acme_Exchange_Online_Connection_clientCred';

let instance: CustomerInstance;
test.beforeEach(async () => {
  instance = await startCustomerInstance('fresh');
});
test.afterEach(async () => {
  await instance.close();
});

test('add an instance, discover, fix both forms, review, apply, see the verified result', async ({ app }) => {
  test.setTimeout(90_000);
  const { page } = app;
  const { sim } = instance;
  await expect(page.getByRole('heading', { level: 2, name: 'Instances' })).toBeVisible();

  // --- Add the customer's instance with the simulator's real credentials, then test the connection.
  await addInstance(page, {
    name: CUSTOMER,
    url: instance.url,
    username: sim.users.admin.userName,
    password: sim.users.admin.password,
  });
  const tested = await testConnection(page, CUSTOMER);
  // Who it connected as, said once (issue 12: "Connected as admin. Signed in as admin (admin).").
  await expect(tested).toContainText(`Connected as ${sim.users.admin.userName}. Roles: `);
  await expect(tested).not.toContainText('Signed in as');
  await screenshot(page, J, '1-instances');

  // --- Discover on the Connections screen.
  await openConnections(page, CUSTOMER);
  await expect(page.getByText('Last discovered: never')).toBeVisible();
  await discover(page);

  const t1 = table(page, TABLE_1);
  const t2 = table(page, TABLE_2);
  await expect(t1.getByLabel('Connection alias')).toHaveValue(ALIASES.main.name);
  await expect(t2.getByLabel('Connection alias')).toHaveValue(ALIASES.clientCred.name);

  // --- Invalid input: a field says nothing until it is touched, then says why as you type.
  const name1 = t1.getByLabel('Name', { exact: true });
  await expect(name1).not.toHaveAttribute('aria-invalid', 'true');
  await expect(name1).not.toHaveAccessibleDescription(/Error/);
  await name1.fill('Acme/Exchange*Online');
  await expect(name1).toHaveAttribute('aria-invalid', 'true');
  await expect(name1).toHaveAccessibleDescription(
    /Name may contain only letters, digits, spaces and _ - \. \( \)\./,
  );

  const url1 = t1.getByLabel('Connection URL');
  await typeInto(url1, 'http://graph.microsoft.com');
  await expect(url1).toHaveAccessibleDescription(/Connection URL must use https/);

  const builder1 = t1.getByLabel('URL builder');
  await builder1.check();
  await expect(builder1).toHaveAccessibleDescription(/URL builder must stay unchecked/);

  // Use MID server: the form proposes "Auto select"; choosing a specific MID Server and naming none is
  // the incomplete MID configuration a consultant can actually leave behind.
  const mid2 = t2.getByLabel('Use MID server');
  await mid2.check();
  await expect(t2.getByRole('group', { name: 'Advanced MID Server Configuration' })).toBeVisible();
  await t2.getByLabel('MID selection').selectOption({ label: 'Specific MID Server' });
  const midServer2 = t2.getByLabel('MID Server', { exact: true });
  await typeInto(midServer2, '');
  await expect(midServer2).toHaveAccessibleDescription(/Choose the MID Server to use\./);

  // Review refuses while problems remain, and says how many.
  await page.getByRole('button', { name: 'Review plan' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /^Fix 4 problems marked above\.$/ })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Connections' })).toBeVisible();
  await expect(page.locator('[aria-invalid="true"]')).toHaveCount(4);
  await screenshot(page, J, '2-forms-invalid');

  // The same forms in the dark theme (the toggle cycles System → Light → Dark), then back to System.
  const theme = page.getByRole('button', { name: /^Theme: / });
  await theme.click();
  await theme.click();
  await expect(theme).toHaveAccessibleName('Theme: Dark. Change theme');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, J, '2-forms-invalid-dark');
  await theme.click();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);

  // --- Valid input.
  await typeInto(name1, MAIN_NAME);
  await typeInto(url1, GRAPH_URL);
  await builder1.uncheck();
  await mid2.uncheck();
  await typeInto(t2.getByLabel('Name', { exact: true }), CLIENT_NAME);
  await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await screenshot(page, J, '3-forms-valid');

  // --- Review: four new records, field by field, Table 1 beside Table 2.
  await reviewPlan(page);
  const summary = page.getByRole('list', { name: 'Plan summary' });
  await expect(summary).toContainText('4 to create');
  await expect(summary).toContainText('0 to update');
  for (const [column, connection, credential] of [
    [TABLE_1, MAIN_NAME, ALIASES.main.defaultCredentialName],
    [TABLE_2, CLIENT_NAME, ALIASES.clientCred.defaultCredentialName],
  ] as const) {
    const col = table(page, column);
    await expect(col.getByRole('article', { name: `Connection ${connection}` })).toContainText('New');
    await expect(col.getByRole('article', { name: `Credential ${credential}` })).toContainText('New');
  }
  await expect(page.getByText('4 records will be written to Acme Corp (production).')).toBeVisible();
  // The review is longer than the window, yet Apply is in reach without scrolling to the end.
  const scrollable = await page.locator('main').evaluate((el) => el.scrollHeight > el.clientHeight + 100);
  expect(scrollable).toBe(true);
  await expect(page.getByRole('button', { name: 'Apply', exact: true })).toBeInViewport();
  await screenshot(page, J, '4-review');

  const before = {
    connections: sim.db.rows('http_connection').length,
    credentials: sim.db.rows('oauth_2_0_credentials').length,
  };

  // --- Apply (confirmed): the verified after state, the record links, the next steps.
  await applyAndConfirm(page);
  await expect(page.getByRole('status').filter({ hasText: 'Applied and verified.' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Verified after state' })).toBeVisible();
  // Progress sent before main answered has arrived: the steps end with the verified outcome.
  await expect(page.getByRole('region', { name: 'Steps', exact: true })).toContainText(
    'Applied and verified (4 records)',
  );
  const records = page.locator('section[aria-labelledby="after-title"] article');
  await expect(records).toHaveCount(4);
  await expect(records.filter({ hasText: 'Verified' })).toHaveCount(4);
  for (const name of [MAIN_NAME, CLIENT_NAME]) {
    await expect(page.getByRole('button', { name: `Open ${name} in ServiceNow` })).toBeVisible();
  }
  await expect(page.getByRole('heading', { name: 'Next steps: get the OAuth tokens' })).toBeVisible();
  for (const key of ['main', 'clientCred'] as const) {
    const credential = ALIASES[key].defaultCredentialName;
    await expect(
      page.getByRole('button', { name: `Get OAuth Token for ${credential}`, exact: true }),
    ).toBeVisible();
  }
  await screenshot(page, J, '5-applied');
  await screenshot(page, J, '6-after-state', page.getByRole('heading', { name: 'Verified after state' }));
  await screenshot(
    page,
    J,
    '7-next-steps',
    page.getByRole('heading', { name: 'Next steps: get the OAuth tokens' }),
  );

  // The record link opens the record's form on the instance, in the system browser.
  await page.getByRole('button', { name: `Open ${MAIN_NAME} in ServiceNow` }).click();
  const [connection] = rowsNamed(sim, 'http_connection', MAIN_NAME);
  await expect
    .poll(() => app.main.recorder.openedExternally)
    .toContain(`${instance.url}/http_connection.do?sys_id=${connection?.sys_id}`);

  // Back on Instances, the customer's instance says it is provisioned.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Instances' }).click();
  await expect(instanceCard(page, CUSTOMER)).toContainText('Provisioned');
  await expect(instanceCard(page, CUSTOMER)).toContainText('Discovered just now');
  await screenshot(page, J, '8-instances-provisioned');

  // --- The instance holds exactly what the plan announced: two new credentials, two new connections.
  expect(sim.db.rows('http_connection').length).toBe(before.connections + 2);
  expect(sim.db.rows('oauth_2_0_credentials').length).toBe(before.credentials + 2);
  for (const key of ['main', 'clientCred'] as const) {
    const connectionName = key === 'main' ? MAIN_NAME : CLIENT_NAME;
    const credentials = rowsNamed(sim, 'oauth_2_0_credentials', ALIASES[key].defaultCredentialName);
    expect(credentials).toHaveLength(1);
    const connections = rowsNamed(sim, 'http_connection', connectionName);
    expect(connections).toHaveLength(1);
    expect(connections[0]).toMatchObject({
      active: 'true',
      connection_alias: spokeIds.alias(key),
      connection_url: GRAPH_URL,
      credential: credentials[0]!.sys_id,
      use_mid: 'false',
    });
    expect(credentials[0]!.oauth_entity_profile).toBe(
      spokeIds.profile(ALIASES[key].defaultGrant as GrantType),
    );
  }
});
