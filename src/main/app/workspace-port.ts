// Binds the services' WorkspacePort to the workspace store (src/main/workspace).
import { AppError } from '../ipc/errors';
import type { Workspace } from '../workspace';
import { instanceIdFromUrl, WorkspaceInputError } from '../workspace';
import type { InstanceRecord, InstanceState, WorkspacePort } from './ports';

export function workspacePort(ws: Workspace): WorkspacePort {
  const toRecord = (r: ReturnType<Workspace['instances']['list']>[number]): InstanceRecord => ({
    id: r.id,
    name: r.name,
    url: r.url,
    authMethod: r.authMethod,
    username: r.username,
    ...(r.clientId ? { clientId: r.clientId } : {}),
    isDemo: r.isDemo,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  });
  // `instances.get` also matches by name; the services address instances by id only.
  const byId = (id: string) => {
    const found = ws.instances.get(id);
    return found && found.id === id ? found : undefined;
  };
  return {
    listInstances: async () => ws.instances.list().map(toRecord),
    getInstance: async (id) => {
      const found = byId(id);
      return found ? toRecord(found) : null;
    },
    async saveInstance(record) {
      const previous = byId(record.id);
      await refusedAsInvalid(() =>
        ws.instances.save({
          id: record.id,
          name: record.name,
          url: record.url,
          authMethod: record.authMethod,
          username: record.username,
          ...(record.clientId ? { clientId: record.clientId } : {}),
          isDemo: record.isDemo,
          // Fields the app does not edit (tags, template variables) are kept as they are.
          ...(previous?.tags ? { tags: previous.tags } : {}),
          ...(previous?.variables ? { variables: previous.variables } : {}),
          ...(previous?.template ? { template: previous.template } : {}),
        }),
      );
    },
    removeInstance: (id) => ws.instances.remove(id),
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
      await ws.instances.setStatus(id, state.status, state.statusMessage);
      if (state.lastDiscoveredAt && state.lastDiscoveredAt !== found.lastDiscoveredAt) {
        await ws.instances.markDiscovered(id, state.lastDiscoveredAt);
      }
    },
    getDraft: (id) => ws.drafts.get(id),
    async saveDraft(id, draft) {
      await refusedAsInvalid(() => ws.drafts.save(id, { main: draft.main, clientCred: draft.clientCred }));
    },
    latestSnapshot: (id) => ws.snapshots.latest(id),
    saveSnapshot: (id, snapshot) => ws.snapshots.save(id, snapshot),
    instanceDir: (id) => ws.instanceDir(id),
    instanceIdFromUrl,
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
