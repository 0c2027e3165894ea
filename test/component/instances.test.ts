import { describe, it, expect, vi, beforeAll, beforeEach } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api, resetApi, ok } from './fake-api';
import { instance, instances } from './fixtures';
import { AppState, sortInstances } from '../../src/renderer/src/lib/app.svelte';
import InstanceEditor from '../../src/renderer/src/components/InstanceEditor.svelte';
import InstancesScreen from '../../src/renderer/src/screens/InstancesScreen.svelte';
import { loadScreens } from '../../src/renderer/src/lib/screens';
import type { InstanceView } from '../../src/shared/ipc/contract';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

beforeEach(() => {
  resetApi();
});

function renderEditor(editing: InstanceView | null) {
  const onsaved = vi.fn();
  const oncancel = vi.fn();
  render(InstanceEditor, { instance: editing, onsaved, oncancel });
  return { onsaved, oncancel, user: userEvent.setup() };
}

describe('instance editor', () => {
  it('never pre-fills a secret: editing shows empty password fields and says one is stored', () => {
    renderEditor(instance({ authMethod: 'oauth', secretConfigured: true }));
    expect(screen.getByLabelText('Name')).toHaveValue('Acme Dev');
    expect(screen.getByLabelText('User name')).toHaveValue('svc.spokesmith');
    for (const label of ['Password', 'Client secret']) {
      const input = screen.getByLabelText(label);
      expect(input).toHaveAttribute('type', 'password');
      expect(input).toHaveValue('');
      expect(input).toHaveAccessibleDescription(/Leave blank to keep it/);
    }
  });

  it('keeps the stored secret when the password is left blank', async () => {
    api.instancesSave.mockImplementation((input) => ok(instance({ name: input.name })));
    const { onsaved, user } = renderEditor(instance());
    await user.clear(screen.getByLabelText('Name'));
    await user.type(screen.getByLabelText('Name'), 'Acme Development');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onsaved).toHaveBeenCalled());
    const sent = api.instancesSave.mock.calls[0]![0];
    expect(sent).toMatchObject({ id: 'acme-dev', name: 'Acme Development', authMethod: 'basic' });
    expect(sent).not.toHaveProperty('password');
  });

  it('validates a new instance only after a field is touched or Save is pressed', async () => {
    const { user } = renderEditor(null);
    const name = screen.getByLabelText('Name');
    expect(name).toHaveAttribute('aria-invalid', 'false');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.instancesSave).not.toHaveBeenCalled();
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription(/Name is required\./);
    expect(name).toHaveFocus();
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(/Password is required\./);

    const url = screen.getByLabelText('Instance URL');
    await user.clear(url);
    await user.type(url, 'http://acme.service-now.com');
    expect(url).toHaveAccessibleDescription(/must start with https/);
  });

  it('takes plain http only for a loopback instance (the simulator), by the rule main stores it with', async () => {
    api.instancesSave.mockImplementation((input) => ok(instance({ name: input.name, url: input.url })));
    const { onsaved, user } = renderEditor(instance());
    const url = screen.getByLabelText('Instance URL');
    // user-event reads [ and { as key descriptors: doubling them types them literally.
    const fill = async (text: string) => {
      await user.clear(url);
      await user.type(url, text.replace(/[[{]/g, '$&$&'));
      await user.tab(); // the field is checked once it has been left
    };
    for (const loopback of ['http://127.0.0.1:43117', 'http://localhost:8080', 'http://[::1]:8080']) {
      await fill(loopback);
      expect(url, loopback).toHaveAttribute('aria-invalid', 'false');
    }
    for (const [typed, message] of [
      [
        'http://acme.service-now.com',
        /Error: Instance URL must start with https:\/\/ .*localhost, 127\.0\.0\.1 or \[::1\]/,
      ],
      ['http://127.0.0.1.example.com', /Error: Instance URL must start with https:\/\//],
      ['https://', /Error: Instance URL is required\.$/],
      ['https://acme service-now', /Error: Instance URL is not an address/],
    ] as const) {
      await fill(typed);
      expect(url, typed).toHaveAttribute('aria-invalid', 'true');
      expect(url, typed).toHaveAccessibleDescription(message);
    }
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.instancesSave).not.toHaveBeenCalled();

    await fill('http://127.0.0.1:43117');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onsaved).toHaveBeenCalled());
    expect(api.instancesSave.mock.calls[0]![0]).toMatchObject({ url: 'http://127.0.0.1:43117' });
  });

  it('asks for client ID and secret with the OAuth password grant and sends them once', async () => {
    api.instancesSave.mockImplementation(() => ok(instance({ id: 'new-one', authMethod: 'oauth' })));
    const { onsaved, user } = renderEditor(null);
    expect(screen.queryByLabelText('Client ID')).not.toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Authentication'), 'oauth');
    await user.type(screen.getByLabelText('Name'), 'New One');
    await user.clear(screen.getByLabelText('Instance URL'));
    await user.type(screen.getByLabelText('Instance URL'), 'https://new.service-now.com');
    await user.type(screen.getByLabelText('User name'), 'admin');
    await user.type(screen.getByLabelText('Password'), 'pw-Secret-1');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByLabelText('Client ID')).toHaveAccessibleDescription(/Client ID is required/);
    expect(screen.getByLabelText('Client secret')).toHaveAttribute('type', 'password');
    expect(api.instancesSave).not.toHaveBeenCalled();

    await user.type(screen.getByLabelText('Client ID'), 'client-1');
    await user.type(screen.getByLabelText('Client secret'), 'cs-Secret-2');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onsaved).toHaveBeenCalled());
    expect(api.instancesSave.mock.calls[0]![0]).toEqual({
      name: 'New One',
      url: 'https://new.service-now.com',
      authMethod: 'oauth',
      username: 'admin',
      password: 'pw-Secret-1',
      clientId: 'client-1',
      clientSecret: 'cs-Secret-2',
    });
    // Once sent, the secrets are cleared from the page.
    expect(document.body.innerHTML).not.toContain('pw-Secret-1');
    expect(document.body.innerHTML).not.toContain('cs-Secret-2');
    expect(screen.getByLabelText('Password')).toHaveValue('');
  });

  it('shows main’s refusal inline and keeps what was typed', async () => {
    api.instancesSave.mockImplementation(() =>
      Promise.resolve({ ok: false as const, code: 'keychain' as const, message: 'The keychain is locked.' }),
    );
    const { onsaved, user } = renderEditor(instance());
    await user.type(screen.getByLabelText('Password'), 'x');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The keychain is locked.');
    expect(onsaved).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Name')).toHaveValue('Acme Dev');
  });
});

describe('instances screen', () => {
  async function setup() {
    const app = new AppState();
    await app.init();
    app.forms.cancelSave();
    render(InstancesScreen, { app });
    return { app, user: userEvent.setup() };
  }

  it('lists the demo instance first, marked Demo, with each status', async () => {
    await setup();
    const items = screen.getAllByRole('article');
    expect(items[0]).toHaveAccessibleName(/Demo instance/);
    expect(within(items[0]!).getByText('Demo')).toBeInTheDocument();
    expect(items.map((i) => i.getAttribute('aria-labelledby'))).toEqual(
      sortInstances(instances()).map((i) => `inst-${i.id}-title`),
    );
    expect(within(items[1]!).getByText('Not checked')).toBeInTheDocument();
    expect(within(items[2]!).getByText('Provisioned')).toBeInTheDocument();
  });

  it('tests a connection and shows the answer on that instance', async () => {
    api.instancesTest.mockImplementation(() =>
      ok({
        ok: false,
        code: 'bad_credentials',
        message: 'The instance rejected the user name or password.',
        userName: null,
        roles: [],
      }),
    );
    const { user } = await setup();
    const acme = within(screen.getByRole('article', { name: /Acme Dev/ }));
    await user.click(acme.getByRole('button', { name: 'Test connection' }));
    expect(api.instancesTest).toHaveBeenCalledWith({ id: 'acme-dev' });
    expect(await acme.findByText(/rejected the user name or password/)).toBeInTheDocument();
  });

  it('says once whom a successful test connected as, then the roles', async () => {
    api.instancesTest.mockImplementation(() =>
      ok({ ok: true, code: null, message: 'Connected as admin.', userName: 'admin', roles: ['admin'] }),
    );
    const { user } = await setup();
    const acme = within(screen.getByRole('article', { name: /Acme Dev/ }));
    await user.click(acme.getByRole('button', { name: 'Test connection' }));
    const status = await acme.findByText(/Connected as admin/);
    expect(status.closest('[role="status"]')).toHaveTextContent(
      /^\s*Connected as admin\.\s*Roles: admin\.\s*$/,
    );
  });

  it('removes an instance only after confirmation', async () => {
    const { user } = await setup();
    const acme = within(screen.getByRole('article', { name: /Acme Dev/ }));
    await user.click(acme.getByRole('button', { name: 'Remove' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove Acme Dev?' });
    expect(api.instancesRemove).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.instancesRemove).not.toHaveBeenCalled();

    await user.click(acme.getByRole('button', { name: 'Remove' }));
    await user.click(screen.getByRole('button', { name: 'Remove instance' }));
    await waitFor(() => expect(api.instancesRemove).toHaveBeenCalledWith({ id: 'acme-dev' }));
  });

  // The editor loads with the other screens (src/renderer/src/lib/screens.ts), not with the first screen.
  describe('the editor, loaded after the first screen', () => {
    // Under vitest the first import of that chunk transforms every screen: seconds on a loaded machine.
    beforeAll(() => loadScreens(), 120_000);

    it('opens an empty editor from Add instance', async () => {
      const { user } = await setup();
      await user.click(screen.getByRole('button', { name: 'Add instance' }));
      const editor = await screen.findByRole('form', { name: 'Add instance' });
      expect(within(editor).getByLabelText('Name')).toHaveValue('');
    });

    it('opens the editor on the instance whose Edit was clicked', async () => {
      const { user } = await setup();
      const acme = within(screen.getByRole('article', { name: /Acme Dev/ }));
      await user.click(acme.getByRole('button', { name: 'Edit' }));
      const editor = await screen.findByRole('form', { name: /Acme Dev/ });
      expect(within(editor).getByLabelText('Name')).toHaveValue('Acme Dev');
    });
  });

  it('offers no edit or remove for the demo instance', async () => {
    await setup();
    const demo = within(screen.getByRole('article', { name: /Demo instance/ }));
    expect(demo.queryByRole('button', { name: 'Remove' })).not.toBeInTheDocument();
    expect(demo.queryByRole('button', { name: 'Edit' })).not.toBeInTheDocument();
  });
});
