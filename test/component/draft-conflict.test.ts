// The forms autosave their draft based on the revision they loaded. When main refuses a save because
// another process changed the draft (code `conflict`), the screen says so, keeps what was typed, stops
// autosaving (no save loop, nothing typed dropped) and lets the person load the stored version or save
// theirs over it — the choice the template editor offers, plus keeping their edits, since a draft has no
// Save button to try again with.
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api, resetApi } from './fake-api';
import { draftOf, instances } from './fixtures';
import { AppState } from '../../src/renderer/src/lib/app.svelte';
import ConnectionsScreen from '../../src/renderer/src/screens/ConnectionsScreen.svelte';
import { defaultForm } from '../../src/shared/domain/desired-state';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

const TABLE1 = 'Table 1 — Microsoft_Exchange_Online';
const LOADED = '1111111111111111';
const THEIRS = '2222222222222222';
const CONFLICT =
  'The forms of Acme Dev were changed by another process (another window, a template applied) since ' +
  'they were loaded; nothing was saved.';
const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
const theirs = draftOf({
  main: { ...defaultForm('main'), name: 'Theirs_Name' },
  updatedAt: '2026-12-07T07:00:00.000Z',
  revision: THEIRS,
});

const apps: AppState[] = [];
async function setup() {
  const app = new AppState();
  apps.push(app);
  app.instances = instances();
  api.draftsGet.mockImplementation(() =>
    ok(draftOf({ updatedAt: '2026-12-07T06:00:00.000Z', revision: LOADED })),
  );
  await app.select('acme-dev');
  const user = userEvent.setup();
  render(ConnectionsScreen, { app });
  const name = within(screen.getByRole('region', { name: TABLE1 })).getByLabelText('Name');
  return { app, user, name };
}

/** Types into the Name field and saves at once (the debounce's timer is not waited for). */
async function typeAndSave(
  app: AppState,
  user: ReturnType<typeof userEvent.setup>,
  name: HTMLElement,
  text: string,
) {
  await user.clear(name);
  await user.type(name, text);
  await app.forms.saveNow();
}

/** The other process changes the draft: main refuses the next save and reads theirs from now on. */
function anotherProcessSaved() {
  api.draftsSave.mockResolvedValueOnce({ ok: false, code: 'conflict', message: CONFLICT });
  api.draftsGet.mockImplementation(() => ok(theirs));
}

beforeEach(() => resetApi());
afterEach(() => {
  for (const app of apps.splice(0)) app.forms.cancelSave();
});

describe('draft autosave refused because another process changed the draft', () => {
  it('sends the loaded revision, then the revision each save returned', async () => {
    const { app, user, name } = await setup();
    api.draftsSave.mockImplementationOnce(() =>
      ok({ savedAt: '2026-12-07T07:01:00.000Z', revision: 'a1a1a1a1a1a1a1a1' }),
    );
    await typeAndSave(app, user, name, 'First');
    await typeAndSave(app, user, name, 'Second');
    const calls = api.draftsSave.mock.calls.map(([input]) => input);
    expect(calls[0]).toMatchObject({ main: { name: 'First' }, basedOn: LOADED });
    expect(calls.at(-1)).toMatchObject({ main: { name: 'Second' }, basedOn: 'a1a1a1a1a1a1a1a1' });
  });

  it('two saves asked for at once go one after another, the second based on the first one’s revision', async () => {
    const { app } = await setup();
    let finishFirst!: () => void;
    api.draftsSave.mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          finishFirst = () =>
            resolve({
              ok: true,
              value: { savedAt: '2026-12-07T07:01:00.000Z', revision: 'b1b1b1b1b1b1b1b1' },
            });
        }),
    );
    const first = app.forms.saveNow();
    const second = app.forms.saveNow();
    await vi.waitFor(() => expect(api.draftsSave).toHaveBeenCalledTimes(1));
    finishFirst();
    await Promise.all([first, second]);
    expect(api.draftsSave).toHaveBeenCalledTimes(2);
    expect(api.draftsSave.mock.calls[1]![0]).toMatchObject({ basedOn: 'b1b1b1b1b1b1b1b1' });
  });

  it('shows the refusal, keeps the typing, stops autosaving, and saves it over the stored version when asked', async () => {
    const { app, user, name } = await setup();
    anotherProcessSaved();
    await typeAndSave(app, user, name, 'Mine_Name');

    expect(await screen.findByRole('alert')).toHaveTextContent(CONFLICT);
    expect(screen.getByText('The draft was not saved: another process changed it.')).toBeInTheDocument();
    expect(name).toHaveValue('Mine_Name');
    expect(api.draftsSave).toHaveBeenCalledTimes(1);
    expect(api.draftsSave).toHaveBeenLastCalledWith(expect.objectContaining({ basedOn: LOADED }));

    // More typing while the choice is open: kept on screen, not sent (it would be refused the same way).
    await user.type(name, '_more');
    await app.forms.saveNow();
    expect(api.draftsSave).toHaveBeenCalledTimes(1);
    expect(name).toHaveValue('Mine_Name_more');
    expect(screen.getByRole('alert')).toHaveTextContent(CONFLICT);

    await user.click(screen.getByRole('button', { name: 'Keep my edits and save them over it' }));
    await vi.waitFor(() => expect(api.draftsSave).toHaveBeenCalledTimes(2));
    // Over the version the refusal read, not blindly: a further change would be refused again.
    expect(api.draftsSave).toHaveBeenLastCalledWith(
      expect.objectContaining({ main: expect.objectContaining({ name: 'Mine_Name_more' }), basedOn: THEIRS }),
    );
    await vi.waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
    expect(screen.getByText(/^Draft saved/)).toBeInTheDocument();
    // Autosave is back, based on what that save stored.
    await typeAndSave(app, user, name, 'Later');
    expect(api.draftsSave).toHaveBeenCalledTimes(3);
    expect(api.draftsSave).toHaveBeenLastCalledWith(expect.objectContaining({ basedOn: 'aaaaaaaaaaaaaaaa' }));
  });

  it('loads the stored version when the person discards their edits', async () => {
    const { app, user, name } = await setup();
    anotherProcessSaved();
    await typeAndSave(app, user, name, 'Mine_Name');
    expect(await screen.findByRole('alert')).toHaveTextContent(CONFLICT);

    await user.click(screen.getByRole('button', { name: 'Discard my edits and load the stored version' }));
    await vi.waitFor(() => expect(name).toHaveValue('Theirs_Name'));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await typeAndSave(app, user, name, 'Next');
    expect(api.draftsSave).toHaveBeenLastCalledWith(
      expect.objectContaining({ main: expect.objectContaining({ name: 'Next' }), basedOn: THEIRS }),
    );
  });
});

describe('a draft written while the forms show it (main watches the file)', () => {
  const WRITTEN = ['instances/acme-dev/draft.json'];

  it('shows the stored draft at once when nothing typed is waiting, and says why', async () => {
    const { app, name } = await setup();
    api.draftsGet.mockImplementation(() => ok(theirs));
    await app.showOtherProcessChanges(WRITTEN);
    expect(name).toHaveValue('Theirs_Name');
    expect(
      screen.getByText('Draft changed outside this window (a CLI run, a pull): showing it as stored now.'),
    ).toBeInTheDocument();
    expect(api.draftsSave).not.toHaveBeenCalled();
  });

  it('leaves the forms as they are when the write was its own save echoing back', async () => {
    const { app, user, name } = await setup();
    api.draftsSave.mockImplementationOnce(() =>
      ok({ savedAt: '2026-12-07T07:01:00.000Z', revision: 'a1a1a1a1a1a1a1a1' }),
    );
    await typeAndSave(app, user, name, 'Mine');
    const reads = api.draftsGet.mock.calls.length;
    api.draftsGet.mockImplementation(() =>
      ok(draftOf({ main: { ...defaultForm('main'), name: 'Mine' }, revision: 'a1a1a1a1a1a1a1a1' })),
    );
    await app.showOtherProcessChanges(WRITTEN);
    expect(api.draftsGet.mock.calls.length).toBe(reads + 1);
    expect(name).toHaveValue('Mine');
    expect(screen.getByText(/^Draft saved/)).toBeInTheDocument();
  });

  it('saves typing that is waiting at once, so the refusal and its choice come now', async () => {
    const { app, user, name } = await setup();
    await user.clear(name);
    await user.type(name, 'Typed'); // The autosave's timer is running, nothing sent yet.
    expect(api.draftsSave).not.toHaveBeenCalled();
    anotherProcessSaved();
    await app.showOtherProcessChanges(WRITTEN);
    expect(api.draftsSave).toHaveBeenCalledWith(expect.objectContaining({ basedOn: LOADED }));
    expect(await screen.findByRole('alert')).toHaveTextContent(CONFLICT);
    expect(name).toHaveValue('Typed');
  });

  it("does nothing for another instance's draft", async () => {
    const { app, name } = await setup();
    api.draftsGet.mockImplementation(() => ok(theirs));
    await app.showOtherProcessChanges(['instances/acme-prod/draft.json']);
    expect(name).not.toHaveValue('Theirs_Name');
  });
});
