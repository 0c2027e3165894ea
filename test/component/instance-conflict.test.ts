// The instance editor sends the revision it opened; when main refuses the save because another process
// changed the instance (code `conflict`), the editor keeps the edits, shows main's message and offers to
// load the stored version — as the template editor does. A list reload that brings a newer version says
// before saving that the save will be refused.
import { describe, it, expect, vi, beforeEach } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api, resetApi, ok } from './fake-api';
import { instance } from './fixtures';
import InstanceEditor from '../../src/renderer/src/components/InstanceEditor.svelte';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

const CONFLICT = 'Instance "Acme Dev" was changed by another process since it was read; nothing was saved.';
const theirs = instance({
  username: 'their.user',
  variables: { customer: 'ACME' },
  revision: 'fedcba9876543210',
});

beforeEach(() => resetApi());

describe('instance editor: another process changed the instance being edited', () => {
  it('shows the conflict, keeps the edits, and offers to load the stored version', async () => {
    const onsaved = vi.fn();
    render(InstanceEditor, { instance: instance(), onsaved, oncancel: () => {} });
    const user = userEvent.setup();
    await user.clear(screen.getByLabelText('Name'));
    await user.type(screen.getByLabelText('Name'), 'Edited here');
    await user.type(screen.getByLabelText('Password'), 'typed-secret');

    api.instancesSave.mockResolvedValueOnce({ ok: false, code: 'conflict', message: CONFLICT });
    api.instancesList.mockImplementation(() => ok([theirs]));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(CONFLICT);
    expect(api.instancesSave).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'acme-dev', name: 'Edited here', basedOn: '0123456789abcdef' }),
    );
    expect(onsaved).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Name')).toHaveValue('Edited here');

    await user.click(
      await screen.findByRole('button', { name: 'Discard my edits and load the stored version' }),
    );
    expect(screen.getByLabelText('Name')).toHaveValue('Acme Dev');
    expect(screen.getByLabelText('User name')).toHaveValue('their.user');
    // A typed secret is dropped with the edits: it was meant for the version that was refused.
    expect(screen.getByLabelText('Password')).toHaveValue('');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // The window's list has not reloaded yet: its older version is not "another change".
    expect(screen.queryByRole('status')).not.toBeInTheDocument();

    api.instancesSave.mockImplementation(async () => ok(theirs));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onsaved).toHaveBeenCalled());
    expect(api.instancesSave).toHaveBeenLastCalledWith(
      expect.objectContaining({
        username: 'their.user',
        variables: { customer: 'ACME' },
        basedOn: 'fedcba9876543210',
      }),
    );
  });

  it('says before saving when the list brings a version another process stored', async () => {
    const { rerender } = render(InstanceEditor, {
      instance: instance(),
      onsaved: vi.fn(),
      oncancel: () => {},
    });
    const user = userEvent.setup();
    await user.clear(screen.getByLabelText('Name'));
    await user.type(screen.getByLabelText('Name'), 'Edited here');
    expect(screen.queryByRole('status')).not.toBeInTheDocument();

    // The window's list reloaded after a CLI run changed the instance: the edits stay.
    await rerender({ instance: theirs });
    expect(screen.getByRole('status')).toHaveTextContent(
      'Another process changed this instance since you opened it: saving your edits will be refused.',
    );
    expect(screen.getByLabelText('Name')).toHaveValue('Edited here');

    await user.click(screen.getByRole('button', { name: 'Discard my edits and load the stored version' }));
    expect(screen.getByLabelText('User name')).toHaveValue('their.user');
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });
});
