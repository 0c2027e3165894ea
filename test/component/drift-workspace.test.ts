import { describe, it, expect, vi, beforeAll, beforeEach, afterEach } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api, resetApi, ok } from './fake-api';
import { instances, plan, workspaceInfo } from './fixtures';
import { driftView } from './fleet-fixtures';
import { AppState, sortInstances } from '../../src/renderer/src/lib/app.svelte';
import App from '../../src/renderer/src/App.svelte';
import { loadScreens } from '../../src/renderer/src/lib/screens';
import DriftScreen from '../../src/renderer/src/screens/DriftScreen.svelte';
import WorkspaceScreen from '../../src/renderer/src/screens/WorkspaceScreen.svelte';
import type { WorkspaceProblemView } from '../../src/shared/ipc/contract';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

// The screens after Instances are a chunk loaded on demand (src/renderer/src/lib/screens.ts), which the app
// prefetches after its first paint. Under vitest that first import transforms every screen, seconds on a
// loaded machine: done here, before the tests, as App's static imports of the screens used to be.
beforeAll(() => loadScreens(), 120_000);

let app: AppState;
beforeEach(() => {
  resetApi();
  app = new AppState();
  app.instances = sortInstances(instances());
});
afterEach(() => app.forms.cancelSave());

describe('drift', () => {
  it('checks all instances and lists the drifted ones field by field: applied → current', async () => {
    api.driftCheck.mockImplementation(() => ok(driftView()));
    render(DriftScreen, { app });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Check all instances' }));
    expect(api.driftCheck).toHaveBeenCalledWith({});

    const zeta = await screen.findByRole('region', { name: 'Zeta Prod' });
    expect(zeta).toHaveTextContent('2 differences');
    const rows = within(within(zeta).getByRole('table', { name: 'Differences on Zeta Prod' }))
      .getAllByRole('row')
      .slice(1)
      .map((r) => [...r.children].map((c) => c.textContent?.replace(/\s+/g, ' ').trim()));
    expect(rows).toEqual([
      [
        'Connection Exchange_Online_Connection',
        'Connection URL',
        'https://graph.microsoft.com',
        'https://graph.microsoft.us',
      ],
      ['Credential Exchange_Online_Credentials', 'The record', 'present', 'absent'],
    ]);
    // Matching instances are not listed as drifted; ones that could not be checked say why.
    expect(screen.queryByRole('region', { name: 'Acme Dev' })).not.toBeInTheDocument();
    expect(screen.getByText(/Still matching: Acme Dev/)).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Not checked' })).toHaveTextContent(
      'Demo instance: Nothing was applied to this instance yet.',
    );
  });

  it('offers re-apply for a drifted instance: its forms planned again and shown on Review', async () => {
    api.driftCheck.mockImplementation(() => ok(driftView()));
    api.planCreate.mockImplementation(() => ok({ plan: plan(), issues: [], snapshotAgeSeconds: 5 }));
    render(DriftScreen, { app });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Check all instances' }));
    const zeta = await screen.findByRole('region', { name: 'Zeta Prod' });
    await user.click(within(zeta).getByRole('button', { name: 'Re-apply to Zeta Prod' }));
    await waitFor(() => expect(app.screen).toBe('review'));
    expect(app.selectedId).toBe('zeta');
    expect(api.planCreate).toHaveBeenCalledWith(expect.objectContaining({ id: 'zeta' }));
    expect(api.applyRun).not.toHaveBeenCalled();
  });

  it('checks one instance, and says plainly when nothing drifted', async () => {
    const view = driftView();
    api.driftCheck.mockImplementation(() => ok({ drifted: [], instances: [view.instances[1]!] }));
    render(DriftScreen, { app });
    const user = userEvent.setup();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Instance' }), 'Acme Dev');
    await user.click(screen.getByRole('button', { name: 'Check this instance' }));
    expect(api.driftCheck).toHaveBeenCalledWith({ ids: ['acme-dev'] });
    expect(await screen.findByRole('status')).toHaveTextContent('No drift: 1 instance still matches');
  });

  it('shows a failed check', async () => {
    api.driftCheck.mockResolvedValue({ ok: false, code: 'network', message: 'The computer is offline.' });
    render(DriftScreen, { app });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Check all instances' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The computer is offline.');
  });
});

const problem = (over: Partial<WorkspaceProblemView> = {}): WorkspaceProblemView => ({
  file: 'instances.json',
  reason: 'corrupt',
  message: 'The file is truncated (unexpected end of JSON at line 12).',
  movedTo: 'instances.json.corrupt-20250501',
  ...over,
});

describe('workspace', () => {
  it('shows a banner on every screen listing the files moved aside and why, until dismissed', async () => {
    api.workspaceInfo.mockImplementation(() =>
      ok(
        workspaceInfo({
          problems: [
            problem(),
            problem({
              file: 'templates/acme.json',
              reason: 'unknown_version',
              message: 'Version 4 is newer than this app.',
              movedTo: null,
            }),
          ],
        }),
      ),
    );
    render(App, { app });
    const banner = await screen.findByRole('region', { name: '2 workspace files could not be read' });
    const items = within(banner).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(
      'instances.json: The file is truncated (unexpected end of JSON at line 12). Moved aside to instances.json.corrupt-20250501.',
    );
    expect(items[1]).toHaveTextContent('templates/acme.json: Version 4 is newer than this app.');
    expect(items[1]).not.toHaveTextContent('Moved aside');

    const user = userEvent.setup();
    await user.click(within(banner).getByRole('button', { name: 'Show details' }));
    // The Workspace screen loads on demand (src/renderer/src/lib/screens.ts): wait for it.
    expect(await screen.findByRole('heading', { level: 2, name: 'Workspace' })).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Files moved aside' })).toHaveTextContent('Unreadable');
    await user.click(within(banner).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('region', { name: /could not be read/ })).not.toBeInTheDocument();
  });

  it('shows the folder and points the workspace at another one, reloading what is shown', async () => {
    app.workspace.info = workspaceInfo();
    render(WorkspaceScreen, { app });
    expect(screen.getByText('/home/consultant/.config/Spokesmith/workspace')).toBeInTheDocument();
    expect(screen.getByText(/The default workspace/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Use the default folder' })).not.toBeInTheDocument();

    const team = { dir: '/home/consultant/src/team/spokesmith', isDefault: false, problems: [] };
    api.workspaceChoose.mockImplementation(() => ok({ ...team, changed: true }));
    api.instancesList.mockImplementation(() => ok([instances()[1]!]));
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
    expect(api.workspaceChoose).toHaveBeenCalledWith({});
    expect(await screen.findByText('/home/consultant/src/team/spokesmith')).toBeInTheDocument();
    expect(screen.getByText(/A folder you chose/)).toBeInTheDocument();
    await waitFor(() => expect(app.instances.map((i) => i.id)).toEqual(['acme-dev']));
    expect(app.selectedId).toBe('acme-dev');

    api.workspaceChoose.mockImplementation(() => ok({ ...workspaceInfo(), changed: true }));
    await user.click(screen.getByRole('button', { name: 'Use the default folder' }));
    expect(api.workspaceChoose).toHaveBeenLastCalledWith({ useDefault: true });
  });

  it('changes nothing when the folder dialog is cancelled', async () => {
    app.workspace.info = workspaceInfo();
    api.workspaceChoose.mockImplementation(() =>
      ok({ ...workspaceInfo({ dir: '/elsewhere' }), changed: false }),
    );
    render(WorkspaceScreen, { app });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Choose folder…' }));
    expect(screen.getByText('/home/consultant/.config/Spokesmith/workspace')).toBeInTheDocument();
    expect(api.instancesList).not.toHaveBeenCalled();
  });
});
