import { describe, it, expect, vi, beforeAll, beforeEach, afterEach } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api, resetApi } from './fake-api';
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
afterEach(() => app.forms.cancelSave());

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
});
