// The instance list: shareable entries in instances.json, machine-local status in local-state.json,
// presented merged as InstanceRecord. Held in memory after the workspace opens; every change is
// written atomically before the promise resolves.
import { copyFile } from 'node:fs/promises';
import type { FileProblem } from '../storage/json-file';
import { readVersioned, writeVersioned } from '../storage/json-file';
import type { InstanceStatus } from '../../shared/ipc/contract';
import { InstanceIdSchema } from '../../shared/ipc/contract';
import { InstanceEntrySchema, type InstanceEntry, type InstanceState } from '../../shared/workspace/schemas';
import { instanceIdFromUrl, normalizeWorkspaceUrl } from '../../shared/workspace/instance-id';
import { createCoalescedWriter } from './coalesced-writer';
import { parseInput, WorkspaceInputError } from './errors';
import { instancesSpec, localStateSpec } from './file-specs';
import type { WorkspaceLayout } from './paths';
import { sameJson, sortKeysDeep } from './stable-json';

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
  list(): InstanceRecord[];
  /** By id, then by exact name, then by name ignoring case. */
  get(idOrName: string): InstanceRecord | undefined;
  save(input: InstanceSaveInput): Promise<InstanceRecord>;
  /** Removes the instance from the list; its folder (history, snapshots) stays unless purged by the caller. */
  remove(id: string): Promise<boolean>;
  setStatus(id: string, status: InstanceStatus, message?: string | null): Promise<InstanceRecord>;
  /** Records when the instance was last discovered (snapshots.save calls this). */
  markDiscovered(id: string, at: string): Promise<void>;
}

const INITIAL_STATE: InstanceState = { status: 'not_checked', statusMessage: null, lastDiscoveredAt: null };

export async function loadInstancesStore(
  layout: WorkspaceLayout,
  problems: FileProblem[],
  now: () => Date,
): Promise<InstancesApi> {
  const entries = new Map<string, InstanceEntry>();
  const states = new Map<string, InstanceState>();

  const listFile = await readVersioned(layout.instancesFile, instancesSpec);
  if (listFile.ok) {
    for (const entry of listFile.value.instances) entries.set(entry.id, entry);
  } else if (!listFile.missing) {
    problems.push(listFile.problem);
  }
  const stateFile = await readVersioned(layout.localStateFile, localStateSpec);
  if (stateFile.ok) {
    for (const [id, state] of Object.entries(stateFile.value.instances)) states.set(id, state);
  } else if (!stateFile.missing) {
    problems.push(stateFile.problem);
  }

  const writeList = createCoalescedWriter(() =>
    writeVersioned(
      layout.instancesFile,
      instancesSpec,
      sortKeysDeep({ instances: [...entries.values()].sort((a, b) => a.id.localeCompare(b.id)) }),
    ),
  );
  const writeStates = createCoalescedWriter(() => {
    const instances: Record<string, InstanceState> = {};
    for (const id of [...states.keys()].sort()) if (entries.has(id)) instances[id] = states.get(id)!;
    return writeVersioned(layout.localStateFile, localStateSpec, sortKeysDeep({ instances }));
  });

  if (listFile.ok && listFile.migratedFrom !== null) {
    // Keep the file as the older version wrote it, then store it in the current version once, so the
    // migration does not run (and a shared file does not look changed) on every start.
    await copyFile(layout.instancesFile, `${layout.instancesFile}.v${listFile.migratedFrom}.bak`);
    await writeList();
  }

  const record = (entry: InstanceEntry): InstanceRecord => ({
    ...entry,
    ...(states.get(entry.id) ?? INITIAL_STATE),
  });

  const requireEntry = (id: string): InstanceEntry => {
    const entry = entries.get(id);
    if (!entry) throw new Error(`No instance "${id}" in this workspace.`);
    return entry;
  };

  const freeIdFor = (url: string): string => {
    const base = instanceIdFromUrl(url);
    let candidate = base;
    for (let n = 2; entries.has(candidate) && entries.get(candidate)!.url !== url; n += 1) {
      candidate = `${base.slice(0, 60)}-${n}`;
    }
    return candidate;
  };

  return {
    list: () => [...entries.values()].sort((a, b) => a.name.localeCompare(b.name)).map(record),

    get(idOrName) {
      const byId = entries.get(idOrName);
      if (byId) return record(byId);
      const all = [...entries.values()];
      const exact = all.find((e) => e.name === idOrName);
      if (exact) return record(exact);
      const lower = idOrName.toLowerCase();
      const loose = all.find((e) => e.name.toLowerCase() === lower);
      return loose ? record(loose) : undefined;
    },

    async save(input) {
      const url = normalizeWorkspaceUrl(input.url);
      if (!url)
        throw new WorkspaceInputError(
          `"${input.url}" is not an instance URL (use https://<name>.service-now.com).`,
        );
      const id = input.id !== undefined ? InstanceIdSchema.parse(input.id) : freeIdFor(url);
      const previous = entries.get(id);
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
      const unchanged = previous && sameJson({ ...previous, updatedAt: '' }, { ...candidate, updatedAt: '' });
      if (unchanged) return record(previous);
      const entry = { ...candidate, updatedAt: previous ? stamp : candidate.updatedAt };
      entries.set(id, entry);
      await writeList();
      return record(entry);
    },

    async remove(id) {
      if (!entries.delete(id)) return false;
      states.delete(id);
      await Promise.all([writeList(), writeStates()]);
      return true;
    },

    async setStatus(id, status, message = null) {
      const entry = requireEntry(id);
      const previous = states.get(id) ?? INITIAL_STATE;
      const next = { ...previous, status, statusMessage: message };
      if (!sameJson(previous, next) || !states.has(id)) {
        states.set(id, next);
        await writeStates();
      }
      return record(entry);
    },

    async markDiscovered(id, at) {
      requireEntry(id);
      states.set(id, { ...(states.get(id) ?? INITIAL_STATE), lastDiscoveredAt: at });
      await writeStates();
    },
  };
}
