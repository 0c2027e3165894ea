// Binds the services' WorkspacePort to the workspace store (src/main/workspace).
import { AppError } from '../ipc/errors';
import type { Workspace } from '../workspace';
import { instanceIdFromUrl, WorkspaceInputError } from '../workspace';
import type { InstanceRecord, InstanceState, WorkspacePort } from './ports';

/** `current` is read on every call: the workspace may be re-pointed at another folder while the app runs. */
export function workspacePort(current: Workspace | (() => Workspace)): WorkspacePort {
  const store = typeof current === 'function' ? current : () => current;
  const toRecord = (r: ReturnType<Workspace['instances']['list']>[number]): InstanceRecord => ({
    id: r.id,
    name: r.name,
    url: r.url,
    authMethod: r.authMethod,
    username: r.username,
    ...(r.clientId ? { clientId: r.clientId } : {}),
    isDemo: r.isDemo,
    ...(r.variables ? { variables: { ...r.variables } } : {}),
    ...(r.template ? { template: r.template } : {}),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  });
  // `instances.get` also matches by name; the services address instances by id only.
  const byId = (id: string) => {
    const found = store().instances.get(id);
    return found && found.id === id ? found : undefined;
  };
  return {
    listInstances: async () => store().instances.list().map(toRecord),
    getInstance: async (id) => {
      const found = byId(id);
      return found ? toRecord(found) : null;
    },
    async saveInstance(record) {
      const previous = byId(record.id);
      await refusedAsInvalid(() =>
        store().instances.save({
          id: record.id,
          name: record.name,
          url: record.url,
          authMethod: record.authMethod,
          username: record.username,
          ...(record.clientId ? { clientId: record.clientId } : {}),
          isDemo: record.isDemo,
          // Fields the record leaves out are kept as they are (tags are never edited in the app).
          ...(previous?.tags ? { tags: previous.tags } : {}),
          ...((record.variables ?? previous?.variables)
            ? { variables: record.variables ?? previous?.variables }
            : {}),
          ...((record.template ?? previous?.template)
            ? { template: record.template ?? previous?.template }
            : {}),
        }),
      );
    },
    removeInstance: (id) => store().instances.remove(id),
    async getState(id): Promise<InstanceState> {
      const found = byId(id);
      return {
        status: found?.status ?? 'not_checked',
        statusMessage: found?.statusMessage ?? null,
        lastDiscoveredAt: found?.lastDiscoveredAt ?? null,
      };
    },
    async setState(id, state) {
      const found = byId(id);
      if (!found) return;
      await store().instances.setStatus(id, state.status, state.statusMessage);
      if (state.lastDiscoveredAt && state.lastDiscoveredAt !== found.lastDiscoveredAt) {
        await store().instances.markDiscovered(id, state.lastDiscoveredAt);
      }
    },
    getDraft: (id) => store().drafts.get(id),
    async saveDraft(id, draft) {
      await refusedAsInvalid(() =>
        store().drafts.save(id, { main: draft.main, clientCred: draft.clientCred }),
      );
    },
    latestSnapshot: (id) => store().snapshots.latest(id),
    saveSnapshot: (id, snapshot) => store().snapshots.save(id, snapshot),
    instanceDir: (id) => store().instanceDir(id),
    instanceIdFromUrl,
    store,
  };
}

/** The workspace refuses bad input with WorkspaceInputError: that is the user's input, not a bug. */
async function refusedAsInvalid<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof WorkspaceInputError)
      throw new AppError('invalid_input', error.message, error.issues);
    throw error;
  }
}
