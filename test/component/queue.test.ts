import { describe, it, expect, vi, beforeAll, beforeEach, afterEach } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api, queueListeners, resetApi, ok } from './fake-api';
import { instances, snapshot } from './fixtures';
import { queueItem, queueView } from './fleet-fixtures';
import { AppState, sortInstances } from '../../src/renderer/src/lib/app.svelte';
import App from '../../src/renderer/src/App.svelte';
import { loadScreens } from '../../src/renderer/src/lib/screens';
import ApplyScreen from '../../src/renderer/src/screens/ApplyScreen.svelte';
import ConnectionsScreen from '../../src/renderer/src/screens/ConnectionsScreen.svelte';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

// The screens after Instances are a chunk loaded on demand (src/renderer/src/lib/screens.ts), which the app
// prefetches after its first paint. Under vitest that first import transforms every screen, seconds on a
// loaded machine: done here, before the tests, as App's static imports of the screens used to be.
beforeAll(() => loadScreens(), 120_000);

let app: AppState;
beforeEach(() => {
  resetApi();
  app = new AppState();
});
afterEach(() => app.forms.cancelSave());

const indicator = () => screen.getByRole('button', { name: /show the offline queue/ });

describe('network and queue indicator', () => {
  it('says online, then follows main’s queue changes: unreachable instances and queued applies', async () => {
    render(App, { app });
    await waitFor(() => expect(api.queueList).toHaveBeenCalled());
    expect(indicator()).toHaveTextContent(/^Online :/);
    await waitFor(() => expect(queueListeners.size).toBe(1));
    const emit = [...queueListeners][0]!;
    emit(
      queueView([queueItem(), queueItem({ id: 'q-2', instanceId: 'acme-dev', instanceName: 'Acme Dev' })]),
    );
    await waitFor(() =>
      expect(indicator()).toHaveTextContent(/^1 instance unreachable · 2 applies queued :/),
    );
    emit(queueView([queueItem({ status: 'done' })], []));
    await waitFor(() => expect(indicator()).toHaveTextContent(/^Online :/));
  });

  it('opens the queue list with the reason in plain words, and cancels a waiting apply', async () => {
    api.queueList.mockImplementation(() => ok(queueView()));
    render(App, { app });
    await waitFor(() => expect(indicator()).toHaveTextContent('1 instance unreachable · 1 apply queued'));
    const user = userEvent.setup();
    await user.click(indicator());
    expect(indicator()).toHaveAttribute('aria-expanded', 'true');
    const panel = screen.getByRole('region', { name: 'Offline queue' });
    expect(panel).toHaveFocus();
    const item = within(panel).getByRole('listitem', { name: 'Apply to Zeta Prod' });
    expect(item).toHaveTextContent('Waiting');
    expect(item).toHaveTextContent('The instance is hibernating: wake it from the developer portal.');
    expect(within(panel).getByRole('list', { name: 'Unreachable instances' })).toHaveTextContent(
      'Zeta Prod: The instance is hibernating.',
    );

    api.queueList.mockImplementation(() => ok(queueView([queueItem({ status: 'cancelled' })], [])));
    await user.click(within(item).getByRole('button', { name: 'Cancel apply to Zeta Prod' }));
    expect(api.queueCancel).toHaveBeenCalledWith({ id: 'q-1' });
    await waitFor(() => expect(within(item).queryByRole('button')).not.toBeInTheDocument());
    expect(item).toHaveTextContent('Cancelled');
    expect(indicator()).toHaveTextContent(/^Online :/);

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: 'Offline queue' })).not.toBeInTheDocument();
  });

  it('shows why an apply waits only while it waits, then how it ended; “Try now” probes at once', async () => {
    api.queueList.mockImplementation(() => ok(queueView()));
    let drained!: () => void;
    api.queueDrain.mockImplementation(
      () =>
        new Promise((resolve) => {
          drained = () =>
            resolve({
              ok: true,
              value: queueView(
                [queueItem({ status: 'done', applyId: 'ap-9', finishedAt: new Date().toISOString() })],
                [],
              ),
            });
        }),
    );
    render(App, { app });
    const user = userEvent.setup();
    await waitFor(() => expect(indicator()).toHaveTextContent('1 apply queued'));
    await user.click(indicator());
    const panel = screen.getByRole('region', { name: 'Offline queue' });
    const item = within(panel).getByRole('listitem', { name: 'Apply to Zeta Prod' });
    expect(item).toHaveTextContent('hibernating');

    await user.click(within(panel).getByRole('button', { name: 'Try now' }));
    expect(api.queueDrain).toHaveBeenCalledWith({});
    expect(within(panel).getByRole('button', { name: 'Trying…' })).toBeDisabled();
    drained();
    await waitFor(() => expect(item).toHaveTextContent('Done'));
    expect(item).toHaveTextContent(/Applied at /);
    expect(item).not.toHaveTextContent('hibernating');
    expect(within(panel).queryByRole('button', { name: /Try now|Trying/ })).not.toBeInTheDocument();
    expect(indicator()).toHaveTextContent(/^Online :/);

    const emit = [...queueListeners][0]!;
    emit(queueView([queueItem({ status: 'failed', lastError: 'The user may not write.' })], []));
    await waitFor(() => expect(item).toHaveTextContent('The apply failed: The user may not write.'));
    expect(item).not.toHaveTextContent('hibernating');
  });

  it('says so when a cancel comes too late', async () => {
    api.queueList.mockImplementation(() => ok(queueView()));
    api.queueCancel.mockImplementation(() => ok({ cancelled: false }));
    render(App, { app });
    const user = userEvent.setup();
    await waitFor(() => expect(indicator()).toHaveTextContent('1 apply queued'));
    await user.click(indicator());
    await user.click(screen.getByRole('button', { name: 'Cancel apply to Zeta Prod' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('no longer waiting');
  });
});

describe('a queued apply on the Apply screen', () => {
  it('says the apply is queued and will run when the instance answers, not that it failed', async () => {
    app.instances = sortInstances(instances());
    await app.select('zeta');
    app.forms.cancelSave();
    api.applyRun.mockResolvedValue({
      ok: false,
      code: 'queued',
      message: 'Zeta Prod did not answer: the apply is queued.',
      details: { queueEntryId: 'q-1', reason: 'hibernating' },
    });
    api.queueList.mockImplementation(() => ok(queueView()));
    render(ApplyScreen, { app });
    await app.startApply();
    const status = await screen.findByRole('status');
    expect(status).toHaveTextContent('Queued: Zeta Prod did not answer.');
    expect(status).toHaveTextContent('The instance is hibernating');
    expect(status).toHaveTextContent('runs by itself when the instance answers again');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Resume' })).not.toBeInTheDocument();
    expect(api.queueList).toHaveBeenCalled();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Show the queue' }));
    expect(app.queue.open).toBe(true);
  });

  it('after a restart, shows the instance’s waiting apply from the queue', async () => {
    api.queueList.mockImplementation(() => ok(queueView()));
    app.instances = sortInstances(instances());
    await app.queue.load();
    await app.select('zeta');
    app.forms.cancelSave();
    render(ApplyScreen, { app });
    expect(screen.getByRole('status')).toHaveTextContent('Queued: Zeta Prod did not answer.');
    expect(screen.queryByText(/Nothing is being applied/)).not.toBeInTheDocument();
  });
});

describe('stored snapshot on select', () => {
  it('reads the last snapshot without network, runs the instance checks on it and shows its age', async () => {
    const stored = { ...snapshot(), discoveredAt: new Date(Date.now() - 3 * 3600_000).toISOString() };
    api.snapshotGet.mockImplementation(() => ok({ snapshot: stored, snapshotAgeSeconds: 3 * 3600 }));
    app.instances = sortInstances(instances());
    await app.select('acme-dev');
    app.forms.cancelSave();
    expect(api.snapshotGet).toHaveBeenCalledWith({ id: 'acme-dev' });
    expect(api.discoverRun).not.toHaveBeenCalled();
    expect(app.forms.snapshot).toBe(stored);
    render(ConnectionsScreen, { app });
    expect(screen.getByText(/The checks use the snapshot stored 3 h ago/)).toHaveTextContent(
      'the instance may have changed since',
    );
    expect(screen.getByText('Last discovered: 3 h ago')).toBeInTheDocument();
    // The instance-aware note about WCS's active "MS Graph 1" comes from the stored snapshot.
    expect(screen.getAllByText(/MS Graph 1 is active on this alias/).length).toBeGreaterThan(0);
  });

  it('keeps the documented-defaults checks when nothing was ever discovered', async () => {
    app.instances = sortInstances(instances());
    await app.select('acme-dev');
    app.forms.cancelSave();
    render(ConnectionsScreen, { app });
    expect(app.forms.snapshot).toBeNull();
    expect(screen.queryByText(/The checks use the snapshot stored/)).not.toBeInTheDocument();
  });
});
