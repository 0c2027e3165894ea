import { describe, it, expect, vi, beforeEach } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api, fleetListeners, queueListeners, resetApi, ok } from './fake-api';
import { instances } from './fixtures';
import { fleetPlan, outcome, planItem, queueItem, queueView } from './fleet-fixtures';
import { AppState, sortInstances } from '../../src/renderer/src/lib/app.svelte';
import FleetScreen from '../../src/renderer/src/screens/FleetScreen.svelte';
import type { FleetApplyView } from '../../src/shared/ipc/contract';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

beforeEach(() => {
  resetApi();
});

function setup() {
  const app = new AppState();
  app.instances = sortInstances(instances());
  render(FleetScreen, { app });
  return { app, user: userEvent.setup() };
}

async function planAll(user: ReturnType<typeof userEvent.setup>) {
  api.fleetPlan.mockResolvedValue({ ok: true, value: fleetPlan() });
  await user.click(screen.getByRole('checkbox', { name: /Select all/ }));
  await user.click(screen.getByRole('button', { name: 'Plan all (3)' }));
  return screen.findByRole('table', { name: 'Plan per instance' });
}

const rowOf = (table: HTMLElement, name: RegExp) =>
  within(table)
    .getAllByRole('row')
    .find((r) => within(r).queryByRole('rowheader', { name }))!;

describe('fleet: selection and review', () => {
  it('selects instances one by one or all, and plans only the selected ones', async () => {
    const { user } = setup();
    const plan = screen.getByRole('button', { name: /Plan all/ });
    expect(plan).toBeDisabled();
    await user.click(screen.getByRole('checkbox', { name: 'Acme Dev' }));
    await user.click(screen.getByRole('checkbox', { name: 'Zeta Prod' }));
    expect(screen.getByRole('checkbox', { name: /Select all/ })).toHaveProperty('indeterminate', true);
    api.fleetPlan.mockResolvedValue({ ok: true, value: fleetPlan() });
    await user.click(screen.getByRole('button', { name: 'Plan all (2)' }));
    // In the list's order (demo first, then by name), whatever order they were ticked in.
    expect(api.fleetPlan).toHaveBeenCalledWith({ ids: ['acme-dev', 'zeta'] });
  });

  it('summarises each instance: counts, not-ready reason, snapshot age, and expands to the before/after', async () => {
    const { user } = setup();
    const table = await planAll(user);

    const acme = rowOf(table, /Acme Dev/);
    expect(
      within(acme)
        .getAllByRole('cell')
        .map((c) => c.textContent?.trim()),
    ).toEqual(['2', '1', '1', '0', 'just now', '']);
    const zeta = rowOf(table, /Zeta Prod/);
    expect(zeta).toHaveTextContent('2 h ago');
    expect(zeta).toHaveTextContent('Old snapshot');
    expect(zeta).toHaveTextContent('Offline: planned from the last stored snapshot.');
    const demo = rowOf(table, /Demo instance/);
    // At 1024 px the Instance column is narrow: its URL wraps after . and /, never inside the port.
    const url = demo.querySelector('.url')!;
    expect(url.innerHTML.replace(/<!---->/g, '')).toBe('http:/<wbr>/<wbr>127.<wbr>0.<wbr>0.<wbr>1:43117');
    expect(demo).toHaveTextContent('No plan');
    expect(demo).toHaveTextContent('Not ready');
    expect(demo).toHaveTextContent('The Microsoft Exchange Online spoke is not installed.');
    expect(
      within(screen.getByRole('list', { name: 'Totals' })).getAllByRole('listitem')[0],
    ).toHaveTextContent('5 to create');

    const expand = within(acme).getByRole('button', { name: /Acme Dev/ });
    expect(expand).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('heading', { name: /Table 1/ })).not.toBeInTheDocument();
    await user.click(expand);
    expect(expand).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('heading', { name: /Table 1/ })).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: /Connection\s+Exchange_Online_Connection$/ }),
    ).toBeInTheDocument();
    // A not-ready instance has nothing to expand.
    expect(within(demo).queryByRole('button')).not.toBeInTheDocument();
  });
});

describe('fleet: apply', () => {
  it('asks to confirm, applies only the ready instances, and shows a labelled progress bar per instance', async () => {
    const { user } = setup();
    await planAll(user);
    let finish!: (v: FleetApplyView) => void;
    api.fleetApply.mockImplementation(
      () => new Promise((resolve) => (finish = (value) => resolve({ ok: true, value }))),
    );
    await user.click(screen.getByRole('button', { name: 'Apply to 2 instances' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Apply to 2 instances?' });
    expect(api.fleetApply).not.toHaveBeenCalled();
    await user.click(within(confirm).getByRole('button', { name: 'Confirm apply' }));
    expect(api.fleetApply).toHaveBeenCalledWith({ ids: ['acme-dev', 'zeta'] });

    const bars = () => screen.getAllByRole('progressbar');
    expect(bars().map((b) => b.getAttribute('aria-valuetext'))).toEqual(['Waiting', 'Waiting']);
    await waitFor(() => expect(fleetListeners.size).toBe(1));
    const emit = [...fleetListeners][0]!;
    emit({
      instanceId: 'acme-dev',
      phase: 'applying',
      step: 1,
      total: 4,
      message: 'Creating the credential',
    });
    emit({ instanceId: 'zeta', phase: 'discovering', step: 0, total: 0, message: 'Reading the instance' });
    emit({ instanceId: 'someone-else', phase: 'applying', step: 1, total: 1, message: 'not ours' });
    const acme = await screen.findByRole('progressbar', { name: 'Acme Dev' });
    await waitFor(() => expect(acme).toHaveAttribute('value', '0.25'));
    expect(acme).toHaveAccessibleDescription('Step 1 of 4: Creating the credential');
    expect(screen.getByRole('progressbar', { name: 'Zeta Prod' })).toHaveAccessibleDescription(
      'Reading the instance',
    );
    expect(bars()).toHaveLength(2);

    finish({
      outcomes: [
        outcome({ instanceId: 'acme-dev', name: 'Acme Dev' }),
        outcome({
          instanceId: 'zeta',
          name: 'Zeta Prod',
          status: 'failed',
          ok: false,
          code: 'forbidden',
          message: 'The user may not write HTTP(s) Connections: give it the admin role.',
        }),
      ],
      succeeded: ['acme-dev'],
      failed: ['zeta'],
      queued: [],
    });
    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(fleetListeners.size).toBe(0);
    expect(within(summary).getByRole('list', { name: 'Totals' })).toHaveTextContent(
      /1\s*succeeded\s*1\s*failed\s*0\s*queued/,
    );
    expect(
      within(within(summary).getByRole('row', { name: /Zeta Prod/ }))
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['Failed', 'The user may not write HTTP(s) Connections: give it the admin role.']);
  });

  it('retries only the failed instances and keeps the others’ outcomes; queued ones are not retried', async () => {
    const { user } = setup();
    await planAll(user);
    api.fleetApply.mockResolvedValueOnce({
      ok: true,
      value: {
        outcomes: [
          outcome({
            instanceId: 'acme-dev',
            name: 'Acme Dev',
            status: 'queued',
            ok: false,
            message: 'Hibernating: queued.',
            queueEntryId: 'q-1',
          }),
          outcome({
            instanceId: 'zeta',
            name: 'Zeta Prod',
            status: 'failed',
            ok: false,
            message: 'Timed out.',
          }),
        ],
        succeeded: [],
        failed: ['zeta'],
        queued: ['acme-dev'],
      },
    });
    await user.click(screen.getByRole('button', { name: 'Apply to 2 instances' }));
    await user.click(screen.getByRole('button', { name: 'Confirm apply' }));
    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(within(summary).getByRole('row', { name: /Acme Dev/ })).toHaveTextContent('Queued');
    expect(summary).toHaveTextContent('Queued applies run by themselves');

    api.fleetApply.mockImplementationOnce(() =>
      ok({
        outcomes: [outcome({ instanceId: 'zeta', name: 'Zeta Prod' })],
        succeeded: ['zeta'],
        failed: [],
        queued: [],
      }),
    );
    await user.click(within(summary).getByRole('button', { name: 'Retry failed (1)' }));
    expect(api.fleetApply).toHaveBeenLastCalledWith({ ids: ['zeta'] });
    const after = await screen.findByRole('region', { name: 'Summary' });
    await waitFor(() =>
      expect(within(after).getByRole('row', { name: /Zeta Prod/ })).toHaveTextContent('Succeeded'),
    );
    expect(within(after).getByRole('row', { name: /Acme Dev/ })).toHaveTextContent('Queued');
    expect(within(after).queryByRole('button', { name: /Retry failed/ })).not.toBeInTheDocument();
  });

  it('follows a queued outcome through the queue: its bar and the summary end with how it finished', async () => {
    const { user } = setup();
    await planAll(user);
    api.fleetApply.mockResolvedValueOnce({
      ok: true,
      value: {
        outcomes: [
          outcome({ instanceId: 'acme-dev', name: 'Acme Dev' }),
          outcome({
            instanceId: 'zeta',
            name: 'Zeta Prod',
            status: 'queued',
            ok: false,
            message: 'Zeta Prod is hibernating: the apply is queued and runs when it answers.',
            queueEntryId: 'q-1',
          }),
        ],
        succeeded: ['acme-dev'],
        failed: [],
        queued: ['zeta'],
      },
    });
    await user.click(screen.getByRole('button', { name: 'Apply to 2 instances' }));
    await user.click(screen.getByRole('button', { name: 'Confirm apply' }));
    const summary = await screen.findByRole('region', { name: 'Summary' });
    const totals = within(summary).getByRole('list', { name: 'Totals' });
    expect(totals).toHaveTextContent(/1\s*succeeded\s*0\s*failed\s*1\s*queued/);
    const bar = screen.getByRole('progressbar', { name: 'Zeta Prod' });
    await waitFor(() => expect(queueListeners.size).toBe(1));
    const changed = [...queueListeners][0]!;

    // The queue's run reports progress like a fleet run; others' events are not ours.
    const progress = [...fleetListeners][0]!;
    progress({
      instanceId: 'zeta',
      phase: 'applying',
      step: 2,
      total: 4,
      message: 'Creating the connection',
    });
    await waitFor(() => expect(bar).toHaveAttribute('value', '0.5'));
    changed(queueView([queueItem({ status: 'running' })]));
    expect(totals).toHaveTextContent(/1\s*queued/);

    changed(queueView([queueItem({ status: 'done', applyId: 'ap-7' })], []));
    await waitFor(() => expect(totals).toHaveTextContent(/2\s*succeeded\s*0\s*failed\s*0\s*queued/));
    expect(within(summary).getByRole('row', { name: /Zeta Prod/ })).toHaveTextContent('Succeeded');
    expect(bar).toHaveAttribute('aria-valuetext', expect.stringMatching(/^Done/));
    expect(bar).toHaveAttribute('value', '1');
    // Nothing is left to follow.
    expect(queueListeners.size).toBe(0);
    expect(fleetListeners.size).toBe(0);
  });

  it('a queued apply that fails ends as failed, offered for retry', async () => {
    const { user } = setup();
    await planAll(user);
    api.fleetApply.mockResolvedValueOnce({
      ok: true,
      value: {
        outcomes: [
          outcome({
            instanceId: 'zeta',
            name: 'Zeta Prod',
            status: 'queued',
            ok: false,
            queueEntryId: 'q-1',
          }),
        ],
        succeeded: [],
        failed: [],
        queued: ['zeta'],
      },
    });
    await user.click(screen.getByRole('button', { name: 'Apply to 2 instances' }));
    await user.click(screen.getByRole('button', { name: 'Confirm apply' }));
    const summary = await screen.findByRole('region', { name: 'Summary' });
    await waitFor(() => expect(queueListeners.size).toBe(1));
    [...queueListeners][0]!(queueView([queueItem({ status: 'failed', lastError: 'Forbidden.' })], []));
    await waitFor(() =>
      expect(within(summary).getByRole('row', { name: /Zeta Prod/ })).toHaveTextContent(
        'The queued apply failed: Forbidden.',
      ),
    );
    expect(within(summary).getByRole('button', { name: 'Retry failed (1)' })).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Zeta Prod' })).toHaveAttribute(
      'aria-valuetext',
      'Failed',
    );
  });

  it('applies (queues) an instance never discovered that does not answer, saying so on its row', async () => {
    const { user } = setup();
    const view = fleetPlan();
    view.instances[1] = planItem({
      instanceId: 'zeta',
      name: 'Zeta Prod',
      counts: null,
      plan: null,
      snapshotAgeSeconds: null,
      offline: true,
      plannedWhenAnswers: true,
    });
    api.fleetPlan.mockImplementation(() => ok(view));
    await user.click(screen.getByRole('checkbox', { name: /Select all/ }));
    await user.click(screen.getByRole('button', { name: /Plan all/ }));
    const table = await screen.findByRole('table', { name: 'Plan per instance' });
    const zeta = rowOf(table, /Zeta Prod/);
    expect(zeta).toHaveTextContent(
      'Not discovered yet and not answering: the apply will be queued and planned when it answers.',
    );
    expect(zeta).toHaveTextContent('Will be queued');
    expect(zeta).not.toHaveTextContent('Not ready');
    expect(zeta).not.toHaveTextContent('Up to date');
    await user.click(screen.getByRole('button', { name: 'Apply to 2 instances' }));
    expect(screen.getByRole('alertdialog', { name: 'Apply to 2 instances?' })).toHaveTextContent('Zeta Prod');
  });

  it('offers nothing to apply when every instance is blocked, up to date or not ready', async () => {
    const { user } = setup();
    const view = fleetPlan();
    view.instances = view.instances.map((i) => ({
      ...i,
      counts: i.counts && { ...i.counts, create: 0, update: 0 },
    }));
    api.fleetPlan.mockImplementation(() => ok(view));
    await user.click(screen.getByRole('checkbox', { name: /Select all/ }));
    await user.click(screen.getByRole('button', { name: /Plan all/ }));
    expect(await screen.findByText(/Nothing to apply/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
  });
});
