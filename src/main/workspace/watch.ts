// Noticing another process's changes: fs.watch on the workspace folder, templates/ and the folders of the
// instances whose drafts are shown (instances/<id>/draft.json: shared through git, so a pull rewrites it),
// settled by a debounce because one atomic write is several events (temporary file, rename). fs.watch is unreliable
// or absent on some platforms and network filesystems, so a failure to watch is not an error: the
// listener is simply not called, and the app still reloads when asked.
import { watch, type FSWatcher } from 'node:fs';
import type { WorkspaceLayout } from './paths';

export interface WorkspaceChange {
  /**
   * Workspace-relative files that changed, e.g. `instances.json`, `templates/acme.json`,
   * `instances/acme/draft.json`; `.` if unknown.
   */
  files: string[];
}

const TOP_LEVEL = new Set(['instances.json', 'local-state.json', 'queue.json']);

export function watchWorkspace(
  layout: WorkspaceLayout,
  options: {
    debounceMs: number;
    onChange: (files: string[]) => Promise<void>;
    /**
     * The instances whose drafts to watch. Asked again after every change (instances.json may have
     * gained one) and when a folder appears under instances/. Default: none.
     */
    instanceIds?: () => readonly string[];
  },
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
      .catch(() => undefined)
      .then(() => (closed ? undefined : watchDrafts(true)));
  };
  const note = (file: string) => {
    changed.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, options.debounceMs);
    timer.unref?.();
  };

  const add = (dir: string, onName: (name: string | null) => void): boolean => {
    if (closed || watchers.has(dir)) return true;
    try {
      // Not persistent: watching must never keep a CLI run alive.
      const watcher = watch(dir, { persistent: false }, (_event, name) => onName(name));
      watcher.on('error', () => {
        watcher.close();
        watchers.delete(dir);
      });
      watchers.set(dir, watcher);
      return true;
    } catch {
      // ENOENT (no templates folder yet), ENOSYS, EMFILE…: see the header comment.
      return false;
    }
  };
  const draftOf = (id: string) => `instances/${id}/draft.json`;
  /** Instance id → its folder, for the instances whose folder is watched. */
  const draftDirs = new Map<string, string>();
  /** Stops watching an instance's folder (gone from instances.json, or replaced on disk). */
  const forgetDraft = (id: string) => {
    const dir = draftDirs.get(id);
    if (dir === undefined) return;
    watchers.get(dir)?.close();
    watchers.delete(dir);
    draftDirs.delete(id);
  };
  /**
   * Watches the folders of the instances asked for, and stops watching the others. A folder watched for
   * the first time after the start may hold a draft written before it was watched (a `git pull` brings
   * the folder and its draft at once): with `noteNew`, its draft is reported.
   */
  const watchDrafts = (noteNew: boolean) => {
    const ids = new Set(options.instanceIds?.() ?? []);
    for (const id of draftDirs.keys()) if (!ids.has(id)) forgetDraft(id);
    for (const id of ids) {
      if (draftDirs.has(id)) continue;
      const dir = layout.instanceDir(id);
      // No folder yet (no draft, never discovered): watched once it appears under instances/.
      const watched = add(dir, (name) => {
        if (name === null || name === 'draft.json') note(draftOf(id));
      });
      if (!watched) continue;
      draftDirs.set(id, dir);
      if (noteNew) note(draftOf(id));
    }
  };
  const watchInstances = () =>
    add(layout.instancesDir, (name) => {
      if (name !== null && !options.instanceIds?.().includes(name)) return;
      // A folder created, or replaced as a git checkout may do: watched afresh.
      if (name !== null) forgetDraft(name);
      watchDrafts(true);
    });
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
    } else if (name === 'instances' && options.instanceIds) {
      watchInstances(); // Created after the watch started (a new workspace's first draft or discovery).
      watchDrafts(true);
    }
  });
  watchTemplates();
  if (options.instanceIds) {
    watchInstances();
    watchDrafts(false);
  }

  return () => {
    closed = true;
    if (timer) clearTimeout(timer);
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  };
}
