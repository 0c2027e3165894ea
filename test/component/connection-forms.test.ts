import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api, resetApi, ok } from './fake-api';
import { draftOf, instances, snapshot } from './fixtures';
import { AppState } from '../../src/renderer/src/lib/app.svelte';
import { validateForms } from '../../src/renderer/src/lib/form-validation';
import { toInput, toModel } from '../../src/renderer/src/lib/form-model';
import ConnectionsScreen from '../../src/renderer/src/screens/ConnectionsScreen.svelte';
import { defaultForm } from '../../src/shared/domain/desired-state';
import { ALIASES } from '../../src/shared/servicenow/spoke';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

const TABLE1 = 'Table 1 — Microsoft_Exchange_Online';
const TABLE2 = 'Table 2 — Microsoft_Exchange_Online_clientCred';

const apps: AppState[] = [];

async function setup() {
  const app = new AppState();
  apps.push(app);
  app.instances = instances();
  await app.select('acme-dev');
  const user = userEvent.setup();
  render(ConnectionsScreen, { app });
  const t1 = within(screen.getByRole('region', { name: TABLE1 }));
  const t2 = within(screen.getByRole('region', { name: TABLE2 }));
  return { app, user, t1, t2 };
}

beforeEach(() => {
  resetApi();
});

afterEach(() => {
  // A debounced draft save still pending must not fire into the next test.
  for (const app of apps.splice(0)) app.forms.cancelSave();
});

describe('connection forms: layout and defaults', () => {
  it('shows both forms with the documented defaults, in the procedure order', async () => {
    const { t1, t2 } = await setup();
    for (const [t, key] of [
      [t1, 'main'],
      [t2, 'clientCred'],
    ] as const) {
      const d = defaultForm(key);
      expect(t.getByLabelText('Name')).toHaveValue(d.name);
      expect(t.getByLabelText('Credential')).toHaveValue(d.credential);
      expect(t.getByLabelText('Connection alias')).toHaveValue(d.alias);
      expect(t.getByLabelText('Connection alias')).toHaveAttribute('readonly');
      expect(t.getByLabelText('URL builder')).not.toBeChecked();
      expect(t.getByLabelText('URL builder')).toHaveAccessibleDescription(/Do not select the check box/);
      expect(t.getByLabelText('Connection URL')).toHaveValue('https://graph.microsoft.com');
      expect(t.getByLabelText('Use MID server')).not.toBeChecked();
      expect(t.getByLabelText('Active')).toBeChecked();
      expect(t.getByLabelText('Domain')).toHaveValue('global');
    }
    // The alias in the heading wraps after its underscores, not past the card's edge at 1024 px.
    const heading = screen.getByRole('region', { name: TABLE2 }).querySelector('h3')!;
    expect(heading.innerHTML.replace(/<!---->/g, '')).toContain(
      'Microsoft_<wbr>Exchange_<wbr>Online_<wbr>clientCred',
    );
    // So does the alias id under it (it broke as "…Online_c / lientCred" at 1024 px), reading the same.
    const aliasId = heading.parentElement!.querySelector('p')!;
    expect(aliasId).toHaveTextContent(ALIASES.clientCred.id);
    expect(aliasId.innerHTML.replace(/<!---->/g, '')).toContain(
      'sn_<wbr>ex_<wbr>online_<wbr>spke.<wbr>Microsoft_<wbr>Exchange_<wbr>Online_<wbr>clientCred',
    );
    const labels = Array.from(screen.getByRole('region', { name: TABLE1 }).querySelectorAll('label')).map(
      (l) => l.textContent?.trim(),
    );
    const order = [
      'Name',
      'Credential',
      'Connection alias',
      'URL builder',
      'Connection URL',
      'Use MID server',
      'Active',
      'Domain',
    ];
    expect(labels.filter((l) => order.includes(l ?? ''))).toEqual(order);
  });

  it('restores the saved draft', async () => {
    api.draftsGet.mockImplementation(() =>
      ok(
        draftOf({
          main: {
            ...defaultForm('main'),
            name: 'Acme_EXO',
            useMid: true,
            midSelection: 'server',
            midServer: 'mid-eu-01',
          },
        }),
      ),
    );
    const { t1 } = await setup();
    expect(api.draftsGet).toHaveBeenCalledWith({ id: 'acme-dev' });
    expect(t1.getByLabelText('Name')).toHaveValue('Acme_EXO');
    expect(t1.getByLabelText('Use MID server')).toBeChecked();
    expect(t1.getByLabelText('MID Server')).toHaveValue('mid-eu-01');
  });
});

describe('connection forms: live validation', () => {
  it('shows no error before a field is touched, then validates as you type', async () => {
    const { t1, t2, user } = await setup();
    expect(screen.queryByText(/^Error:/)).not.toBeInTheDocument();
    const name = t1.getByLabelText('Name');
    expect(name).toHaveAttribute('aria-invalid', 'false');

    await user.clear(name);
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription(/Name is required\./);
    // The other form's fields are untouched and stay quiet.
    expect(t2.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'false');

    await user.type(name, 'Bad/Name');
    expect(name).toHaveAccessibleDescription(/may contain only letters, digits/);
    await user.clear(name);
    await user.type(name, 'Good_Name');
    expect(name).toHaveAttribute('aria-invalid', 'false');
    expect(name).not.toHaveAccessibleDescription(/Error/);

    const url = t1.getByLabelText('Connection URL');
    await user.clear(url);
    await user.type(url, 'http://graph.microsoft.com');
    expect(url).toHaveAccessibleDescription(/must use https/);

    const builder = t1.getByLabelText('URL builder');
    await user.click(builder);
    expect(builder).toHaveAttribute('aria-invalid', 'true');
    expect(builder).toHaveAccessibleDescription(/must stay unchecked/);
  });

  it('reports the rules between the two forms on the second form', async () => {
    const { t1, t2, user } = await setup();
    const name2 = t2.getByLabelText('Name');
    await user.clear(name2);
    await user.type(name2, (t1.getByLabelText('Name') as HTMLInputElement).value);
    expect(name2).toHaveAccessibleDescription(/need different names/);
  });

  it('on Review plan shows every error, focuses the first invalid field and asks main for nothing', async () => {
    api.draftsGet.mockImplementation(() =>
      ok(draftOf({ clientCred: { ...defaultForm('clientCred'), credential: '' } })),
    );
    const { t2, user } = await setup();
    const credential = t2.getByLabelText('Credential');
    expect(credential).toHaveAttribute('aria-invalid', 'false');
    await user.click(screen.getByRole('button', { name: 'Review plan' }));
    expect(credential).toHaveAttribute('aria-invalid', 'true');
    expect(credential).toHaveAccessibleDescription(/Credential is required\./);
    expect(credential).toHaveFocus();
    expect(screen.getByRole('alert')).toHaveTextContent(/Fix 1 problem/);
    expect(api.planCreate).not.toHaveBeenCalled();
  });

  it('saves the draft once typing pauses, with the latest values', async () => {
    const { t1, user } = await setup();
    const name = t1.getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Typed_Name');
    await waitFor(() => expect(api.draftsSave).toHaveBeenCalled(), { timeout: 3000 });
    // Debounced: far fewer saves than keystrokes, and the last one carries what was typed last.
    expect(api.draftsSave.mock.calls.length).toBeLessThan(5);
    const last = api.draftsSave.mock.calls.at(-1)![0];
    expect(last).toMatchObject({ id: 'acme-dev', main: { name: 'Typed_Name' } });
    expect(last.clientCred).toEqual(toInput(toModel('clientCred')));
  });
});

describe('connection forms: instance-aware checks', () => {
  it('after Discover shows the checks against the snapshot next to their fields', async () => {
    api.discoverRun.mockImplementation(() => ok({ snapshot: snapshot(), notReady: null }));
    const { app, t1, t2, user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Discover' }));
    await waitFor(() => expect(app.forms.snapshot).not.toBeNull());

    // The adoption of WCS's pre-seeded connection is an info on Table 1's Name, not an error.
    const name1 = t1.getByLabelText('Name');
    expect(name1).toHaveAccessibleDescription(/MS Graph 1/);
    expect(name1).toHaveAttribute('aria-invalid', 'false');
    expect(t1.getByText(/MS Graph 1/).closest('li')).toHaveClass('info');

    // Every instance message the shared checks produce is rendered, on the right form and field.
    const expected = validateForms(app.forms.inputs, snapshot()).instanceIssues;
    expect(expected.length).toBeGreaterThan(0);
    for (const issue of expected.filter((i) => i.form)) {
      const t = issue.form === 'main' ? t1 : t2;
      const label = { name: 'Name', credential: 'Credential', domain: 'Domain', grant: 'OAuth profile' }[
        issue.field
      ];
      if (!label) continue;
      expect(t.getByLabelText(label)).toHaveAccessibleDescription(new RegExp(escape(issue.message)));
    }

    // The credential picker offers the discovered credentials.
    const list = document.getElementById(t1.getByLabelText('Credential').getAttribute('list')!)!;
    expect(Array.from(list.querySelectorAll('option')).map((o) => o.value)).toContain('MS Graph 1');
  });

  it("keeps Table 1's credential note while its Name is invalid", async () => {
    api.discoverRun.mockImplementation(() => ok({ snapshot: snapshot(), notReady: null }));
    const { app, t1, user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Discover' }));
    await waitFor(() => expect(app.forms.snapshot).not.toBeNull());
    const credential = t1.getByLabelText('Credential');
    const note = credential.getAttribute('aria-describedby');
    expect(credential).toHaveAccessibleDescription(/Exchange_Online_Credentials/);
    const before = (document.getElementById(`${'main'}-credential-issues`)?.textContent ?? '').trim();
    expect(before).not.toBe('');

    const name = t1.getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'bad<name>');
    await user.tab();
    expect(name).toHaveAttribute('aria-invalid', 'true');
    // The credential's note from the instance is still there, unchanged.
    expect(credential.getAttribute('aria-describedby')).toBe(note);
    expect((document.getElementById('main-credential-issues')?.textContent ?? '').trim()).toBe(before);
  });

  it('warns when the chosen MID Server is down and errors on an unknown domain', async () => {
    api.discoverRun.mockImplementation(() => ok({ snapshot: snapshot(), notReady: null }));
    const { app, t1, user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Discover' }));
    await waitFor(() => expect(app.forms.snapshot).not.toBeNull());

    await user.click(t1.getByLabelText('Use MID server'));
    await user.selectOptions(t1.getByLabelText('MID selection'), 'server');
    await user.type(t1.getByLabelText('MID Server'), 'mid-eu-02');
    const mid = t1.getByLabelText('MID Server');
    expect(mid).toHaveAccessibleDescription(/Down/);
    expect(t1.getByText(/mid-eu-02" is Down/).closest('li')).toHaveClass('warning');

    const domain = t1.getByLabelText('Domain');
    await user.clear(domain);
    await user.type(domain, 'NOWHERE');
    expect(domain).toHaveAttribute('aria-invalid', 'true');
    expect(domain).toHaveAccessibleDescription(/NOWHERE/);
    await user.clear(domain);
    await user.type(domain, 'ACME');
    expect(domain).toHaveAttribute('aria-invalid', 'false');
  });
});

describe('connection forms: MID section, differs markers, keyboard', () => {
  it('shows the Advanced MID Server Configuration only while Use MID server is checked', async () => {
    const { t1, t2, user } = await setup();
    expect(t1.queryByLabelText('MID selection')).not.toBeInTheDocument();
    await user.click(t1.getByLabelText('Use MID server'));
    expect(t1.getByRole('group', { name: 'Advanced MID Server Configuration' })).toBeInTheDocument();
    expect(t1.getByLabelText('MID selection')).toHaveValue('auto');
    expect(t1.getByLabelText('Capabilities')).toBeInTheDocument();
    expect(t1.queryByLabelText('MID Server')).not.toBeInTheDocument();
    await user.selectOptions(t1.getByLabelText('MID selection'), 'server');
    expect(t1.getByLabelText('MID Server')).toBeInTheDocument();
    await user.selectOptions(t1.getByLabelText('MID selection'), 'cluster');
    expect(t1.queryByLabelText('MID Server')).not.toBeInTheDocument();
    expect(t1.getByLabelText('MID cluster')).toBeInTheDocument();
    // Table 2 is independent.
    expect(t2.queryByLabelText('MID selection')).not.toBeInTheDocument();
    await user.click(t1.getByLabelText('Use MID server'));
    expect(t1.queryByLabelText('MID selection')).not.toBeInTheDocument();
  });

  it('marks the fields that differ between the two forms', async () => {
    const { t1, t2, user } = await setup();
    // The default profiles differ (Authorization Code vs Client Credentials); the domains do not.
    expect(t1.getByLabelText('OAuth profile')).toHaveAccessibleDescription(/differs/);
    expect(t2.getByLabelText('OAuth profile')).toHaveAccessibleDescription(/differs/);
    expect(t1.getByLabelText('Domain')).not.toHaveAccessibleDescription(/differs/);
    // Name and Credential differ between the default forms too, and are marked (issue 12).
    for (const label of ['Name', 'Credential']) {
      expect(t1.getByLabelText(label)).toHaveAccessibleDescription(/differs/);
      expect(t2.getByLabelText(label)).toHaveAccessibleDescription(/differs/);
    }

    const domain = t1.getByLabelText('Domain');
    await user.clear(domain);
    await user.type(domain, 'ACME');
    expect(t1.getByLabelText('Domain')).toHaveAccessibleDescription(/differs/);
    expect(t2.getByLabelText('Domain')).toHaveAccessibleDescription(/differs/);

    await user.selectOptions(t1.getByLabelText('OAuth profile'), 'client_credentials');
    expect(t1.getByLabelText('OAuth profile')).not.toHaveAccessibleDescription(/differs/);
  });

  it('is usable from the keyboard alone, in the procedure order', async () => {
    const { t1, user } = await setup();
    t1.getByLabelText('Name').focus();
    for (const label of [
      'Credential',
      'OAuth profile',
      'Connection alias',
      'URL builder',
      'Connection URL',
      'Use MID server',
    ]) {
      await user.tab();
      expect(t1.getByLabelText(label)).toHaveFocus();
    }
    await user.keyboard(' ');
    expect(t1.getByLabelText('Use MID server')).toBeChecked();
    await user.tab();
    expect(t1.getByLabelText('MID selection')).toHaveFocus();
    await user.keyboard('{Shift>}{Tab}{/Shift}');
    await user.keyboard(' ');
    expect(t1.queryByLabelText('MID selection')).not.toBeInTheDocument();
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
