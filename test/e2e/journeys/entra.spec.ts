// Journey e (issue 10): a consultant enters the customer's Microsoft Entra app above the two forms, checks
// it — the secret they have was rotated in Entra, so the check says the secret is wrong, under the secret
// field; with the new secret it passes — reviews both Application Registries field by field (the secret
// only as "set"), applies, and sees the registry steps, the token status of both credentials and whether
// the two Walk-up flows are active, with a link to each. The check asks the customer simulator's stand-in
// for Entra ID, set as the Entra authority on the Workspace screen as a consultant would.
import { randomBytes } from 'node:crypto';
import { flowId, spokeIds } from '../../../src/main/simulator';
import { secretMatches } from '../../../src/main/simulator/auth/secrets';
import { OAUTH_REGISTRIES, WALKUP_FLOWS } from '../../../src/shared/servicenow/spoke';
import { expect, test } from '../harness/fixture';
import {
  WINDOW,
  addAndDiscover,
  applyAndConfirm,
  openScreen,
  reviewPlan,
  screenshot,
  startCustomerInstance,
  typeInto,
  type CustomerInstance,
} from './ui';

test.use({ viewport: WINDOW });

const J = 'entra';
const CUSTOMER = 'Contoso (production)';

let instance: CustomerInstance;
test.beforeEach(async () => {
  instance = await startCustomerInstance('fresh');
});
test.afterEach(async () => {
  await instance.close();
});

test('enter the Entra app, check it (wrong secret, then right), review, apply, tokens and flows', async ({
  app,
}) => {
  test.setTimeout(120_000);
  const { page } = app;
  const { sim } = instance;
  const entraApp = sim.entraApp;

  // --- This computer reaches Entra through the customer simulator's stand-in (an http loopback authority).
  await openScreen(page, 'Workspace');
  const authority = page.getByLabel('Where “Check Entra app” asks for a token');
  await expect(authority).toHaveValue('https://login.microsoftonline.com');
  await typeInto(authority, 'http://example.com/entra');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Entra authority' })).toContainText('https');
  await typeInto(authority, entraApp.authority);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

  await openScreen(page, 'Instances');
  await addAndDiscover(page, instance, CUSTOMER);
  const card = page.getByRole('region', { name: 'Microsoft Entra app' });
  await expect(card).toBeVisible();

  // --- Live validation: a tenant that is neither a GUID nor an onmicrosoft.com domain, a short client ID.
  const tenant = card.getByLabel('Directory (tenant) ID');
  const clientId = card.getByLabel('Application (client) ID');
  const secret = card.getByLabel('Client secret', { exact: true });
  await typeInto(tenant, 'contoso.com');
  await typeInto(clientId, '1234');
  await expect(tenant).toHaveAttribute('aria-invalid', 'true');
  await expect(card).toContainText('Tenant ID must be the Directory (tenant) ID');
  await expect(card).toContainText('Client ID must be the Application (client) ID');

  // --- The values from the app's Overview page; the derived URLs follow at once.
  await typeInto(tenant, entraApp.tenantDomain);
  await typeInto(clientId, entraApp.clientId);
  await expect(tenant).toHaveAttribute('aria-invalid', 'false');
  await expect(card).toContainText(
    `https://login.microsoftonline.com/${entraApp.tenantDomain}/oauth2/v2.0/token`,
  );
  await expect(card).toContainText(`${instance.url}/oauth_redirect.do`);

  // --- The secret the consultant was given; meanwhile the customer's admin rotated it in Entra.
  await expect(secret).toHaveAttribute('type', 'password');
  await secret.fill(entraApp.clientSecret);
  await secret.press('Enter');
  await expect(card.getByText('Secret stored', { exact: true })).toBeVisible();
  await expect(secret).toHaveValue('');
  const rotated = `Rotated~${randomBytes(9).toString('base64url')}`;
  sim.configureEntra({ clientSecret: rotated });

  await card.getByRole('button', { name: 'Check Entra app' }).click();
  const secretIssues = page.locator('#entra-clientSecret-issues');
  await expect(secretIssues).toContainText('Client secret: Entra refused it.', { timeout: 15_000 });
  await expect(secretIssues).toContainText('trace ID');
  await expect(card.getByRole('alert')).toContainText('see the message under Client secret');
  await expect(secret).toHaveAttribute('aria-invalid', 'true');

  // --- The new secret: stored, checked, passes with the permission the spoke needs.
  await secret.fill(rotated);
  await card.getByRole('button', { name: 'Check Entra app' }).click();
  await expect(card.getByRole('status').filter({ hasText: 'Entra app checked.' })).toContainText(
    'Calendars.ReadWrite',
    { timeout: 15_000 },
  );
  await expect(secretIssues).toHaveCount(0);
  await expect(secret).toHaveValue('');
  await screenshot(page, J, '1-card', card);

  // --- Review: both registries field by field, the secret only as "set", the check's verdict.
  await reviewPlan(page);
  const registries = page.getByRole('region', { name: 'Microsoft Entra app → Application Registries' });
  await expect(registries.getByRole('status')).toContainText('Entra check: passed');
  for (const grant of ['authorization_code', 'client_credentials'] as const) {
    const name = OAUTH_REGISTRIES[grant].entityName;
    const registry = registries.getByRole('article', { name: new RegExp(`${name}$`) });
    await expect(registry).toContainText('Changed');
    await expect(registry.getByRole('definition').filter({ hasText: entraApp.clientId })).toHaveCount(1);
    await expect(registry).toContainText(
      `https://login.microsoftonline.com/${entraApp.tenantDomain}/oauth2/v2.0/token`,
    );
    await expect(registry).toContainText(/Client secret\s*set/);
  }
  const authCode = registries.getByRole('article', { name: /Microsoft Exchange Online$/ });
  await expect(authCode).toContainText(`${instance.url}/oauth_redirect.do`);
  await expect(page.getByText('6 records will be written to')).toBeVisible();
  await screenshot(page, J, '2-review', registries);

  // --- Apply: the registry steps, written and verified; the secret stored usable, never in clear.
  await applyAndConfirm(page);
  await expect(page.getByRole('status').filter({ hasText: 'Applied and verified.' })).toBeVisible();
  const steps = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Outcome' }) });
  for (const grant of ['authorization_code', 'client_credentials'] as const) {
    const name = OAUTH_REGISTRIES[grant].entityName;
    await expect(
      steps.getByRole('row', { name: new RegExp(`^Application Registry ${name} `) }),
    ).toContainText('Written');
    const row = sim.db.get('oauth_entity', spokeIds.entity(grant));
    expect(row?.client_id).toBe(entraApp.clientId);
    expect(secretMatches(row?.client_secret, rotated)).toBe(true);
  }

  // --- Token status of both credentials, as for any apply.
  await page.getByRole('button', { name: 'Check token status' }).click();
  const tokens = page.getByRole('table', { name: 'Token status' });
  await expect(tokens.getByRole('row')).toHaveCount(3);
  await expect(tokens).toContainText('No token yet');

  // --- The Walk-up flows: both inactive, each with a link to open it; one activated, checked again.
  const flows = page.getByRole('table', { name: 'Walk-up flows' });
  for (const name of WALKUP_FLOWS) await expect(flows.getByRole('row', { name })).toContainText('Inactive');
  await flows.getByRole('button', { name: `Open ${WALKUP_FLOWS[0]} in ServiceNow` }).click();
  await expect
    .poll(() => app.main.recorder.openedExternally)
    .toContain(`${instance.url}/sys_hub_flow.do?sys_id=${flowId(WALKUP_FLOWS[0])}`);
  sim.db.update('sys_hub_flow', flowId(WALKUP_FLOWS[0]), { active: 'true' });
  await page.getByRole('button', { name: 'Check the flows again' }).click();
  await expect(flows.getByRole('row', { name: WALKUP_FLOWS[0] })).toContainText('Active', {
    timeout: 15_000,
  });
  await expect(flows.getByRole('row', { name: WALKUP_FLOWS[1] })).toContainText('Inactive');
  await screenshot(page, J, '3-flows', page.getByRole('heading', { name: 'Walk-up flows' }));
});
