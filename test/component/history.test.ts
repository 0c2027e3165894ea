import { describe, it, expect, vi, beforeEach } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api, resetApi, ok } from './fake-api';
import { applyRecord, instances, plan, verifiedApplyRecord } from './fixtures';
import { fieldList, fieldRows } from './field-rows';
import { AppState } from '../../src/renderer/src/lib/app.svelte';
import HistoryScreen from '../../src/renderer/src/screens/HistoryScreen.svelte';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

beforeEach(() => {
  resetApi();
});

describe('history screen', () => {
  it('lists past applies, shows one with its before/after and exports its report', async () => {
    api.historyList.mockImplementation(() =>
      ok([
        {
          applyId: 'ap-0',
          kind: 'apply',
          status: 'failed',
          startedAt: '2026-02-01T10:00:00.000Z',
          finishedAt: null,
          created: 0,
          updated: 0,
          deleted: 0,
          failed: 1,
        },
        {
          applyId: 'ap-1',
          kind: 'apply',
          status: 'succeeded',
          startedAt: '2026-03-01T10:00:00.000Z',
          finishedAt: null,
          created: 1,
          updated: 1,
          deleted: 0,
          failed: 0,
        },
      ]),
    );
    api.historyGet.mockImplementation(() => ok(applyRecord('succeeded')));
    api.reportExport.mockImplementation(({ format }) => ok({ path: `/tmp/reports/ap-1.${format}` }));
    const app = new AppState();
    app.instances = instances();
    await app.select('acme-dev');
    app.forms.cancelSave();
    render(HistoryScreen, { app });
    const user = userEvent.setup();

    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(3));
    expect(api.historyList).toHaveBeenCalledWith({ id: 'acme-dev' });
    // Newest first.
    const [first, second] = screen.getAllByRole('row').slice(1);
    expect(first).toHaveTextContent('succeeded');
    expect(second).toHaveTextContent('failed');

    await user.click(within(first!).getByRole('button', { name: /^View/ }));
    expect(api.historyGet).toHaveBeenCalledWith({ id: 'acme-dev', applyId: 'ap-1' });
    const conn = within(
      await screen.findByRole('article', { name: 'Connection Exchange_Online_Connection' }),
    );
    expect(conn.getByText('MS Graph 1').tagName).toBe('DEL');
    expect(conn.getByText('Exchange_Online_Connection', { selector: 'ins' })).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Report format'), 'json');
    await user.click(screen.getByRole('button', { name: 'Export report' }));
    expect(api.reportExport).toHaveBeenCalledWith({ id: 'acme-dev', applyId: 'ap-1', format: 'json' });
    expect(await screen.findByRole('status')).toHaveTextContent('Report saved to /tmp/reports/ap-1.json');
  });

  it('shows an apply’s records like the review: by table, by name, the system fields folded away', async () => {
    api.historyList.mockImplementation(() =>
      ok([
        {
          applyId: 'ap-1',
          kind: 'apply',
          status: 'succeeded',
          startedAt: '2026-03-01T10:00:00.000Z',
          finishedAt: null,
          created: 2,
          updated: 1,
          deleted: 0,
          failed: 0,
        },
      ]),
    );
    api.historyGet.mockImplementation(() => ok(verifiedApplyRecord()));
    const app = new AppState();
    app.instances = instances();
    await app.select('acme-dev');
    app.forms.cancelSave();
    render(HistoryScreen, { app });
    await userEvent.setup().click(await screen.findByRole('button', { name: /^View/ }));

    const detail = within(await screen.findByRole('region', { name: /^Apply of / }));
    const table2 = within(
      detail.getByRole('region', { name: 'Table 2 — Microsoft_Exchange_Online_clientCred' }),
    );
    const connection = table2.getByRole('article', {
      name: 'Connection Exchange_Online_Connection_clientCred',
    });
    expect(
      fieldRows(fieldList(connection, 'Fields of Connection Exchange_Online_Connection_clientCred')).slice(
        0,
        2,
      ),
    ).toEqual([
      ['Name', 'Exchange_Online_Connection_clientCred'],
      ['Credential', 'Exchange_Online_Credentials_clientCred'],
    ]);
    expect(within(connection).getByText('System fields (6)').closest('details')).not.toHaveAttribute('open');
    const table1 = within(detail.getByRole('region', { name: 'Table 1 — Microsoft_Exchange_Online' }));
    expect(table1.getAllByRole('article')).toHaveLength(2);
  });

  it('offers Roll back for the last successful apply: its own plan first, run only once confirmed', async () => {
    const summary = (applyId: string, kind: 'apply' | 'rollback', startedAt: string) => ({
      applyId,
      kind,
      status: 'succeeded' as const,
      startedAt,
      finishedAt: null,
      created: kind === 'apply' ? 4 : 0,
      updated: 0,
      deleted: kind === 'rollback' ? 4 : 0,
      failed: 0,
    });
    const older = summary('ap-0', 'apply', '2026-02-01T10:00:00.000Z');
    const last = summary('ap-1', 'apply', '2026-03-01T10:00:00.000Z');
    api.historyList.mockImplementation(() => ok([older, last]));
    api.historyGet.mockImplementation(({ applyId }) => ok({ ...applyRecord('succeeded'), applyId }));
    const rollback = plan();
    // A deleted credential as the rollback planner lists it: every field, some of them empty.
    rollback.actions = [
      {
        ...rollback.actions[0]!,
        op: 'delete',
        changes: {
          name: { before: 'Exchange_Online_Credentials', after: null },
          order: { before: '100', after: null },
          mid_list: { before: '', after: null },
          tag: { before: '', after: null },
        },
      },
    ];
    api.rollbackPlan.mockImplementation(() => ok(rollback));
    api.rollbackRun.mockImplementation(() => {
      api.historyList.mockImplementation(() =>
        ok([older, last, summary('rb-1', 'rollback', '2026-03-02T10:00:00.000Z')]),
      );
      return ok({ ...applyRecord('succeeded'), applyId: 'rb-1', kind: 'rollback' as const });
    });
    const app = new AppState();
    app.instances = instances();
    await app.select('acme-dev');
    app.forms.cancelSave();
    render(HistoryScreen, { app });
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(3));
    const [newest, oldest] = screen.getAllByRole('row').slice(1);

    // An older apply: main can only roll back the last one, so it is not offered.
    await user.click(within(oldest!).getByRole('button', { name: /^View/ }));
    await screen.findByRole('region', { name: /^Apply of / });
    expect(screen.queryByRole('button', { name: 'Roll back this apply' })).not.toBeInTheDocument();

    await user.click(within(newest!).getByRole('button', { name: /^View/ }));
    await user.click(await screen.findByRole('button', { name: 'Roll back this apply' }));
    expect(api.rollbackPlan).toHaveBeenCalledWith({ id: 'acme-dev' });
    const section = within(await screen.findByRole('region', { name: 'Rollback plan' }));
    const deleted = section.getByRole('article', { name: /Exchange_Online_Credentials/ });
    expect(deleted).toHaveTextContent('Delete');
    // Its filled fields are shown struck out; its empty ones lose nothing and are left out (issue 12 walk).
    expect(deleted).toHaveTextContent('Order');
    expect(deleted).not.toHaveTextContent('MID servers');
    expect(deleted).not.toHaveTextContent('Credential alias');
    expect(api.rollbackRun).not.toHaveBeenCalled();
    await user.click(section.getByRole('button', { name: 'Confirm roll back' }));
    expect(api.rollbackRun).toHaveBeenCalledWith({ id: 'acme-dev' });
    expect(await screen.findByText(/^Rolled back/)).toBeInTheDocument();
    // The list now holds the rollback, newest first; the apply it undid is no longer offered.
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(4));
    // Issue 12: the rollback's deletions are counted, in their own column (as the CLI's history does).
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent?.trim());
    const rollbackRow = within(screen.getAllByRole('row')[1]!).getAllByRole('cell');
    expect(rollbackRow[0]!.closest('tr')).toHaveTextContent('Rollback');
    expect(rollbackRow[headers.indexOf('Deleted')]).toHaveTextContent(/^4$/);
    expect(rollbackRow[headers.indexOf('Created')]).toHaveTextContent(/^0$/);
    await user.click(within(screen.getAllByRole('row')[2]!).getByRole('button', { name: /^View/ }));
    await screen.findByRole('region', { name: /^Apply of / });
    expect(screen.queryByRole('button', { name: 'Roll back this apply' })).not.toBeInTheDocument();
  });

  it('says so when nothing was applied yet', async () => {
    const app = new AppState();
    app.instances = instances();
    await app.select('acme-dev');
    app.forms.cancelSave();
    render(HistoryScreen, { app });
    expect(await screen.findByText(/Nothing has been applied/)).toBeInTheDocument();
  });
});
