import { describe, it, expect, vi, beforeEach } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api, progressListeners, resetApi, ok } from './fake-api';
import { applyRecord, instances, INSTANCE_URL, plan, verifiedApplyRecord } from './fixtures';
import { fieldList, fieldRows } from './field-rows';
import { AppState } from '../../src/renderer/src/lib/app.svelte';
import ApplyScreen from '../../src/renderer/src/screens/ApplyScreen.svelte';
import type { ApplyProgress, ApplyRecord } from '../../src/shared/domain/apply';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

beforeEach(() => {
  resetApi();
});

async function applyWith(result: ApplyRecord | { ok: false; code: 'network'; message: string }) {
  let finish!: () => void;
  const gate = new Promise<void>((resolve) => (finish = resolve));
  api.applyRun.mockImplementation(async () => {
    await gate;
    return 'ok' in result ? result : { ok: true as const, value: result };
  });
  const app = new AppState();
  app.instances = instances();
  await app.select('acme-dev');
  app.forms.cancelSave();
  render(ApplyScreen, { app });
  const running = app.startApply();
  return { app, finish: async () => (finish(), await running), user: userEvent.setup() };
}

describe('apply screen: progress', () => {
  it('shows each step as main reports it, then stops listening', async () => {
    const { finish } = await applyWith(applyRecord('succeeded'));
    await waitFor(() => expect(progressListeners.size).toBe(1));
    const emit = [...progressListeners][0]!;
    emit({
      instanceId: 'acme-dev',
      applyId: 'ap-1',
      step: 1,
      total: 3,
      actionId: 'credential:main',
      phase: 'writing',
      message: 'Creating Exchange_Online_Credentials',
    });
    expect(
      await screen.findByText(/Record 1 of 3: Creating Exchange_Online_Credentials/),
    ).toBeInTheDocument();
    emit({
      instanceId: 'acme-dev',
      applyId: 'ap-1',
      step: 1,
      total: 3,
      actionId: 'credential:main',
      phase: 'written',
      message: 'Created Exchange_Online_Credentials',
    });
    emit({
      instanceId: 'acme-dev',
      applyId: 'ap-1',
      step: 2,
      total: 3,
      actionId: 'connection:main',
      phase: 'writing',
      message: 'Updating MS Graph 1',
    });
    await waitFor(() =>
      expect(screen.getAllByRole('listitem').map((e) => e.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
        'written Created Exchange_Online_Credentials',
        'writing Updating MS Graph 1',
      ]),
    );
    expect(screen.getByRole('progressbar')).toHaveAttribute('value', '2');
    await finish();
    expect(progressListeners.size).toBe(0);
  });
});

describe('apply screen: steps list', () => {
  it('keeps every write’s line when the run verifies and finishes: the outcome is its own last line', async () => {
    const { finish } = await applyWith(applyRecord('succeeded'));
    await waitFor(() => expect(progressListeners.size).toBe(1));
    const emit = [...progressListeners][0]!;
    const event = (step: number, actionId: string | null, phase: ApplyProgress['phase'], message: string) =>
      emit({ instanceId: 'acme-dev', applyId: 'ap-1', step, total: 4, actionId, phase, message });
    // The order main's engine sends: one discovery, each write's phases, then verify and done on step 4.
    event(0, null, 'discovering', 'Reading the records this apply touches');
    const writes = ['Cred A', 'Conn A', 'Cred B', 'Conn B'];
    writes.forEach((name, i) => {
      event(i + 1, `a${i}`, 'writing', `Creating ${name}`);
      event(i + 1, `a${i}`, 'written', `Creating ${name}: done`);
    });
    event(4, null, 'verifying', 'Re-reading every touched record');
    const lines = () =>
      within(screen.getByRole('region', { name: /^(Applying…|Steps)$/ }))
        .getAllByRole('listitem')
        .map((e) => e.textContent?.replace(/\s+/g, ' ').trim());
    await waitFor(() => expect(lines().at(-1)).toBe('verifying Re-reading every touched record'));
    event(4, null, 'done', 'Applied and verified');
    await finish();
    const steps = within(screen.getByRole('region', { name: 'Steps' }));
    // Once the run has ended no line still says "verifying" or "discovering" (issue 12): each names how
    // it ended.
    expect(lines()).toEqual([
      'read Reading the records this apply touches',
      ...writes.map((name) => `written Creating ${name}: done`),
      'verified Re-reading every touched record',
      'done Applied and verified',
    ]);
    // The line above the seven-line list counts records, not lines (issue 12: "Step 4 of 4").
    expect(steps.getByText('Applied and verified (4 records)')).toBeInTheDocument();
    expect(steps.queryByText(/Step \d+ of/)).not.toBeInTheDocument();
  });

  it('ends with a failed line after the step that failed, keeping that step’s own line', async () => {
    const { finish } = await applyWith(applyRecord('failed'));
    await waitFor(() => expect(progressListeners.size).toBe(1));
    const emit = [...progressListeners][0]!;
    const event = (step: number, actionId: string | null, phase: ApplyProgress['phase'], message: string) =>
      emit({ instanceId: 'acme-dev', applyId: 'ap-1', step, total: 2, actionId, phase, message });
    event(1, 'credential:main', 'written', 'Creating Cred A: done');
    event(2, 'connection:main', 'writing', 'Creating Conn A');
    event(2, null, 'verifying', 'Re-reading every touched record');
    event(2, null, 'failed', 'Stopped');
    await finish();
    const steps = within(screen.getByRole('region', { name: 'Steps' }));
    // The step that failed says so, not "writing"; the unfinished verification is not "verifying".
    expect(steps.getAllByRole('listitem').map((e) => e.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'written Creating Cred A: done',
      'failed Creating Conn A',
      'not verified Re-reading every touched record',
      'failed Stopped',
    ]);
  });
});

describe('apply screen: success', () => {
  it('shows the verified after state with links that open each record on the instance', async () => {
    const { finish, user } = await applyWith(applyRecord('succeeded'));
    await finish();
    expect(await screen.findByText(/Applied and verified/)).toBeInTheDocument();
    const conn = within(screen.getByRole('article', { name: 'Connection Exchange_Online_Connection' }));
    expect(conn.getByText('Verified')).toBeInTheDocument();
    await user.click(conn.getByRole('button', { name: 'Open Exchange_Online_Connection in ServiceNow' }));
    expect(api.linksOpen).toHaveBeenCalledWith({
      url: `${INSTANCE_URL}/http_connection.do?sys_id=c1`,
      instanceId: 'acme-dev',
    });
  });

  it('gives the Get OAuth Token next step per credential and checks token status', async () => {
    api.tokensStatus.mockImplementation(() =>
      ok([
        {
          credentialName: 'Exchange_Online_Credentials',
          credentialSysId: 'n1',
          hasToken: false,
          expiresAt: null,
          checkedAt: 'x',
        },
        {
          credentialName: 'Exchange_Online_Credentials_clientCred',
          credentialSysId: 'k2',
          hasToken: true,
          expiresAt: null,
          checkedAt: 'x',
        },
      ]),
    );
    const record = applyRecord('succeeded');
    const { finish, user } = await applyWith(record);
    await finish();
    const next = within(await screen.findByRole('region', { name: /Next steps/ }));

    await user.click(next.getByRole('button', { name: 'Get OAuth Token for Exchange_Online_Credentials' }));
    const authorize = api.linksOpen.mock.calls.at(-1)![0].url;
    expect(authorize).toBe(record.nextSteps[0]!.authorizeUrl);
    expect(authorize).toContain('/oauth_initiator.do?');
    expect(next.getByText(record.nextSteps[0]!.authorizeUrl!)).toBeInTheDocument();

    await user.click(
      next.getByRole('button', { name: 'Get OAuth Token for Exchange_Online_Credentials_clientCred' }),
    );
    expect(api.linksOpen.mock.calls.at(-1)![0].url).toBe(record.nextSteps[1]!.credentialUrl);

    await user.click(next.getByRole('button', { name: 'Check token status' }));
    const table = within(await next.findByRole('table', { name: 'Token status' }));
    expect(api.tokensStatus).toHaveBeenCalledWith({ id: 'acme-dev' });
    expect(
      within(table.getByRole('row', { name: /Exchange_Online_Credentials_clientCred/ })).getByText(
        'Has a token',
      ),
    ).toBeInTheDocument();
    expect(
      within(table.getByRole('row', { name: /^Exchange_Online_Credentials No token/ })).getByText(
        'No token yet',
      ),
    ).toBeInTheDocument();
  });
});

describe('apply screen: verified after state', () => {
  it('lays the records out by table: Table 1 left, Table 2 right, whatever order they were written in', async () => {
    const { finish } = await applyWith(verifiedApplyRecord());
    await finish();
    const after = within(await screen.findByRole('region', { name: 'Verified after state' }));
    const columns = after.getAllByRole('region').map((c) => within(c));
    expect(columns).toHaveLength(2);
    const [left, right] = columns;
    expect(left!.getByRole('heading', { level: 4 })).toHaveTextContent('Table 1 — Microsoft_Exchange_Online');
    expect(left!.getAllByRole('article').map((a) => a.getAttribute('aria-label'))).toEqual([
      'Credential Exchange_Online_Credentials',
      'Connection Exchange_Online_Connection',
    ]);
    expect(right!.getByRole('heading', { level: 4 })).toHaveTextContent(
      'Table 2 — Microsoft_Exchange_Online_clientCred',
    );
    expect(right!.getAllByRole('article').map((a) => a.getAttribute('aria-label'))).toEqual([
      'Connection Exchange_Online_Connection_clientCred',
    ]);
  });

  it('shows the fields the consultant set first, labelled and by name, and folds the system fields away', async () => {
    const { finish } = await applyWith(verifiedApplyRecord());
    await finish();
    const credential = await screen.findByRole('article', { name: 'Credential Exchange_Online_Credentials' });
    const credentialFields = fieldList(credential, 'Fields of Credential Exchange_Online_Credentials');
    expect(fieldRows(credentialFields)).toEqual([
      ['Name', 'Exchange_Online_Credentials'],
      ['Active', 'true'],
      ['Domain', 'global'],
      ['OAuth profile', 'Microsoft Exchange Online default_profile'],
      ['Applies to', 'all'],
      ['Order', '100'],
    ]);
    // Nothing raw or of the platform's among the consultant's fields.
    expect(credentialFields).not.toHaveTextContent(/sys_|a1b2c3d4e5f60718293a4b5c6d7e8f90|application/);
    const system = within(credential).getByText('System fields (6)').closest('details')!;
    expect(system).not.toHaveAttribute('open');
    expect(
      fieldRows(fieldList(system, 'System fields of Credential Exchange_Online_Credentials')),
    ).toContainEqual(['sys_mod_count', '0']);
    const other = within(credential).getByText('Other fields (3)').closest('details')!;
    expect(other).not.toHaveAttribute('open');

    // The adopted connection: what changed, by name (its new credential's, not a sys_id), the rest folded.
    const connection = screen.getByRole('article', { name: 'Connection Exchange_Online_Connection' });
    expect(fieldRows(fieldList(connection, 'Fields of Connection Exchange_Online_Connection'))).toEqual([
      ['Name', 'MS Graph 1 → Exchange_Online_Connection'],
      ['Credential', 'Old_Graph_Credentials → Exchange_Online_Credentials'],
    ]);
    expect(
      fieldRows(fieldList(connection, 'Unchanged: Fields of Connection Exchange_Online_Connection')),
    ).toEqual([
      ['Connection alias', 'Microsoft_Exchange_Online'],
      ['Connection URL', 'https://graph.microsoft.com'],
      ['Use MID server', 'false'],
      ['Active', 'true'],
      ['Domain', 'global'],
    ]);
    // Empty MID fields of a connection without MID are not the consultant's: they wait with the others.
    const others = fieldRows(fieldList(connection, 'Other fields of Connection Exchange_Online_Connection'));
    expect(others.map(([label]) => label)).toEqual(
      expect.arrayContaining(['MID selection', 'MID Server', 'host', 'port']),
    );

    const table2 = screen.getByRole('article', { name: 'Connection Exchange_Online_Connection_clientCred' });
    expect(
      fieldRows(fieldList(table2, 'Fields of Connection Exchange_Online_Connection_clientCred')).slice(0, 3),
    ).toEqual([
      ['Name', 'Exchange_Online_Connection_clientCred'],
      ['Credential', 'Exchange_Online_Credentials_clientCred'],
      ['Connection alias', 'Microsoft_Exchange_Online_clientCred'],
    ]);
  });
});

describe('apply screen: failure', () => {
  it('says what failed in plain words and what was and was not written', async () => {
    const { finish } = await applyWith(applyRecord('failed'));
    await finish();
    const alert = screen.getAllByRole('alert')[0]!;
    expect(alert).toHaveTextContent('The instance refused the operation');
    expect(alert).toHaveTextContent('The user lacks the connection_admin role.');
    expect(alert).toHaveTextContent('The instance said: Operation Failed: ACL');
    expect(alert).toHaveTextContent('1 of 3 steps were written');
    const rows = within(screen.getByRole('region', { name: 'What was written' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').at(-1)!.textContent)).toEqual([
      expect.stringContaining('Written'),
      expect.stringContaining('Failed'),
      expect.stringContaining('Not written'),
    ]);
    expect(screen.queryByRole('region', { name: /Next steps/ })).not.toBeInTheDocument();
  });

  it('resumes', async () => {
    api.applyResume.mockImplementation(() => ok(applyRecord('succeeded')));
    const { finish, user } = await applyWith(applyRecord('failed'));
    await finish();
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    expect(api.applyResume).toHaveBeenCalledWith({ id: 'acme-dev' });
    expect(await screen.findByText(/Applied and verified/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Resume' })).not.toBeInTheDocument();
  });

  it('rolls back only after showing the rollback plan and a confirmation', async () => {
    const rollback = plan();
    rollback.actions = [{ ...rollback.actions[0]!, op: 'delete' }];
    api.rollbackPlan.mockImplementation(() => ok(rollback));
    api.rollbackRun.mockImplementation(() => ok({ ...applyRecord('succeeded'), kind: 'rollback' as const }));
    const { finish, user } = await applyWith(applyRecord('failed'));
    await finish();

    await user.click(screen.getByRole('button', { name: 'Roll back' }));
    const section = within(await screen.findByRole('region', { name: 'Rollback plan' }));
    expect(section.getByRole('article', { name: /Exchange_Online_Credentials/ })).toHaveTextContent('Delete');
    expect(api.rollbackRun).not.toHaveBeenCalled();
    await user.click(section.getByRole('button', { name: 'Confirm roll back' }));
    expect(api.rollbackRun).toHaveBeenCalledWith({ id: 'acme-dev' });
    expect(await screen.findByText(/Rolled back/)).toBeInTheDocument();
  });

  it('offers Resume and Roll back when the apply call itself failed', async () => {
    const { finish } = await applyWith({
      ok: false,
      code: 'network',
      message: 'The instance could not be reached.',
    });
    await finish();
    expect(screen.getByRole('alert')).toHaveTextContent('The instance could not be reached.');
    expect(screen.getByRole('button', { name: 'Resume' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Roll back' })).toBeEnabled();
  });
});
