import { describe, it, expect, vi, beforeAll, beforeEach, afterEach } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import userEvent from '@testing-library/user-event';
import { api, ok, resetApi } from './fake-api';
import { appInfo } from './fixtures';
import { AppState } from '../../src/renderer/src/lib/app.svelte';
import App from '../../src/renderer/src/App.svelte';
import { loadScreens } from '../../src/renderer/src/lib/screens';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

// The screens after Instances are a chunk loaded on demand (src/renderer/src/lib/screens.ts), which the app
// prefetches after its first paint. Under vitest that first import transforms every screen, seconds on a
// loaded machine: done here, before the tests, as App's static imports of the screens used to be.
beforeAll(() => loadScreens(), 120_000);

let app: AppState;
beforeEach(() => {
  resetApi();
  localStorage.clear();
  document.documentElement.removeAttribute('data-theme');
  app = new AppState();
});
afterEach(async () => {
  // Every test here renders App, whose start-up asks for the app info after the first frame: let it land
  // before the next test counts calls on the reset api.
  await waitFor(() => expect(app.info).not.toBeNull());
  app.forms.cancelSave();
});

describe('app shell', () => {
  it('opens on the instances with the demo instance selected, and navigates by the screen links', async () => {
    render(App, { app });
    expect(screen.getByRole('heading', { level: 2, name: 'Instances' })).toBeInTheDocument();
    await waitFor(() => expect(app.selectedId).toBe('demo'));
    expect(api.draftsGet).toHaveBeenCalledWith({ id: 'demo' });

    const user = userEvent.setup();
    const nav = screen.getByRole('navigation', { name: 'Screens' });
    for (const name of ['Connections', 'Review', 'Apply', 'History', 'Instances']) {
      await user.click(
        screen.getAllByRole('link').find((l) => nav.contains(l) && l.textContent?.includes(name))!,
      );
      // The screens after Instances load on demand (src/renderer/src/lib/screens.ts): wait for the heading.
      const heading = await screen.findByRole('heading', { level: 2, name });
      await waitFor(() => expect(heading).toHaveFocus());
      expect(
        screen.getAllByRole('link').find((l) => l.getAttribute('aria-current') === 'page'),
      ).toHaveTextContent(name);
    }
    // Five screens mounted one after another: 4-5 s on the shared 2-core machine, at vitest's 5 s default.
  }, 15_000);

  it('switches theme system → light → dark and remembers it', async () => {
    render(App, { app });
    const user = userEvent.setup();
    const toggle = screen.getByRole('button', { name: /Theme: System/ });
    expect(document.documentElement).not.toHaveAttribute('data-theme');
    await user.click(toggle);
    expect(document.documentElement).toHaveAttribute('data-theme', 'light');
    await user.click(toggle);
    expect(document.documentElement).toHaveAttribute('data-theme', 'dark');
    expect(localStorage.getItem('spokesmith.theme')).toBe('dark');
    expect(toggle).toHaveAccessibleName(/Theme: Dark/);
  });

  it('shows a stored theme at start without writing it back', async () => {
    localStorage.setItem('spokesmith.theme', 'dark');
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    try {
      render(App, { app });
      expect(document.documentElement).toHaveAttribute('data-theme', 'dark');
      expect(screen.getByRole('button', { name: /Theme: Dark/ })).toBeInTheDocument();
      expect(setItem).not.toHaveBeenCalled();
    } finally {
      setItem.mockRestore();
    }
  });
});

// The first screen (issue 11): the instance list is asked for first, the rest once the first frame is out,
// and "No instances yet" is never shown for a list main has not answered.
describe('first screen', () => {
  it('asks main for the instance list first and for the rest after the first frame', async () => {
    render(App, { app });
    await tick();
    expect(api.instancesList).toHaveBeenCalledTimes(1);
    expect(api.infoGet).not.toHaveBeenCalled();
    expect(api.workspaceInfo).not.toHaveBeenCalled();
    expect(api.queueList).not.toHaveBeenCalled();
    await waitFor(() => expect(api.infoGet).toHaveBeenCalledTimes(1));
    expect(api.workspaceInfo).toHaveBeenCalledTimes(1);
    expect(api.queueList).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(app.selectedId).toBe('demo'));
  });

  it('selects the demo instance as soon as the list answers, without waiting for the app info', async () => {
    let answerInfo: () => void = () => {};
    api.infoGet.mockImplementation(
      () => new Promise((resolve) => (answerInfo = () => void resolve(ok(appInfo())))),
    );
    render(App, { app });
    await waitFor(() => expect(app.selectedId).toBe('demo'));
    expect(screen.getByRole('article', { name: /Demo instance/ })).toHaveAttribute('aria-current', 'true');
    expect(app.info).toBeNull();
    await waitFor(() => expect(api.infoGet).toHaveBeenCalled());
    answerInfo();
  });

  it('says "No instances yet" only once main has answered an empty list', async () => {
    let answer: (list: []) => void = () => {};
    api.instancesList.mockImplementation(
      () => new Promise((resolve) => (answer = (list) => void resolve(ok(list)))),
    );
    render(App, { app });
    await tick();
    expect(screen.getByRole('heading', { level: 2, name: 'Instances' })).toBeInTheDocument();
    expect(screen.queryByText(/No instances yet/)).toBeNull();
    answer([]);
    expect(await screen.findByText(/No instances yet/)).toBeInTheDocument();
  });
});
