// A workspace: every non-secret piece of Spokesmith's data as plain, versioned JSON files in one folder
// (the app's data folder by default, or a folder in a team's git repository).
//
//   instances.json                 the instance list (shareable)
//   templates/<name>.json          templates (shareable)
//   instances/<id>/draft.json      the forms as typed (shareable)
//   instances/<id>/snapshot.json   latest discovery (machine-local)
//   instances/<id>/plan.json       latest plan (machine-local)
//   instances/<id>/…               the engine's journals and apply records (machine-local)
//   local-state.json               per-instance status (machine-local)
//   queue.json                     applies waiting for an instance to answer (machine-local)
//
// Opening never fails on a bad file: it is left in place, listed in `problems`, and never written over
// (a change that would replace it fails with FileProblemError naming it; so does listing an unreadable
// instances.json).
//
// Many processes may share a workspace (the app and CLI runs): every change to a shared file is a
// read–modify–write under the file's lock, reads come from a copy each change refreshes, `reload()`
// re-reads everything, and `watch()` tells the app when another process changed something.
import { mkdir, readdir, writeFile, access } from 'node:fs/promises';
import type { FileProblem, FileSpec } from '../storage/json-file';
import { LEAVE_IN_PLACE, readVersioned } from '../storage/json-file';
import { FileProblemError } from '../storage/errors';
import { createFileUpdater } from '../storage/update-file';
import type { QueueEntry, QueueFile } from '../../shared/workspace/schemas';
import { draftSpec, planSpec, queueSpec, snapshotSpec } from './file-specs';
import { createInstanceFiles, type DraftsApi, type PlansApi, type SnapshotsApi } from './instance-files';
import { loadInstancesStore, setProblem, type InstancesApi } from './instances-store';
import { GITIGNORE, workspaceLayout, type WorkspaceLayout } from './paths';
import { sortKeysDeep } from './stable-json';
import { loadTemplatesStore, type TemplatesApi } from './templates-store';
import { watchWorkspace, type WorkspaceChange } from './watch';

export interface QueueFileApi {
  /** The entries as last read or written. */
  read(): QueueEntry[];
  /**
   * Replaces the stored queue. Prefer `update`: a replacement made from an older `read()` drops what
   * another process queued meanwhile.
   */
  write(entries: QueueEntry[]): Promise<void>;
  /** Changes the queue as it is on disk now (under its lock); resolves to the entries after the change. */
  update(mutate: (entries: QueueEntry[]) => QueueEntry[]): Promise<QueueEntry[]>;
}

export interface Workspace {
  dir: string;
  layout: WorkspaceLayout;
  /** Files that could not be used (left in place), each naming the file and the problem. */
  problems: FileProblem[];
  instances: InstancesApi;
  drafts: DraftsApi;
  snapshots: SnapshotsApi;
  plans: PlansApi;
  templates: TemplatesApi;
  queue: QueueFileApi;
  /** The instance's folder, where the engine keeps its journals and apply records. */
  instanceDir(id: string): string;
  /** Loads every file Spokesmith wrote (per-instance files included) and returns the problems found. */
  check(): Promise<FileProblem[]>;
  /** Re-reads instances, local state, templates and the queue from disk. */
  reload(): Promise<void>;
  /**
   * Calls `listener` (after reloading) when another process changed the instances, templates or queue,
   * or when a saved instance's draft file was written (by anyone: see WorkspaceChange.files). Returns the unsubscribe function. Where the platform cannot watch folders, the listener is never
   * called; `reload()` (e.g. when the window gets focus) still shows other processes' changes.
   */
  watch(listener: (change: WorkspaceChange) => void): () => void;
}

export interface OpenWorkspaceOptions {
  now?: () => Date;
  /** How long file events settle before the workspace reloads (an atomic write is several events). */
  watchDebounceMs?: number;
}

export async function openWorkspace(dir: string, options: OpenWorkspaceOptions = {}): Promise<Workspace> {
  const now = options.now ?? (() => new Date());
  const layout = workspaceLayout(dir);
  await mkdir(dir, { recursive: true });
  await writeGitignoreOnce(layout.gitignoreFile);

  const problems: FileProblem[] = [];
  const instances = await loadInstancesStore(layout, problems, now);
  const templates = await loadTemplatesStore(layout, problems);
  const files = createInstanceFiles(layout, problems, now, async (id, at) => {
    if (instances.get(id)?.id === id) await instances.markDiscovered(id, at);
  });

  let queueEntries: QueueEntry[] = [];
  const setQueue = (file: QueueFile | null) => {
    queueEntries = file?.entries ?? [];
  };
  const queueFile = createFileUpdater(layout.queueFile, queueSpec, {
    onWritten: setQueue,
    root: layout.dir,
  });
  const reloadQueue = async () => {
    const read = await readVersioned(layout.queueFile, queueSpec, LEAVE_IN_PLACE);
    setQueue(read.ok ? read.value : null);
    setProblem(problems, layout.queueFile, !read.ok && !read.missing ? read.problem : null);
  };
  await reloadQueue();
  const copyQueue = () => queueEntries.map((e) => ({ ...e }));

  const reload = async () => {
    await instances.reload();
    await templates.reload();
    await reloadQueue();
  };
  /**
   * What the app shows, to tell a real change by another process from our own write echoing back. Keys
   * sorted: what we wrote is held as written (sorted, or as typed) and what a reload reads in the schema's
   * order, so the same content would otherwise look changed.
   */
  const shown = () => JSON.stringify(sortKeysDeep([instances.list(), templates.list(), queueEntries]));

  const workspace: Workspace = {
    dir,
    layout,
    problems,
    instances,
    templates,
    ...files,
    queue: {
      read: copyQueue,
      async write(entries) {
        const replacement = sortKeysDeep({ entries: entries.map((e) => ({ ...e })) });
        await queueFile.update(() => replacement);
      },
      async update(mutate) {
        await queueFile.update((current) => sortKeysDeep({ entries: mutate(current?.entries ?? []) }));
        return copyQueue();
      },
    },
    instanceDir: (id) => layout.instanceDir(id),
    async check() {
      const found: FileProblem[] = [];
      const fresh = await openWorkspaceFilesOnly(layout, found);
      const checkFile = async <T>(file: string, spec: FileSpec<T>) => {
        const result = await readVersioned(file, spec, LEAVE_IN_PLACE);
        if (!result.ok && !result.missing) found.push(result.problem);
      };
      for (const id of fresh) {
        await checkFile(layout.draftFile(id), draftSpec);
        await checkFile(layout.snapshotFile(id), snapshotSpec);
        await checkFile(layout.planFile(id), planSpec);
      }
      for (const problem of found) setProblem(problems, problem.file, problem);
      return found;
    },
    reload,
    watch(listener) {
      return watchWorkspace(layout, {
        debounceMs: options.watchDebounceMs ?? 150,
        instanceIds: () => {
          try {
            return instances.list().map((i) => i.id);
          } catch (error) {
            // An unreadable instances.json lists no instance (the app shows the file's problem): no draft.
            if (error instanceof FileProblemError) return [];
            throw error;
          }
        },
        onChange: async (files) => {
          const before = shown();
          await reload();
          // A draft is not held here: the window compares the stored revision with its own and so
          // tells its own save from another process's (src/renderer/src/lib/forms.svelte.ts).
          if (shown() !== before || files.some((file) => file.endsWith('/draft.json'))) listener({ files });
        },
      });
    },
  };
  return workspace;
}

/** Re-reads the top-level files from disk; returns the instance ids that have a folder. */
async function openWorkspaceFilesOnly(layout: WorkspaceLayout, found: FileProblem[]): Promise<string[]> {
  await loadInstancesStore(layout, found, () => new Date());
  await loadTemplatesStore(layout, found);
  const queue = await readVersioned(layout.queueFile, queueSpec, LEAVE_IN_PLACE);
  if (!queue.ok && !queue.missing) found.push(queue.problem);
  try {
    const entries = await readdir(layout.instancesDir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && /^[a-z0-9][a-z0-9-]{0,62}$/.test(e.name))
      .map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Written once: a team may edit it afterwards, and Spokesmith must not undo their edits. */
async function writeGitignoreOnce(file: string): Promise<void> {
  try {
    await access(file);
  } catch {
    await writeFile(file, GITIGNORE, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}
