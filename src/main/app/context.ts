// Helpers every app service shares: the current workspace, an instance or not_found, its credentials
// (the demo's, or the keychain's for the origin they were stored for), a client that reports whether the
// instance answered, and the renderer's view of an instance. One writer per instance is the operations
// layer's lock (src/main/operations/lock.ts), across processes — not a map in this process.
import { entraDraftFields } from '../../shared/domain/entra-draft';
import { secretExpiry } from '../../shared/domain/walkup-status';
import type { InstanceView } from '../../shared/ipc/contract';
import { AppError } from '../ipc/errors';
import { byId, readSecretsFor, authFromSecrets, type InstanceAuth } from '../operations';
import { createServiceNowClient, type ServiceNowClient } from '../servicenow';
import { instanceRevision, type InstanceRecord, type Workspace } from '../workspace';
import { reportAnswered, reportFailure } from './answered';
import type { AppDeps } from './deps';

export interface AppContext extends AppDeps {
  /** The workspace the app points at now. */
  workspace(): Workspace;
  requireInstance(id: string): Promise<InstanceRecord>;
  authFor(instance: InstanceRecord): Promise<InstanceAuth>;
  /**
   * Runs `task` with a client built from the instance's credentials (a `keychain` error when there are
   * none) and closes it afterwards. Whether the instance answered goes to the offline queue's network state.
   */
  withClient<T>(instance: InstanceRecord, task: (client: ServiceNowClient) => Promise<T>): Promise<T>;
  view(instance: InstanceRecord): Promise<InstanceView>;
}

export function createAppContext(deps: AppDeps): AppContext {
  const workspace = () => deps.home.current();
  const ctx: AppContext = {
    ...deps,
    workspace,
    async requireInstance(id) {
      const instance = byId(workspace(), id);
      if (!instance) throw new AppError('not_found', `There is no instance "${id}" in this workspace.`);
      return instance;
    },
    authFor: (instance) => authForInstance(deps, instance),
    async withClient(instance, task) {
      const client = createServiceNowClient({
        instanceUrl: instance.url,
        auth: await authForInstance(deps, instance),
      });
      try {
        const result = await task(client);
        reportAnswered(deps, instance.id);
        return result;
      } catch (error) {
        reportFailure(deps, instance.id, error);
        throw error;
      } finally {
        client.close();
      }
    },
    async view(instance) {
      const isDemo = instance.isDemo && deps.demo?.instanceId === instance.id;
      const secretConfigured = isDemo || (await deps.secrets.store.get(instance.id)) !== null;
      const expires = await draftSecretExpires(deps, instance.id);
      return {
        id: instance.id,
        name: instance.name,
        url: instance.url,
        authMethod: instance.authMethod,
        username: instance.username,
        secretConfigured,
        status: instance.status,
        statusMessage: instance.statusMessage,
        lastDiscoveredAt: instance.lastDiscoveredAt,
        isDemo: instance.isDemo,
        variables: { ...(instance.variables ?? {}) },
        template: instance.template ?? null,
        secretExpiry: secretExpiry(expires, deps.now()),
        revision: instanceRevision(instance)!,
      };
    },
  };
  return ctx;
}

/** The Entra client secret's expiry date typed in the instance's draft, if any (issue 10 §6). */
export async function draftSecretExpires(deps: AppDeps, id: string): Promise<string | undefined> {
  const draft = await deps.home.current().drafts.get(id);
  return (draft?.entra && entraDraftFields(draft.entra).secretExpires.trim()) || undefined;
}

/** The instance's credentials: the demo's, or the stored ones (a `keychain` error when there are none). */
export async function authForInstance(deps: AppDeps, instance: InstanceRecord): Promise<InstanceAuth> {
  if (instance.isDemo && deps.demo && deps.demo.instanceId === instance.id) return deps.demo.auth;
  const secrets = await readSecretsFor(deps.secrets.store, instance);
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
export async function openInstanceClient(deps: AppDeps, id: string): Promise<ServiceNowClient> {
  const instance = byId(deps.home.current(), id);
  if (!instance) throw new AppError('not_found', `There is no instance "${id}" in this workspace.`);
  return createServiceNowClient({ instanceUrl: instance.url, auth: await authForInstance(deps, instance) });
}
