import { describe, it, expect, vi, beforeEach } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api, resetApi, ok } from './fake-api';
import { applyRecord, blockedPlan, instances, plan } from './fixtures';
import { AppState } from '../../src/renderer/src/lib/app.svelte';
import PlanDiff from '../../src/renderer/src/components/PlanDiff.svelte';
import ReviewScreen from '../../src/renderer/src/screens/ReviewScreen.svelte';
import type { PlanView } from '../../src/shared/ipc/contract';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

beforeEach(() => {
  resetApi();
});

function column(name: RegExp) {
  return within(screen.getByRole('region', { name }));
}
function record(name: RegExp) {
  return within(screen.getByRole('article', { name }));
}
/** The dl row of a field inside a record: its term and its value. */
function fieldRow(article: ReturnType<typeof record>, label: string) {
  const term = article.getAllByRole('term').find((t) => t.textContent?.trim().startsWith(label));
  if (!term) throw new Error(`No field ${label}`);
  return term.parentElement!;
}

describe('PlanDiff', () => {
  it('puts Table 1 records left and Table 2 records right, each with its operation', () => {
    render(PlanDiff, { plan: plan() });
    const [left, right] = screen.getAllByRole('region');
    expect(left).toHaveAccessibleName('Table 1 — Microsoft_Exchange_Online');
    expect(right).toHaveAccessibleName('Table 2 — Microsoft_Exchange_Online_clientCred');
    const t1 = column(/^Table 1/);
    expect(t1.getByRole('article', { name: /Credential\s+Exchange_Online_Credentials$/ })).toHaveTextContent(
      'New',
    );
    expect(t1.getByRole('article', { name: /Connection\s+Exchange_Online_Connection$/ })).toHaveTextContent(
      'Changed',
    );
    const t2 = column(/^Table 2/);
    expect(t2.getByRole('article', { name: /Exchange_Online_Credentials_clientCred/ })).toHaveTextContent(
      'Unchanged',
    );
    expect(
      t2.queryByRole('article', { name: /Connection\s+Exchange_Online_Connection$/ }),
    ).not.toBeInTheDocument();
  });

  it('shows changed fields as before → after, new fields with their value, unchanged ones folded', () => {
    render(PlanDiff, { plan: plan() });
    const conn = record(/Connection\s+Exchange_Online_Connection$/);
    const name = fieldRow(conn, 'Name');
    expect(name).toHaveClass('f-changed');
    expect(name.querySelector('del')).toHaveTextContent('MS Graph 1');
    expect(name.querySelector('ins')).toHaveTextContent('Exchange_Online_Connection');
    // Connection URL and Active did not change: folded under a summary that counts them.
    expect(conn.getByText('2 unchanged fields')).toBeInTheDocument();
    expect(fieldRow(conn, 'Connection URL')).toHaveClass('f-unchanged');

    const cred = record(/Credential\s+Exchange_Online_Credentials$/);
    const profile = fieldRow(cred, 'OAuth profile');
    expect(profile).toHaveClass('f-new');
    expect(profile.querySelector('ins')).toHaveTextContent('Microsoft Exchange Online default_profile');
    expect(profile.querySelector('del')).toBeNull();
  });

  it('calls out an adopted record and a blocked one with its reason', () => {
    render(PlanDiff, { plan: blockedPlan() });
    expect(
      record(/Connection\s+Exchange_Online_Connection$/).getByText(
        /Adopts the existing connection “MS Graph 1”/,
      ),
    ).toBeInTheDocument();
    const blocked = record(/Exchange_Online_Connection_clientCred/);
    expect(blocked).not.toBeNull();
    expect(screen.getByRole('article', { name: /Exchange_Online_Connection_clientCred/ })).toHaveClass(
      'op-blocked',
    );
    expect(
      blocked.getByText(/Blocked: The name Exchange_Online_Connection_clientCred is taken/),
    ).toBeInTheDocument();
  });
});

describe('Review screen', () => {
  async function setup(view: PlanView) {
    const app = new AppState();
    app.instances = instances();
    await app.select('acme-dev');
    app.forms.cancelSave();
    app.planView = view;
    render(ReviewScreen, { app });
    return { app, user: userEvent.setup() };
  }

  it('counts the records to create, update and leave, and calls out an old snapshot', async () => {
    await setup({ plan: plan(), issues: [], snapshotAgeSeconds: 3 * 3600 });
    const summary = within(screen.getByRole('list', { name: 'Plan summary' }));
    expect(summary.getByText(/to create/)).toHaveTextContent('2 to create');
    expect(summary.getByText(/to update/)).toHaveTextContent('1 to update');
    expect(summary.getByText(/unchanged/)).toHaveTextContent('1 unchanged');
    expect(screen.getByText(/discovered 3 h ago/)).toBeInTheDocument();
  });

  it('does not mention the snapshot age when it is fresh', async () => {
    await setup({ plan: plan(), issues: [], snapshotAgeSeconds: 30 });
    expect(screen.queryByText(/may have changed since/)).not.toBeInTheDocument();
  });

  it('asks for confirmation before applying, then applies the forms', async () => {
    api.applyRun.mockImplementation(() => ok(applyRecord('succeeded')));
    const { app, user } = await setup({ plan: plan(), issues: [], snapshotAgeSeconds: 30 });
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    const dialog = screen.getByRole('alertdialog', { name: /Apply 3 changes to Acme Dev/ });
    expect(dialog).toHaveFocus();
    expect(api.applyRun).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(api.applyRun).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Apply' }));
    await user.click(screen.getByRole('button', { name: 'Confirm apply' }));
    await waitFor(() => expect(api.applyRun).toHaveBeenCalledTimes(1));
    expect(api.applyRun.mock.calls[0]![0]).toEqual({ id: 'acme-dev', ...app.forms.inputs });
    expect(app.screen).toBe('apply');
  });

  it('refuses to apply a blocked plan', async () => {
    await setup({ plan: blockedPlan(), issues: [], snapshotAgeSeconds: 30 });
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
    expect(screen.getByText(/blocked records/)).toBeInTheDocument();
  });
});
