import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { api, resetApi } from './fake-api';
import { AppState } from '../../src/renderer/src/lib/app.svelte';
import App from '../../src/renderer/src/App.svelte';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

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
      const heading = screen.getByRole('heading', { level: 2, name });
      expect(heading).toHaveFocus();
      expect(
        screen.getAllByRole('link').find((l) => l.getAttribute('aria-current') === 'page'),
      ).toHaveTextContent(name);
    }
  });

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
