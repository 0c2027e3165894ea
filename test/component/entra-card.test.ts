// The "Microsoft Entra app" card (issue 10): live validation under each field, the write-only secret, the
// derived registry URLs, what goes into the draft and the plan, and the check's verdict under the field it
// names. Only the renderer's `api` module is replaced (main's answers).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api, ok, resetApi } from './fake-api';
import { INSTANCE_URL, draftOf, instances } from './fixtures';
import { AppState } from '../../src/renderer/src/lib/app.svelte';
import ConnectionsScreen from '../../src/renderer/src/screens/ConnectionsScreen.svelte';
import type { EntraCheckView } from '../../src/shared/ipc/contract';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));
// These tests type GUIDs key by key (userEvent): on a busy machine that alone can pass the 5 s default.
vi.setConfig({ testTimeout: 20_000 });

const TENANT = '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e';
const CLIENT = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';
const apps: AppState[] = [];

async function setup() {
  const app = new AppState();
  apps.push(app);
  app.instances = instances();
  await app.select('acme-dev');
  const user = userEvent.setup();
  render(ConnectionsScreen, { app });
  const card = within(screen.getByRole('region', { name: 'Microsoft Entra app' }));
  return {
    app,
    user,
    card,
    tenant: card.getByLabelText('Directory (tenant) ID'),
    clientId: card.getByLabelText('Application (client) ID'),
    secret: card.getByLabelText('Client secret'),
    expiry: card.getByLabelText('Client secret expires (optional)'),
  };
}

function checkView(over: Partial<EntraCheckView> = {}): EntraCheckView {
  return {
    ok: true,
    problem: null,
    field: null,
    message: 'The Entra app works: Microsoft Graph granted Calendars.ReadWrite.',
    roles: ['Calendars.ReadWrite'],
    missingRoles: [],
    authority: 'https://login.microsoftonline.com',
    tenant: TENANT,
    clientId: CLIENT,
    checkedAt: new Date().toISOString(),
    ...over,
  };
}

beforeEach(() => {
  resetApi();
});
afterEach(() => {
  for (const app of apps.splice(0)) app.forms.cancelSave();
});

describe('Entra app card: validation', () => {
  it('says under each field what is wrong once it is left, and nothing for an empty card', async () => {
    const { app, user, card, tenant, clientId, expiry } = await setup();
    // Empty: optional, no Entra app in the desired state, nothing to fix.
    expect(app.forms.inputs).not.toHaveProperty('entra');
    expect(app.forms.validation.errorCount).toBe(0);
    expect(card.getByRole('button', { name: 'Check Entra app' })).toBeDisabled();

    await user.type(tenant, 'contoso.com');
    await user.tab();
    expect(tenant).toHaveAttribute('aria-invalid', 'true');
    expect(tenant).toHaveAccessibleDescription(/Tenant ID must be the Directory \(tenant\) ID, a GUID/);
    // Not yet left: the client ID says nothing yet, though the app now counts it as a problem.
    expect(clientId).toHaveAttribute('aria-invalid', 'false');
    expect(app.forms.validation.errorCount).toBe(2);

    await user.type(clientId, '1234');
    await user.tab();
    expect(clientId).toHaveAccessibleDescription(/Client ID must be the Application \(client\) ID/);

    await user.clear(tenant);
    await user.type(tenant, 'Contoso.OnMicrosoft.com');
    await user.clear(clientId);
    await user.type(clientId, CLIENT);
    expect(tenant).toHaveAttribute('aria-invalid', 'false');
    expect(clientId).toHaveAttribute('aria-invalid', 'false');
    expect(app.forms.validation.errorCount).toBe(0);

    // A date in the past.
    await user.type(expiry, '2020-01-31');
    await user.tab();
    expect(expiry).toHaveAccessibleDescription(/Client secret expiry 2020-01-31 is in the past/);
    expect(app.forms.validation.errorCount).toBe(1);
  });

  it('derives the token, authorization and redirect URLs from the tenant and the instance', async () => {
    const { user, card, tenant } = await setup();
    const derived = within(card.getByRole('group', { name: 'Written to the registries' }));
    expect(derived.getAllByText('Follows from the tenant ID')).toHaveLength(2);
    const text = () => card.getByRole('group', { name: 'Written to the registries' }).textContent ?? '';
    expect(text()).toContain(`${INSTANCE_URL}/oauth_redirect.do`);
    await user.type(tenant, TENANT);
    expect(text()).toContain(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`);
    expect(text()).toContain(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`);
    expect(text()).toContain(`${INSTANCE_URL}/oauth_redirect.do`);
  });
});

describe('Entra app card: the secret and the draft', () => {
  it('sends the secret once, clears it, and shows only that one is stored; the draft never holds it', async () => {
    const { app, user, card, tenant, clientId, secret } = await setup();
    expect(secret).toHaveAttribute('type', 'password');
    expect(card.getByText('None stored')).toBeTruthy();
    await user.type(tenant, TENANT);
    await user.type(clientId, CLIENT);
    await user.type(secret, 'S3cret~value{Enter}');
    await waitFor(() => expect(card.getByText('Secret stored')).toBeTruthy());
    expect(api.entraSecret).toHaveBeenCalledTimes(1);
    expect(api.entraSecret).toHaveBeenCalledWith({ id: 'acme-dev', secret: 'S3cret~value' });
    expect(secret).toHaveValue('');
    // Leaving the field after Enter does not send it again.
    await user.tab();
    expect(api.entraSecret).toHaveBeenCalledTimes(1);

    await app.forms.saveNow();
    const saved = api.draftsSave.mock.calls.at(-1)![0];
    expect(saved.entra).toEqual({ tenant: TENANT, clientId: CLIENT, secretExpires: '' });
    expect(JSON.stringify(api.draftsSave.mock.calls)).not.toContain('S3cret~value');
    // The plan gets the Entra app without the empty expiry.
    expect(app.forms.inputs.entra).toEqual({ tenant: TENANT, clientId: CLIENT });
  });

  it('restores the card from the draft, with the stored-secret state from main', async () => {
    api.draftsGet.mockImplementation(() =>
      ok(draftOf({ entra: { tenant: 'x.com', clientId: CLIENT, secretExpires: '2099-12-31' } })),
    );
    api.entraStatus.mockImplementation(() =>
      ok({
        secretStored: true,
        authority: 'https://login.microsoftonline.com',
        standIn: false,
        demoApp: null,
      }),
    );
    const { app, card, tenant, expiry } = await setup();
    expect(tenant).toHaveValue('x.com');
    expect(expiry).toHaveValue('2099-12-31');
    expect(card.getByText('Secret stored')).toBeTruthy();
    // Restored values are not "touched": no message until the user leaves the field or reviews.
    expect(tenant).toHaveAttribute('aria-invalid', 'false');
    app.forms.submitted = true;
    await waitFor(() => expect(tenant).toHaveAttribute('aria-invalid', 'true'));
  });
});

describe('Entra app card: the check', () => {
  it('puts a refused secret under the secret field, then the success on the card', async () => {
    api.entraStatus.mockImplementation(() =>
      ok({
        secretStored: true,
        authority: 'https://login.microsoftonline.com',
        standIn: false,
        demoApp: null,
      }),
    );
    api.entraCheck.mockImplementationOnce(() =>
      ok(
        checkView({
          ok: false,
          problem: 'invalid_secret',
          field: 'clientSecret',
          message: 'Client secret: Entra refused it. Enter the secret’s Value (not its Secret ID).',
          roles: [],
        }),
      ),
    );
    const { user, card, tenant, clientId, secret } = await setup();
    await user.type(tenant, TENANT);
    await user.type(clientId, CLIENT);
    await user.click(card.getByRole('button', { name: 'Check Entra app' }));
    await waitFor(() => expect(secret).toHaveAttribute('aria-invalid', 'true'));
    expect(secret).toHaveAccessibleDescription(/Client secret: Entra refused it/);
    expect(card.getByRole('alert').textContent).toContain('see the message under Client secret');
    expect(api.entraCheck).toHaveBeenCalledWith({ id: 'acme-dev', tenant: TENANT, clientId: CLIENT });

    // The new secret is stored before the check runs again, and the verdict moves to the card.
    api.entraCheck.mockImplementationOnce(() => ok(checkView()));
    await user.type(secret, 'the-new-one');
    await user.click(card.getByRole('button', { name: 'Check Entra app' }));
    await waitFor(() => expect(card.getByRole('status').textContent).toContain('Entra app checked.'));
    expect(api.entraSecret).toHaveBeenCalledTimes(1);
    expect(api.entraSecret.mock.invocationCallOrder[0]!).toBeLessThan(
      api.entraCheck.mock.invocationCallOrder[1]!,
    );
    expect(secret).toHaveAttribute('aria-invalid', 'false');

    // A verdict is about what was checked: another client ID takes it away.
    await user.type(clientId, '0');
    expect(card.queryByRole('status')).toBeNull();
  });

  it('says what to do in Entra when consent is missing, on the card', async () => {
    api.entraStatus.mockImplementation(() =>
      ok({
        secretStored: true,
        authority: 'https://login.microsoftonline.com',
        standIn: false,
        demoApp: null,
      }),
    );
    api.entraCheck.mockImplementationOnce(() =>
      ok(
        checkView({
          ok: false,
          problem: 'consent_missing',
          field: 'entraApp',
          message: 'Admin consent is missing: … choose "Grant admin consent".',
          roles: [],
        }),
      ),
    );
    const { user, card, tenant, clientId } = await setup();
    await user.type(tenant, TENANT);
    await user.type(clientId, CLIENT);
    await user.click(card.getByRole('button', { name: 'Check Entra app' }));
    const alert = await card.findByRole('alert');
    expect(alert.textContent).toContain('Fix the app in Entra');
    expect(alert.textContent).toContain('Grant admin consent');
    for (const field of [tenant, clientId]) expect(field).toHaveAttribute('aria-invalid', 'false');
  });
});
