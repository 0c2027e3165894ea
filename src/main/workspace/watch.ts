// Noticing another process's changes: fs.watch on the workspace folder (and templates/), settled by a
// debounce because one atomic write is several events (temporary file, rename). fs.watch is unreliable
// or absent on some platforms and network filesystems, so a failure to watch is not an error: the
// listener is simply not called, and the app still reloads when asked.
import { watch, type FSWatcher } from 'node:fs';
import type { WorkspaceLayout } from './paths';

export interface WorkspaceChange {
  /** Workspace-relative files that changed, e.g. `instances.json`, `templates/acme.json`; `.` if unknown. */
  files: string[];
}

const TOP_LEVEL = new Set(['instances.json', 'local-state.json', 'queue.json']);

export function watchWorkspace(
  layout: WorkspaceLayout,
  options: { debounceMs: number; onChange: (files: string[]) => Promise<void> },
): () => void {
  const watchers = new Map<string, FSWatcher>();
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let running: Promise<void> = Promise.resolve();

  const fire = () => {
    timer = null;
    const files = [...changed].sort();
    changed.clear();
    running = running
      .then(() => (closed ? undefined : options.onChange(files)))
      // A reload that fails (a file mid-edit by hand) is retried at the next event.
      .catch(() => undefined);
  };
  const note = (file: string) => {
    changed.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, options.debounceMs);
    timer.unref?.();
  };

  const add = (dir: string, onName: (name: string | null) => void) => {
    if (closed || watchers.has(dir)) return;
    try {
      // Not persistent: watching must never keep a CLI run alive.
      const watcher = watch(dir, { persistent: false }, (_event, name) => onName(name));
      watcher.on('error', () => {
        watcher.close();
        watchers.delete(dir);
      });
      watchers.set(dir, watcher);
    } catch {
      // ENOENT (no templates folder yet), ENOSYS, EMFILE…: see the header comment.
    }
  };
  const watchTemplates = () =>
    add(layout.templatesDir, (name) => {
      if (name === null) note('templates/');
      else if (name.endsWith('.json')) note(`templates/${name}`);
    });

  add(layout.dir, (name) => {
    if (name === null) note('.');
    else if (TOP_LEVEL.has(name)) note(name);
    else if (name === 'templates') {
      watchTemplates(); // Created after the watch started.
      note('templates/');
    }
  });
  watchTemplates();

  return () => {
    closed = true;
    if (timer) clearTimeout(timer);
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  };
}
