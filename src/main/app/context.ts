// Helpers every app service shares: load an instance or answer not_found, build its client from the
// stored secrets, turn it into the renderer's view, and keep one long operation per instance at a time.
import type { InstanceView } from '../../shared/ipc/contract';
import { AppError } from '../ipc/errors';
import { reportAnswered, reportFailure } from './answered';
import { readInstanceSecrets, type InstanceSecrets } from '../secrets/secret-store';
import type { AppDeps, Client, ClientAuth, InstanceRecord, InstanceState } from './ports';

export interface AppContext extends AppDeps {
  requireInstance(id: string): Promise<InstanceRecord>;
  /**
   * Runs `task` with a client built from the instance's stored secrets (a `keychain` error when they are
   * not there) and closes the client afterwards. Whether the instance answered is recorded in the offline
   * queue's network state.
   */
  withClient<T>(instance: InstanceRecord, task: (client: Client) => Promise<T>): Promise<T>;
  authFor(instance: InstanceRecord): Promise<ClientAuth>;
  view(instance: InstanceRecord): Promise<InstanceView>;
  setState(id: string, patch: Partial<InstanceState>): Promise<void>;
  /** Runs `task` unless another long operation (discover, apply, rollback) runs on the instance. */
  exclusive<T>(id: string, what: string, task: () => Promise<T>): Promise<T>;
  /**
   * Marks the instance busy for a fleet run: the release function, or the other operation's name when
   * the instance is already busy.
   */
  tryAcquire(id: string, what: string): { release: () => void } | { busyWith: string };
}

export function createAppContext(deps: AppDeps): AppContext {
  const running = new Map<string, string>();

  const requireInstance = async (id: string) => {
    const instance = await deps.workspace.getInstance(id);
    if (!instance) throw new AppError('not_found', `There is no instance "${id}" in this workspace.`);
    return instance;
  };

  const authFor = (instance: InstanceRecord) => authForInstance(deps, instance);

  const view = async (instance: InstanceRecord): Promise<InstanceView> => {
    const state = await deps.workspace.getState(instance.id);
    const isDemo = instance.isDemo && deps.demo?.instanceId === instance.id;
    const secretConfigured = isDemo || (await deps.secrets.store.get(instance.id)) !== null;
    return {
      id: instance.id,
      name: instance.name,
      url: instance.url,
      authMethod: instance.authMethod,
      username: instance.username,
      secretConfigured,
      status: state.status,
      statusMessage: state.statusMessage,
      lastDiscoveredAt: state.lastDiscoveredAt,
      isDemo: instance.isDemo,
      variables: { ...(instance.variables ?? {}) },
      template: instance.template ?? null,
    };
  };

  return {
    ...deps,
    requireInstance,
    authFor,
    withClient: async (instance, task) => {
      const client = deps.engine.createClient(instance.url, await authFor(instance));
      try {
        const result = await task(client);
        reportAnswered(deps, instance.id);
        return result;
      } catch (error) {
        reportFailure(deps, instance.id, error);
        throw error;
      } finally {
        deps.engine.closeClient(client);
      }
    },
    view,
    setState: async (id, patch) => {
      const current = await deps.workspace.getState(id);
      await deps.workspace.setState(id, { ...current, ...patch });
    },
    exclusive: async (id, what, task) => {
      const other = running.get(id);
      if (other) throw new AppError('busy', `This instance is busy (${other}); wait until it finishes.`);
      running.set(id, what);
      try {
        return await task();
      } finally {
        running.delete(id);
      }
    },
    tryAcquire(id, what) {
      const other = running.get(id);
      if (other) return { busyWith: other };
      running.set(id, what);
      return { release: () => void running.delete(id) };
    },
  };
}

/** The instance's credentials: the demo's, or the stored ones (a `keychain` error when there are none). */
export async function authForInstance(deps: AppDeps, instance: InstanceRecord): Promise<ClientAuth> {
  if (instance.isDemo && deps.demo && deps.demo.instanceId === instance.id) return deps.demo.auth;
  const secrets = await readInstanceSecrets(deps.secrets.store, instance.id);
  const auth = secrets ? authFromSecrets(instance, secrets) : null;
  if (!auth) {
    throw new AppError(
      'keychain',
      deps.secrets.available
        ? `No credentials are stored for ${instance.name}: edit the instance and enter them again.`
        : `No credentials are known for ${instance.name} in this run (there is no OS keychain): edit the instance and enter them again.`,
    );
  }
  return auth;
}

/** A client for the instance, for modules that run without a service call around them (the queue). */
export async function openInstanceClient(deps: AppDeps, id: string): Promise<Client> {
  const instance = await deps.workspace.getInstance(id);
  if (!instance) throw new AppError('not_found', `There is no instance "${id}" in this workspace.`);
  return deps.engine.createClient(instance.url, await authForInstance(deps, instance));
}

export function authFromSecrets(instance: InstanceRecord, secrets: InstanceSecrets): ClientAuth | null {
  if (!secrets.password) return null;
  if (instance.authMethod === 'basic') {
    return { kind: 'basic', username: instance.username, password: secrets.password };
  }
  if (!instance.clientId || !secrets.clientSecret) return null;
  return {
    kind: 'oauth',
    clientId: instance.clientId,
    clientSecret: secrets.clientSecret,
    username: instance.username,
    password: secrets.password,
  };
}
