// The instance list: shareable entries in instances.json, machine-local status in local-state.json,
// presented merged as InstanceRecord. Several processes change these files (the app and CLI runs on one
// workspace): every change is a read–modify–write of the file on disk under its lock
// (src/main/storage/update-file.ts), and reads come from a copy that every change and `reload()` refresh.
import { copyFile } from 'node:fs/promises';
import type { FileProblem } from '../storage/json-file';
import { LEAVE_IN_PLACE, readVersioned } from '../storage/json-file';
import { createFileUpdater } from '../storage/update-file';
import { assertSafeToWrite } from '../storage/safe-path';
import { FileProblemError } from '../storage/errors';
import type { InstanceStatus } from '../../shared/ipc/contract';
import {
  InstanceEntrySchema,
  InstanceIdSchema,
  type InstanceEntry,
  type InstanceState,
} from '../../shared/workspace/schemas';
import { instanceIdFromUrl, normalizeWorkspaceUrl } from '../../shared/workspace/instance-id';
import { parseInput, WorkspaceConflictError, WorkspaceInputError } from './errors';
import { instancesSpec, localStateSpec, type LocalStateFile } from './file-specs';
import type { WorkspaceLayout } from './paths';
import { revisionOf, sameJson, sortKeysDeep } from './stable-json';

export type InstanceRecord = InstanceEntry & InstanceState;

/** What a caller gives to add or edit an instance; ids are derived from the URL when absent. */
export interface InstanceSaveInput {
  id?: string;
  name: string;
  url: string;
  authMethod: InstanceEntry['authMethod'];
  username: string;
  clientId?: string;
  isDemo?: boolean;
  tags?: string[];
  variables?: Record<string, string>;
  template?: string;
}

export interface InstancesApi {
  /**
   * Throws FileProblemError naming instances.json when this version cannot read it: an unreadable list
   * is never shown as an empty one (issue 9 finding 7). The same holds for get().
   */
  list(): InstanceRecord[];
  /** By id, then by exact name, then by name ignoring case. */
  get(idOrName: string): InstanceRecord | undefined;
  /**
   * Adds or changes the entry in instances.json as it is on disk now, under its lock. With
   * `options.basedOn` (the entry's revision as the caller read it, null: no entry with that id) the save
   * is refused with WorkspaceConflictError, writing nothing, when the entry on disk is no longer that one.
   * `options.beforeWrite` runs under the same lock after that check and before the write (the keychain
   * write of the same save: src/main/operations/instances.ts); if it fails nothing is written. When it is
   * given the entry counts as changed (its updatedAt, so its revision, moves) even if no field did: the
   * credentials behind it did.
   */
  save(input: InstanceSaveInput, options?: InstanceSaveOptions): Promise<InstanceRecord>;
  /** Removes the instance from the list; its folder (history, snapshots) stays unless purged by the caller. */
  remove(id: string): Promise<boolean>;
  setStatus(id: string, status: InstanceStatus, message?: string | null): Promise<InstanceRecord>;
  /** Records when the instance was last discovered (snapshots.save calls this). */
  markDiscovered(id: string, at: string): Promise<void>;
  /** Re-reads both files (another process may have changed them). */
  reload(): Promise<void>;
}

export interface InstanceSaveOptions {
  basedOn?: string | null;
  beforeWrite?: () => Promise<void>;
}

const ENTRY_KEYS = Object.keys(InstanceEntrySchema.shape);

/**
 * What an instance editor reads with the entry and sends back as `basedOn` (null: no entry). Only the
 * shareable entry counts, never the machine-local status: a connection test must not make an open
 * editor's save look stale.
 */
export function instanceRevision(instance: InstanceEntry | InstanceRecord | null | undefined): string | null {
  if (!instance) return null;
  const entry = Object.fromEntries(Object.entries(instance).filter(([key]) => ENTRY_KEYS.includes(key)));
  return revisionOf(entry);
}

const INITIAL_STATE: InstanceState = { status: 'not_checked', statusMessage: null, lastDiscoveredAt: null };

/** Replaces the problem reported for `file` (a reload may find it fixed, or broken). */
export function setProblem(problems: FileProblem[], file: string, problem: FileProblem | null): void {
  for (let i = problems.length - 1; i >= 0; i -= 1) if (problems[i]!.file === file) problems.splice(i, 1);
  if (problem) problems.push(problem);
}

export async function loadInstancesStore(
  layout: WorkspaceLayout,
  problems: FileProblem[],
  now: () => Date,
): Promise<InstancesApi> {
  let entries = new Map<string, InstanceEntry>();
  let listProblem: FileProblem | null = null;
  let states = new Map<string, InstanceState>();
  const setEntries = (file: { instances: InstanceEntry[] } | null) => {
    entries = new Map((file?.instances ?? []).map((entry) => [entry.id, entry]));
  };
  const setStates = (file: LocalStateFile | null) => {
    states = new Map(Object.entries(file?.instances ?? {}));
  };

  const list = createFileUpdater(layout.instancesFile, instancesSpec, {
    onWritten: (file) => {
      setEntries(file);
      listProblem = null; // Read and written fine just now (e.g. restored by hand since the last reload).
      setProblem(problems, layout.instancesFile, null);
    },
    root: layout.dir,
  });
  const local = createFileUpdater(layout.localStateFile, localStateSpec, {
    onWritten: setStates,
    root: layout.dir,
  });

  const reload = async (): Promise<{ migratedFrom: number | null }> => {
    const listFile = await readVersioned(layout.instancesFile, instancesSpec, LEAVE_IN_PLACE);
    setEntries(listFile.ok ? listFile.value : null);
    listProblem = !listFile.ok && !listFile.missing ? listFile.problem : null;
    setProblem(problems, layout.instancesFile, listProblem);
    const stateFile = await readVersioned(layout.localStateFile, localStateSpec, LEAVE_IN_PLACE);
    setStates(stateFile.ok ? stateFile.value : null);
    setProblem(
      problems,
      layout.localStateFile,
      !stateFile.ok && !stateFile.missing ? stateFile.problem : null,
    );
    return { migratedFrom: listFile.ok ? listFile.migratedFrom : null };
  };

  const { migratedFrom } = await reload();
  if (migratedFrom !== null) {
    // Keep the file as the older version wrote it, then store it in the current version once, so the
    // migration does not run (and a shared file does not look changed) on every start.
    const backup = `${layout.instancesFile}.v${migratedFrom}.bak`;
    await assertSafeToWrite(backup, layout.dir); // copyFile would follow a link planted at that name.
    await copyFile(layout.instancesFile, backup);
    await list.update((current) => (current ? storedList(current.instances) : undefined));
  }

  const record = (entry: InstanceEntry): InstanceRecord => ({
    ...entry,
    ...(states.get(entry.id) ?? INITIAL_STATE),
  });

  const requireEntry = (id: string): InstanceEntry => {
    if (listProblem) throw new FileProblemError(listProblem);
    const entry = entries.get(id);
    if (!entry) throw new Error(`No instance "${id}" in this workspace.`);
    return entry;
  };

  /** Changes one instance's machine-local state as it is on disk now. */
  const updateState = async (id: string, change: (previous: InstanceState) => InstanceState) => {
    await local.update((current) => {
      const previous = current?.instances[id];
      const next = change(previous ?? INITIAL_STATE);
      if (previous && sameJson(previous, next)) return undefined;
      return sortKeysDeep({ instances: { ...current?.instances, [id]: next } });
    });
  };

  const readable = () => {
    if (listProblem) throw new FileProblemError(listProblem);
  };

  return {
    list: () => {
      readable();
      return [...entries.values()].sort((a, b) => a.name.localeCompare(b.name)).map(record);
    },

    get(idOrName) {
      readable();
      const byId = entries.get(idOrName);
      if (byId) return record(byId);
      const all = [...entries.values()];
      const exact = all.find((e) => e.name === idOrName);
      if (exact) return record(exact);
      const lower = idOrName.toLowerCase();
      const loose = all.find((e) => e.name.toLowerCase() === lower);
      return loose ? record(loose) : undefined;
    },

    async save(input, options = {}) {
      const url = normalizeWorkspaceUrl(input.url);
      if (!url)
        throw new WorkspaceInputError(
          `"${input.url}" is not an instance URL (use https://<name>.service-now.com).`,
        );
      const givenId = input.id !== undefined ? InstanceIdSchema.parse(input.id) : undefined;
      let saved: InstanceEntry | null = null;
      await list.update(async (current) => {
        const onDisk = new Map((current?.instances ?? []).map((entry) => [entry.id, entry]));
        const id = givenId ?? freeIdFor(onDisk, url);
        const previous = onDisk.get(id);
        // Under the lock, against the file as it is now: no other process's save slips in between the
        // check and the write. Thrown, it fails this save alone (see createFileUpdater) and the list in
        // memory is refreshed from disk, so it shows the other process's version.
        if (options.basedOn !== undefined && instanceRevision(previous) !== options.basedOn)
          throw instanceConflict(input.name, id, previous, options.basedOn);
        const stamp = now().toISOString();
        // Built field by field: whatever else the caller's object holds (a password, say) never reaches disk.
        const candidate = parseInput(
          InstanceEntrySchema,
          {
            id,
            name: input.name,
            url,
            authMethod: input.authMethod,
            username: input.username,
            clientId: input.clientId,
            isDemo: input.isDemo ?? previous?.isDemo ?? false,
            tags: input.tags,
            variables: input.variables,
            template: input.template,
            createdAt: previous?.createdAt ?? stamp,
            updatedAt: previous?.updatedAt ?? stamp,
          },
          `Instance "${input.name}"`,
        );
        const unchanged =
          previous && sameJson({ ...previous, updatedAt: '' }, { ...candidate, updatedAt: '' });
        if (unchanged && !options.beforeWrite) {
          saved = previous;
          return undefined;
        }
        await options.beforeWrite?.();
        saved = { ...candidate, updatedAt: previous ? stamp : candidate.updatedAt };
        onDisk.set(id, saved);
        return storedList([...onDisk.values()]);
      });
      return record(saved!);
    },

    async remove(id) {
      let removed = false;
      await list.update((current) => {
        const kept = (current?.instances ?? []).filter((entry) => entry.id !== id);
        removed = kept.length !== (current?.instances.length ?? 0);
        return removed ? storedList(kept) : undefined;
      });
      if (!removed) return false;
      await local.update((current) => {
        if (!current?.instances[id]) return undefined;
        const { [id]: _removed, ...rest } = current.instances;
        return { instances: rest };
      });
      return true;
    },

    async setStatus(id, status, message = null) {
      requireEntry(id);
      await updateState(id, (previous) => ({ ...previous, status, statusMessage: message }));
      return record(requireEntry(id));
    },

    async markDiscovered(id, at) {
      requireEntry(id);
      await updateState(id, (previous) => ({ ...previous, lastDiscoveredAt: at }));
    },

    async reload() {
      await reload();
    },
  };
}

/** Why a save based on `basedOn` is refused, `stored` being the entry as it is now (if any). */
export function instanceConflict(
  name: string,
  id: string,
  stored: InstanceEntry | null | undefined,
  basedOn: string | null,
): WorkspaceConflictError {
  if (!stored)
    return new WorkspaceConflictError(
      `Instance "${name}" was removed by another process since it was read; nothing was saved.`,
    );
  if (basedOn === null)
    return new WorkspaceConflictError(
      `Another process added an instance with the id "${id}" (${stored.url}) since this one was read; ` +
        'nothing was saved.',
    );
  return new WorkspaceConflictError(
    `Instance "${stored.name}" was changed by another process since it was read; nothing was saved.`,
  );
}

/** instances.json as stored: sorted by id with sorted keys, so a shared file diffs cleanly in git. */
function storedList(instances: InstanceEntry[]) {
  return sortKeysDeep({ instances: [...instances].sort((a, b) => a.id.localeCompare(b.id)) });
}

function freeIdFor(entries: Map<string, InstanceEntry>, url: string): string {
  const base = instanceIdFromUrl(url);
  let candidate = base;
  for (let n = 2; entries.has(candidate) && entries.get(candidate)!.url !== url; n += 1) {
    candidate = `${base.slice(0, 60)}-${n}`;
  }
  return candidate;
}
