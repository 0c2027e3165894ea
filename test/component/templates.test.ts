import { describe, it, expect, vi, beforeEach } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api, resetApi, ok, workspaceListeners } from './fake-api';
import { draftOf, instance, instances } from './fixtures';
import { template } from './fleet-fixtures';
import { AppState, sortInstances } from '../../src/renderer/src/lib/app.svelte';
import TemplatesScreen from '../../src/renderer/src/screens/TemplatesScreen.svelte';
import InstanceEditor from '../../src/renderer/src/components/InstanceEditor.svelte';
import type { TemplateInput } from '../../src/shared/ipc/contract';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

beforeEach(() => {
  resetApi();
});

function setup() {
  const app = new AppState();
  app.instances = sortInstances(instances());
  render(TemplatesScreen, { app });
  return { app, user: userEvent.setup() };
}

describe('templates: list and editor', () => {
  it('lists the templates with their variables and where they are used', async () => {
    api.templatesList.mockImplementation(() => ok([template()]));
    setup();
    const card = await screen.findByRole('article', { name: 'customer-standard' });
    expect(card).toHaveTextContent('Naming convention for managed customers');
    expect(card).toHaveTextContent('Variables: customer');
    expect(within(card).getByRole('list', { name: /uses its variables/ })).toHaveTextContent(
      '{customer} in Table 1 Name',
    );
  });

  it('creates a template: placeholders must be declared, and only fields that differ from the defaults are saved', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'New template' }));
    const editor = screen.getByRole('form', { name: 'New template' });
    await user.type(within(editor).getByRole('textbox', { name: 'Template name' }), 'acme-standard');
    const domain = within(editor).getAllByRole('combobox', { name: 'Domain' })[0]!;
    await user.clear(domain);
    await user.type(domain, '{{region}_domain');
    await user.click(within(editor).getByRole('button', { name: 'Save template' }));
    expect(api.templatesSave).not.toHaveBeenCalled();
    expect(domain).toHaveAttribute('aria-invalid', 'true');
    expect(domain).toHaveAccessibleDescription(/\{region\} is not a variable of this template/);
    expect(within(editor).getByRole('alert')).toHaveTextContent('Fix 1 problem marked above.');

    // Declare it: the field becomes valid (the placeholder stands for a value, checked with a sample).
    await user.click(within(editor).getByRole('button', { name: 'Add variable' }));
    await user.type(within(editor).getByRole('textbox', { name: 'Variable 2 name' }), 'region');
    await user.type(within(editor).getByRole('textbox', { name: 'Variable 2 default' }), 'emea');
    expect(domain).toHaveAttribute('aria-invalid', 'false');

    let saved: TemplateInput | undefined;
    api.templatesSave.mockImplementation(async (input) => {
      saved = input;
      return ok({ ...template({ name: input.name }) });
    });
    await user.click(within(editor).getByRole('button', { name: 'Save template' }));
    await waitFor(() => expect(saved).toBeDefined());
    expect(saved).toEqual({
      name: 'acme-standard',
      variables: [{ name: 'customer' }, { name: 'region', default: 'emea' }],
      main: { name: '{customer}_Exchange_Online_Connection', domain: '{region}_domain' },
      // The documented order: …_Connection_clientCred (issue 12).
      clientCred: { name: '{customer}_Exchange_Online_Connection_clientCred' },
    });
    await waitFor(() => expect(screen.queryByRole('form', { name: 'New template' })).not.toBeInTheDocument());
    expect(api.templatesList).toHaveBeenCalledTimes(2);
  });

  it('still validates the rest of a field: a placeholder does not excuse a bad name', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'New template' }));
    const editor = screen.getByRole('form', { name: 'New template' });
    const name = within(editor).getAllByRole('textbox', { name: 'Name' })[0]!;
    await user.clear(name);
    await user.type(name, '{{customer}/Exchange');
    await user.tab();
    expect(name).toHaveAccessibleDescription(/may contain only letters, digits, spaces/);
  });

  it('shows a refusal from main and keeps the editor open', async () => {
    api.templatesList.mockImplementation(() => ok([template()]));
    api.templatesSave.mockResolvedValue({
      ok: false,
      code: 'invalid_input',
      message: 'main.grant: unknown.',
    });
    const { user } = setup();
    const card = await screen.findByRole('article', { name: 'customer-standard' });
    await user.click(within(card).getByRole('button', { name: 'Edit' }));
    const editor = screen.getByRole('form', { name: 'Edit template customer-standard' });
    expect(within(editor).getAllByRole('textbox', { name: 'Name' })[0]).toHaveValue(
      '{customer}_Exchange_Online_Connection',
    );
    await user.click(within(editor).getByRole('button', { name: 'Save template' }));
    expect(await within(editor).findByRole('alert')).toHaveTextContent('main.grant: unknown.');
  });

  it('edits an imported template’s Entra app: undeclared variables are named, and saving keeps it', async () => {
    const entra = { tenant: '{tenant}', clientId: '{client_id}', secretExpires: '2031-06-30' };
    api.templatesList.mockImplementation(() =>
      ok([
        template({
          variables: ['customer', 'tenant', 'client_id'].map((name) => ({
            name,
            description: null,
            default: null,
          })),
          entra,
          usage: [
            { variable: 'customer', fields: ['main.name'] },
            { variable: 'tenant', fields: ['entra.tenant'] },
            { variable: 'client_id', fields: ['entra.clientId'] },
          ],
        }),
      ]),
    );
    let saved: TemplateInput | undefined;
    api.templatesSave.mockImplementation(async (input) => {
      saved = input;
      return ok(template({ name: input.name }));
    });
    const { user } = setup();
    const card = await screen.findByRole('article', { name: 'customer-standard' });
    expect(card).toHaveTextContent('Fills the Entra app');
    expect(within(card).getByRole('list', { name: /uses its variables/ })).toHaveTextContent(
      '{tenant} in Entra app Directory (tenant) ID',
    );

    await user.click(within(card).getByRole('button', { name: 'Edit' }));
    const editor = screen.getByRole('form', { name: 'Edit template customer-standard' });
    const app = within(editor).getByRole('group', { name: 'Entra app' });
    const tenant = within(app).getByRole('textbox', { name: 'Directory (tenant) ID' });
    expect(tenant).toHaveValue('{tenant}');
    expect(within(app).getByRole('textbox', { name: 'Application (client) ID' })).toHaveValue('{client_id}');
    expect(within(app).getByRole('textbox', { name: 'Client secret expires' })).toHaveValue('2031-06-30');
    // Never a field for the secret: it is entered per instance.
    expect(within(app).queryByLabelText(/Client secret$/)).not.toBeInTheDocument();

    await user.clear(tenant);
    await user.type(tenant, '{{tenant_id}');
    await user.tab();
    expect(tenant).toHaveAttribute('aria-invalid', 'true');
    expect(tenant).toHaveAccessibleDescription(/\{tenant_id\} is not a variable of this template/);
    await user.click(within(editor).getByRole('button', { name: 'Save template' }));
    expect(api.templatesSave).not.toHaveBeenCalled();
    expect(within(editor).getByRole('alert')).toHaveTextContent('Fix 1 problem marked above.');

    await user.clear(tenant);
    await user.type(tenant, '{{tenant}.onmicrosoft.com');
    await user.click(within(editor).getByRole('button', { name: 'Save template' }));
    await waitFor(() => expect(saved).toBeDefined());
    expect(saved!.entra).toEqual({ ...entra, tenant: '{tenant}.onmicrosoft.com' });
    expect(saved!.main).toEqual({ name: '{customer}_Exchange_Online_Connection' });
  });

  it('removes a template’s Entra app when its fields are cleared', async () => {
    api.templatesList.mockImplementation(() =>
      ok([template({ entra: { tenant: '{customer}.onmicrosoft.com', clientId: '{customer}' } })]),
    );
    let saved: TemplateInput | undefined;
    api.templatesSave.mockImplementation(async (input) => {
      saved = input;
      return ok(template({ name: input.name }));
    });
    const { user } = setup();
    const card = await screen.findByRole('article', { name: 'customer-standard' });
    await user.click(within(card).getByRole('button', { name: 'Edit' }));
    const editor = screen.getByRole('form', { name: 'Edit template customer-standard' });
    await user.click(within(editor).getByRole('button', { name: 'Remove the Entra app' }));
    expect(within(editor).getByRole('textbox', { name: 'Directory (tenant) ID' })).toHaveValue('');
    await user.click(within(editor).getByRole('button', { name: 'Save template' }));
    await waitFor(() => expect(saved).toBeDefined());
    expect(saved).not.toHaveProperty('entra');
  });

  it('removes a template after confirming', async () => {
    api.templatesList.mockImplementation(() => ok([template()]));
    const { user } = setup();
    const card = await screen.findByRole('article', { name: 'customer-standard' });
    await user.click(within(card).getByRole('button', { name: 'Remove' }));
    expect(api.templatesRemove).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Remove template' }));
    expect(api.templatesRemove).toHaveBeenCalledWith({ name: 'customer-standard' });
  });
});

describe('templates: another process changed the template being edited', () => {
  const CONFLICT =
    'Template "customer-standard" was changed by another process since the editor opened; nothing was ' +
    'saved. Load the stored version to see it.';
  const theirs = template({
    description: 'Changed by the CLI',
    main: { name: '{customer}_Theirs' },
    revision: 'fedcba9876543210',
  });

  it('shows the conflict, keeps the edits, and offers to load the stored version', async () => {
    api.templatesList.mockImplementation(() => ok([template()]));
    const { user } = setup();
    const card = await screen.findByRole('article', { name: 'customer-standard' });
    await user.click(within(card).getByRole('button', { name: 'Edit' }));
    const editor = screen.getByRole('form', { name: 'Edit template customer-standard' });
    const description = within(editor).getByRole('textbox', { name: 'Description' });
    await user.clear(description);
    await user.type(description, 'Edited here');

    // Meanwhile a CLI import changed it: main refuses the save, and the list now holds that version.
    api.templatesList.mockImplementation(() => ok([theirs]));
    api.templatesSave.mockResolvedValueOnce({ ok: false, code: 'conflict', message: CONFLICT });
    await user.click(within(editor).getByRole('button', { name: 'Save template' }));
    expect(await within(editor).findByRole('alert')).toHaveTextContent(CONFLICT);
    expect(api.templatesSave).toHaveBeenCalledWith(
      expect.objectContaining({ description: 'Edited here', basedOn: '0123456789abcdef' }),
    );
    expect(description).toHaveValue('Edited here');
    expect(screen.getByRole('article', { name: 'customer-standard' })).toHaveTextContent(
      'Changed by the CLI',
    );

    await user.click(
      within(editor).getByRole('button', { name: 'Discard my edits and load the stored version' }),
    );
    const reopened = screen.getByRole('form', { name: 'Edit template customer-standard' });
    expect(within(reopened).getByRole('textbox', { name: 'Description' })).toHaveValue('Changed by the CLI');
    expect(within(reopened).getAllByRole('textbox', { name: 'Name' })[0]).toHaveValue('{customer}_Theirs');
    expect(within(reopened).queryByRole('alert')).not.toBeInTheDocument();
    api.templatesSave.mockImplementation(async () => ok(theirs));
    await user.click(within(reopened).getByRole('button', { name: 'Save template' }));
    expect(api.templatesSave).toHaveBeenLastCalledWith(
      expect.objectContaining({ description: 'Changed by the CLI', basedOn: 'fedcba9876543210' }),
    );
  });

  it('keeps the open editor and its edits when the workspace reloads, even if the template is removed', async () => {
    api.templatesList.mockImplementation(() => ok([template()]));
    const { app, user } = setup();
    const off = app.subscribe();
    try {
      const card = await screen.findByRole('article', { name: 'customer-standard' });
      await user.click(within(card).getByRole('button', { name: 'Edit' }));
      const editor = screen.getByRole('form', { name: 'Edit template customer-standard' });
      const description = within(editor).getByRole('textbox', { name: 'Description' });
      await user.clear(description);
      await user.type(description, 'Edited here');

      api.templatesList.mockImplementation(() => ok([theirs]));
      for (const listener of workspaceListeners) listener({ files: ['templates/customer-standard.json'] });
      await waitFor(() =>
        expect(screen.getByRole('article', { name: 'customer-standard' })).toHaveTextContent(
          'Changed by the CLI',
        ),
      );
      expect(screen.getByRole('form', { name: 'Edit template customer-standard' })).toBe(editor);
      expect(description).toHaveValue('Edited here');
      // Told before saving that the save will be refused.
      expect(within(editor).getByRole('status')).toHaveTextContent(
        'Another process changed this template since you opened it',
      );

      api.templatesList.mockImplementation(() => ok([]));
      for (const listener of workspaceListeners) listener({ files: ['templates/customer-standard.json'] });
      await waitFor(() => expect(app.templates.list).toEqual([]));
      expect(await screen.findByText(/Another process removed this template/)).toBeInTheDocument();
      expect(within(editor).queryByRole('status')).not.toBeInTheDocument();
      expect(screen.getByRole('form', { name: 'Edit template customer-standard' })).toBe(editor);
      expect(description).toHaveValue('Edited here');

      // The save is still based on what the editor opened, so main can refuse it.
      api.templatesSave.mockResolvedValueOnce({ ok: false, code: 'conflict', message: 'removed' });
      await user.click(within(editor).getByRole('button', { name: 'Save template' }));
      expect(await within(editor).findByRole('alert')).toHaveTextContent('removed');
      expect(api.templatesSave).toHaveBeenCalledWith(
        expect.objectContaining({ basedOn: '0123456789abcdef' }),
      );
      // Nothing stored to load: no offer to.
      expect(
        within(editor).queryByRole('button', { name: /load the stored version/ }),
      ).not.toBeInTheDocument();
    } finally {
      off();
    }
  });
});

describe('templates: apply to instances', () => {
  it('applies to the selected instances and lists errors naming instance, variable and field', async () => {
    api.templatesList.mockImplementation(() => ok([template()]));
    api.templatesApply.mockImplementation(() =>
      ok({
        applied: ['acme-dev'],
        failed: ['zeta'],
        instances: [
          {
            instanceId: 'acme-dev',
            name: 'Acme Dev',
            ok: true,
            savedAt: new Date().toISOString(),
            errors: [],
          },
          {
            instanceId: 'zeta',
            name: 'Zeta Prod',
            ok: false,
            savedAt: null,
            errors: [
              {
                form: 'main',
                field: 'name',
                variable: 'customer',
                message: 'Variable {customer} (used in main.name) has no value: set it on the instance.',
              },
            ],
          },
        ],
      }),
    );
    const { app, user } = setup();
    const card = await screen.findByRole('article', { name: 'customer-standard' });
    await user.click(within(card).getByRole('button', { name: 'Apply to instances…' }));
    // The demo instance is not offered: it cannot hold variables.
    const picker = within(card).getByRole('group', { name: 'Instances to fill from customer-standard' });
    expect(within(picker).queryByRole('checkbox', { name: 'Demo instance' })).not.toBeInTheDocument();
    const apply = within(card).getByRole('button', { name: /Apply to 0 instances/ });
    expect(apply).toBeDisabled();
    await user.click(within(picker).getByRole('checkbox', { name: /Select all/ }));
    await user.click(within(card).getByRole('button', { name: 'Apply to 2 instances' }));
    expect(api.templatesApply).toHaveBeenCalledWith({ name: 'customer-standard', ids: ['acme-dev', 'zeta'] });

    const errors = await within(card).findByRole('table', { name: 'Template errors' });
    const cells = [...within(errors).getAllByRole('row')[1]!.children].map((c) => c.textContent?.trim());
    expect(cells).toEqual([
      'Zeta Prod',
      '{customer}',
      'Table 1 Name',
      'Variable {customer} (used in main.name) has no value: set it on the instance.',
    ]);
    expect(within(card).getByRole('status')).toHaveTextContent('1 instance filled; 1 could not be.');

    await user.click(within(card).getByRole('button', { name: 'Plan these in Fleet' }));
    expect(app.screen).toBe('fleet');
    expect(app.fleet.selected).toEqual(['acme-dev']);
  });
});

describe('templates: applied to the selected instance', () => {
  it('reloads its forms, so the next save does not overwrite what the template filled in', async () => {
    api.templatesList.mockImplementation(() => ok([template()]));
    const { app, user } = setup();
    await app.select('acme-dev');
    expect(app.forms.models.main.name).not.toBe('ACME_Exchange_Online_Connection');

    // Main renders the template into the instance's draft file.
    const filled = draftOf({
      main: { ...draftOf().main, name: 'ACME_Exchange_Online_Connection' },
      updatedAt: '2026-03-01T10:00:00.000Z',
    });
    api.draftsGet.mockImplementation(() => ok(filled));
    api.templatesApply.mockImplementation(() =>
      ok({
        applied: ['acme-dev'],
        failed: [],
        instances: [
          { instanceId: 'acme-dev', name: 'Acme Dev', ok: true, savedAt: filled.updatedAt, errors: [] },
        ],
      }),
    );
    const card = await screen.findByRole('article', { name: 'customer-standard' });
    await user.click(within(card).getByRole('button', { name: 'Apply to instances…' }));
    const picker = within(card).getByRole('group', { name: 'Instances to fill from customer-standard' });
    await user.click(within(picker).getByRole('checkbox', { name: /Acme Dev/ }));
    await user.click(within(card).getByRole('button', { name: 'Apply to 1 instance' }));
    await waitFor(() => expect(app.forms.models.main.name).toBe('ACME_Exchange_Online_Connection'));
    expect(app.forms.draftSavedAt).toBe(filled.updatedAt);

    // Saving the forms now sends what the template filled in, not the draft loaded before.
    await app.forms.saveNow();
    expect(api.draftsSave).toHaveBeenLastCalledWith(
      expect.objectContaining({
        id: 'acme-dev',
        main: expect.objectContaining({ name: 'ACME_Exchange_Online_Connection' }),
      }),
    );
  });
});

describe('instance editor: template variables', () => {
  it('edits key/value rows, refuses bad names, and sends the variables with the instance', async () => {
    const saved = instance({ variables: { customer: 'ACME' } });
    api.instancesSave.mockImplementation(() => ok(saved));
    const onsaved = vi.fn();
    render(InstanceEditor, { instance: saved, onsaved, oncancel: () => {} });
    const user = userEvent.setup();
    const vars = screen.getByRole('group', { name: 'Template variables' });
    expect(within(vars).getByRole('textbox', { name: 'Variable 1 name' })).toHaveValue('customer');
    expect(within(vars).getByRole('textbox', { name: 'Variable 1 value' })).toHaveValue('ACME');

    await user.click(within(vars).getByRole('button', { name: 'Add variable' }));
    const name2 = within(vars).getByRole('textbox', { name: 'Variable 2 name' });
    await user.type(name2, '2region');
    await user.type(within(vars).getByRole('textbox', { name: 'Variable 2 value' }), 'EMEA');
    expect(name2).toHaveAttribute('aria-invalid', 'true');
    expect(name2).toHaveAccessibleDescription(/starting with a letter/);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.instancesSave).not.toHaveBeenCalled();

    await user.clear(name2);
    await user.type(name2, 'region');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.instancesSave).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'acme-dev', variables: { customer: 'ACME', region: 'EMEA' } }),
    );

    // Removing every row clears them (an empty object, not "keep the stored ones").
    await user.click(within(vars).getByRole('button', { name: 'Remove variable customer' }));
    await user.click(within(vars).getByRole('button', { name: 'Remove variable region' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.instancesSave).toHaveBeenLastCalledWith(expect.objectContaining({ variables: {} }));
  });
});
