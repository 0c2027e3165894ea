// Every screen except Instances (the one shown first) is loaded on demand, as one chunk
// (lib/lazy-screens.ts): the first script the window has to receive and compile holds only what the first
// screen needs (issue 11, item 4). After the first paint that chunk is fetched while the page is idle, so
// switching screens stays instant.
import type { Screen } from './app.svelte';
import { loadFormRules } from './form-rules.svelte';
import type * as LazyScreensModule from './lazy-screens';

type LazyScreens = typeof LazyScreensModule;
let loading: Promise<LazyScreens> | undefined;

/** The other screens' module; imported once and shared by every caller. A failed import is tried again next time. */
export function loadScreens(): Promise<LazyScreens> {
  if (!loading) {
    // The forms' rules come with the screens that show forms (lib/form-rules.svelte.ts).
    const pending = Promise.all([import('./lazy-screens'), loadFormRules()]).then(([screens]) => screens);
    pending.catch(() => {
      if (loading === pending) loading = undefined;
    });
    loading = pending;
  }
  return loading;
}

/** Resolves once `screen` can render without waiting (at once for Instances, which is always loaded). */
export async function screenReady(screen: Screen): Promise<void> {
  if (screen !== 'instances') await loadScreens();
}

/** Fetches the other screens when the page is next idle (after the first paint). */
export function prefetchScreens(): void {
  const fetchAll = () => void loadScreens().catch(() => {});
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fetchAll, { timeout: 2000 });
  else setTimeout(fetchAll, 0);
}
