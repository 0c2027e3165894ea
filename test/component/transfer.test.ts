import { describe, it, expect, vi, beforeEach } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api, resetApi, ok } from './fake-api';
import { instances } from './fixtures';
import { AppState, sortInstances } from '../../src/renderer/src/lib/app.svelte';
import InstancesScreen from '../../src/renderer/src/screens/InstancesScreen.svelte';
import TemplatesScreen from '../../src/renderer/src/screens/TemplatesScreen.svelte';
import type { TransferImportView } from '../../src/shared/ipc/contract';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

beforeEach(() => {
  resetApi();
});

const imported = (over: Partial<TransferImportView> = {}): TransferImportView => ({
  path: '/home/consultant/instances.csv',
  added: ['globex'],
  updated: ['acme-dev'],
  unchanged: ['zeta'],
  problems: [],
  refused: null,
  ...over,
});

function setupInstances() {
  const app = new AppState();
  app.instances = sortInstances(instances());
  render(InstancesScreen, { app });
  return { app, user: userEvent.setup() };
}

describe('instances: import', () => {
  it('reports counts and the problems by row and field, and reloads the list', async () => {
    api.transferImport.mockImplementation(() =>
      ok(
        imported({
          problems: [
            {
              row: 4,
              field: 'url',
              message: 'must be an instance origin such as https://acme.service-now.com',
            },
            { row: 7, field: 'authMethod', message: 'Use basic or oauth.' },
          ],
        }),
      ),
    );
    const { user } = setupInstances();
    await user.click(screen.getByRole('button', { name: 'Import instances…' }));
    expect(api.transferImport).toHaveBeenCalledWith({ what: 'instances' });
    const result = await screen.findByRole('status');
    expect(result).toHaveTextContent('Imported 2 instances, 1 skipped; 2 problems.');
    const rows = within(within(result).getByRole('table', { name: 'Import problems' }))
      .getAllByRole('row')
      .slice(1)
      .map((r) => [...r.children].map((c) => c.textContent?.trim()));
    expect(rows).toEqual([
      ['4', 'url', 'must be an instance origin such as https://acme.service-now.com'],
      ['7', 'authMethod', 'Use basic or oauth.'],
    ]);
    await waitFor(() => expect(api.instancesList).toHaveBeenCalled());
  });

  it('says nothing was imported when the file is refused (e.g. a password column), and keeps the list', async () => {
    api.transferImport.mockImplementation(() =>
      ok(
        imported({
          added: [],
          updated: [],
          unchanged: [],
          refused: 'Column "password" looks like a secret: secrets are never imported.',
          problems: [{ row: 0, field: 'password', message: 'Secrets are never imported.' }],
        }),
      ),
    );
    const { user } = setupInstances();
    await user.click(screen.getByRole('button', { name: 'Import instances…' }));
    const result = await screen.findByRole('status');
    expect(result).toHaveTextContent('Nothing was imported.');
    expect(result).toHaveTextContent('Column "password" looks like a secret');
    expect(within(result).getAllByRole('row')[1]).toHaveTextContent('File');
    expect(api.instancesList).not.toHaveBeenCalled();
  });

  it('shows nothing when the open dialog is cancelled, and the error when main refuses', async () => {
    api.transferImport.mockImplementationOnce(() => ok(imported({ path: null, added: [], updated: [] })));
    const { user } = setupInstances();
    await user.click(screen.getByRole('button', { name: 'Import instances…' }));
    await waitFor(() => expect(api.transferImport).toHaveBeenCalledTimes(1));
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    api.transferImport.mockResolvedValueOnce({
      ok: false,
      code: 'internal',
      message: 'The file could not be read.',
    });
    await user.click(screen.getByRole('button', { name: 'Import instances…' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The file could not be read.');
  });
});

describe('export', () => {
  it('exports the instances as CSV or JSON and says where', async () => {
    api.transferExport.mockImplementation(() => ok({ path: '/home/consultant/instances.csv', count: 3 }));
    const { user } = setupInstances();
    await user.click(screen.getByRole('button', { name: 'Export CSV…' }));
    expect(api.transferExport).toHaveBeenCalledWith({ what: 'instances', format: 'csv' });
    const result = await screen.findByRole('status');
    expect(result).toHaveTextContent('Exported 3 instances.');
    expect(result).toHaveTextContent('Saved to /home/consultant/instances.csv');
    await user.click(screen.getByRole('button', { name: 'Export JSON…' }));
    expect(api.transferExport).toHaveBeenLastCalledWith({ what: 'instances', format: 'json' });
  });

  it('offers templates as JSON only, and reloads them after an import', async () => {
    api.transferImport.mockImplementation(() =>
      ok(imported({ added: ['acme-standard'], updated: [], unchanged: [] })),
    );
    const app = new AppState();
    render(TemplatesScreen, { app });
    const user = userEvent.setup();
    const group = screen.getByRole('group', { name: 'Import and export templates' });
    expect(
      within(group)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Import templates…', 'Export JSON…']);
    await waitFor(() => expect(api.templatesList).toHaveBeenCalledTimes(1));
    await user.click(within(group).getByRole('button', { name: 'Import templates…' }));
    expect(api.transferImport).toHaveBeenCalledWith({ what: 'templates' });
    expect(await screen.findByRole('status')).toHaveTextContent('Imported 1 template.');
    expect(api.templatesList).toHaveBeenCalledTimes(2);
  });
});
