// Binds the CLI's services seam to the real modules: workspace, keychain, ServiceNow client, engine and
// simulator. The only file of the CLI that knows their module paths and exact signatures.
import {
  UnfinishedApplyError,
  applyPlan,
  applyRollback,
  buildPlan,
  checkAgainstSnapshot,
  createApplyStore,
  discover,
  planRollback,
  renderReport,
} from '../engine';
import { runMany } from '../fleet';
import { openSecretStore } from '../secrets/open-secret-store';
import { readInstanceSecrets } from '../secrets/secret-store';
import { createServiceNowClient, type ServiceNowClient } from '../servicenow';
import { startSimulator } from '../simulator';
import type { FaultSpec, ScenarioName } from '../simulator/types';
import { defaultWorkspaceDir, instanceIdFromUrl, openWorkspace } from '../workspace';
import type { ApplyRecord } from '../../shared/domain/apply';
import { CliFailure, EXIT } from './exit-codes';
import type { CliIo } from './io';
import type { CliServices, Client, SavedInstance, SecretsView } from './services';

export function createRealServices(io: CliIo): CliServices {
  let secrets: Promise<SecretsView> | null = null;
  const clients: ServiceNowClient[] = [];
  const asClient = (client: Client) => client as ServiceNowClient;
  return {
    defaultWorkspaceDir: () => defaultWorkspaceDir(io.env),
    async openWorkspace(dir) {
      const workspace = await openWorkspace(dir);
      const view = (entry: SavedInstance): SavedInstance => ({
        id: entry.id,
        name: entry.name,
        url: entry.url,
        authMethod: entry.authMethod,
        username: entry.username,
        ...(entry.clientId ? { clientId: entry.clientId } : {}),
      });
      return {
        list: async () => workspace.instances.list().map(view),
        get: async (idOrName) => {
          const found = workspace.instances.get(idOrName);
          return found ? view(found) : null;
        },
        instanceDir: (id) => workspace.instanceDir(id),
      };
    },
    instanceIdFromUrl,
    openSecrets() {
      // Opened once per run, and only when a saved instance needs it (the probe touches the keychain).
      secrets ??= openSecretStore({ forceMemory: io.env.SPOKESMITH_SECRET_STORE === 'memory' }).then(
        (opened) => ({
          available: opened.available,
          message: opened.message,
          read: async (id) => readInstanceSecrets(opened.store, id),
        }),
      );
      return secrets;
    },
    createClient(instanceUrl, auth) {
      const client = createServiceNowClient({ instanceUrl, auth });
      clients.push(client);
      return client;
    },
    discover: (client, desired, userName) =>
      discover(asClient(client), { desired, ...(userName ? { userName } : {}) }),
    checkAgainstSnapshot: (desired, snapshot) => checkAgainstSnapshot(desired, snapshot),
    buildPlan: (snapshot, desired, now) => buildPlan(snapshot, desired, now),
    applyPlan: ({ client, plan, dir, onProgress }) =>
      plainFailure(applyPlan({ client: asClient(client), plan, dir, ...(onProgress ? { onProgress } : {}) })),
    async latestApply(dir) {
      const records = await createApplyStore(dir).listRecords();
      return records.find((record: ApplyRecord) => record.kind === 'apply') ?? null;
    },
    planRollback: (record, snapshot) => planRollback(record, snapshot),
    applyRollback: ({ client, dir, record, plan, onProgress }) =>
      plainFailure(
        applyRollback({ client: asClient(client), dir, record, plan, ...(onProgress ? { onProgress } : {}) }),
      ),
    renderReport: async (record, options) => renderReport(record, options),
    async runMany({ targets, concurrency, workspaceDir, onProgress }) {
      // The workspace lets the fleet runner record each instance's status as the run goes.
      const workspace = await openWorkspace(workspaceDir);
      const result = await runMany({
        targets: targets.map((t) => ({
          instanceId: t.id,
          client: asClient(t.client),
          desired: t.desired,
          dir: t.dir,
        })),
        concurrency,
        workspace,
        onProgress,
      });
      return result.outcomes.map((o) => ({
        instanceId: o.instanceId,
        status: o.status,
        ok: o.ok,
        message: o.message,
        record: o.record,
      }));
    },
    async startSimulator(options) {
      // sim-options.ts only lets through the simulator's scenario names and fault kinds.
      const sim = await startSimulator({
        ...options,
        scenario: options.scenario as ScenarioName,
        faults: options.faults as FaultSpec[] | undefined,
      });
      return { url: sim.url, users: sim.users, close: () => sim.close() };
    },
    closeAll() {
      for (const client of clients.splice(0)) client.close();
    },
  };
}

/** An unfinished earlier apply is an expected stop, told in the engine's own plain words. */
async function plainFailure<T>(run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (error) {
    if (error instanceof UnfinishedApplyError) throw new CliFailure(EXIT.failed, error.message);
    throw error;
  }
}
