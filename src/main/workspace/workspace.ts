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
// Opening never fails on a bad file: the file is moved aside and listed in `problems`.
import { mkdir, readdir, writeFile, access } from 'node:fs/promises';
import type { FileProblem, FileSpec } from '../storage/json-file';
import { readVersioned, writeVersioned } from '../storage/json-file';
import type { QueueEntry } from '../../shared/workspace/schemas';
import { createCoalescedWriter } from './coalesced-writer';
import { draftSpec, planSpec, queueSpec, snapshotSpec } from './file-specs';
import { createInstanceFiles, type DraftsApi, type PlansApi, type SnapshotsApi } from './instance-files';
import { loadInstancesStore, type InstancesApi } from './instances-store';
import { GITIGNORE, workspaceLayout, type WorkspaceLayout } from './paths';
import { sortKeysDeep } from './stable-json';
import { loadTemplatesStore, type TemplatesApi } from './templates-store';

export interface QueueFileApi {
  /** The entries as last written (validated when the workspace opened). */
  read(): QueueEntry[];
  /** Replaces the stored queue; concurrent calls are folded into as few writes as possible. */
  write(entries: QueueEntry[]): Promise<void>;
}

export interface Workspace {
  dir: string;
  layout: WorkspaceLayout;
  /** Files that could not be used (moved aside), each naming the file and the problem. Grows as files load. */
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
}

export interface OpenWorkspaceOptions {
  now?: () => Date;
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
  const queueRead = await readVersioned(layout.queueFile, queueSpec);
  if (queueRead.ok) queueEntries = queueRead.value.entries;
  else if (!queueRead.missing) problems.push(queueRead.problem);
  const writeQueue = createCoalescedWriter(() =>
    writeVersioned(layout.queueFile, queueSpec, sortKeysDeep({ entries: queueEntries })),
  );

  return {
    dir,
    layout,
    problems,
    instances,
    templates,
    ...files,
    queue: {
      read: () => queueEntries.map((e) => ({ ...e })),
      write(entries) {
        queueEntries = entries.map((e) => ({ ...e }));
        return writeQueue();
      },
    },
    instanceDir: (id) => layout.instanceDir(id),
    async check() {
      const found: FileProblem[] = [];
      const fresh = await openWorkspaceFilesOnly(layout, found);
      const checkFile = async <T>(file: string, spec: FileSpec<T>) => {
        const result = await readVersioned(file, spec);
        if (!result.ok && !result.missing) found.push(result.problem);
      };
      for (const id of fresh) {
        await checkFile(layout.draftFile(id), draftSpec);
        await checkFile(layout.snapshotFile(id), snapshotSpec);
        await checkFile(layout.planFile(id), planSpec);
      }
      problems.push(...found);
      return found;
    },
  };
}

/** Re-reads the top-level files from disk; returns the instance ids that have a folder. */
async function openWorkspaceFilesOnly(layout: WorkspaceLayout, found: FileProblem[]): Promise<string[]> {
  await loadInstancesStore(layout, found, () => new Date());
  await loadTemplatesStore(layout, found);
  const queue = await readVersioned(layout.queueFile, queueSpec);
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
