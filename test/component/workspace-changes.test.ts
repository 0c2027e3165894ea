// Another process (a CLI run, a script) changed the workspace: main sends `app:workspace:changed` and the
// window reloads the lists it shows, without losing what the user is doing.
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import { api, ok, resetApi, workspaceListeners } from './fake-api';
import { instance, instances } from './fixtures';
import { AppState } from '../../src/renderer/src/lib/app.svelte';
import App from '../../src/renderer/src/App.svelte';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

let app: AppState;
beforeEach(() => {
  resetApi();
  localStorage.clear();
  app = new AppState();
});
afterEach(() => app.forms.cancelSave());

const announce = (files: string[]) => {
  for (const listener of workspaceListeners) listener({ files });
};

describe('changes another process made to the workspace', () => {
  it('reloads the instances, templates and queue, and keeps the selected instance', async () => {
    render(App, { app });
    await waitFor(() => expect(app.selectedId).toBe('demo'));
    expect(screen.queryByText('Added By The CLI')).not.toBeInTheDocument();
    expect(workspaceListeners.size).toBe(1);

    const added = instance({
      id: 'added-by-cli',
      name: 'Added By The CLI',
      url: 'https://added.service-now.com',
    });
    api.instancesList.mockImplementation(() => ok([...instances(), added]));
    api.templatesList.mockImplementation(() =>
      ok([
        {
          name: 'emea',
          description: null,
          variables: [],
          main: {},
          clientCred: {},
          entra: null,
          usage: [],
          revision: '0123456789abcdef',
        },
      ]),
    );
    api.queueList.mockImplementation(() =>
      ok({
        items: [
          {
            id: 'queued-elsewhere',
            instanceId: 'added-by-cli',
            instanceName: 'Added By The CLI',
            status: 'waiting',
            reason: 'offline',
            requestedAt: '2026-03-01T10:00:00.000Z',
            attempts: 0,
            lastAttemptAt: null,
            nextAttemptAt: null,
            lastError: null,
            applyId: null,
            finishedAt: null,
          },
        ],
        network: [],
      }),
    );
    announce(['instances.json', 'queue.json', 'templates/emea.json']);

    expect(await screen.findByText('Added By The CLI')).toBeInTheDocument();
    await waitFor(() => expect(app.templates.list.map((t) => t.name)).toEqual(['emea']));
    expect(app.queue.pending.map((i) => i.id)).toEqual(['queued-elsewhere']);
    expect(app.selectedId).toBe('demo');
  });

  it('selects another instance when the selected one was removed elsewhere', async () => {
    render(App, { app });
    await waitFor(() => expect(app.selectedId).toBe('demo'));
    api.instancesList.mockImplementation(() => ok(instances().filter((i) => i.id !== 'demo')));
    announce(['instances.json']);
    await waitFor(() => expect(app.selectedId).toBe('acme-dev'));
    expect(app.instances.map((i) => i.id)).toEqual(['acme-dev', 'zeta']);
  });

  it('stops listening when the window goes away', () => {
    const { unmount } = render(App, { app });
    expect(workspaceListeners.size).toBe(1);
    unmount();
    expect(workspaceListeners.size).toBe(0);
  });
});
