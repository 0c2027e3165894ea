// Binds the CLI's services seam to the real modules: workspace, keychain, ServiceNow client, engine and
// simulator. The only file of the CLI that knows their module paths and exact signatures.
import { readFile } from 'node:fs/promises';
import {
  UnfinishedApplyError,
  applyPlan,
  resumeApply,
  applyRollback,
  buildPlan,
  checkAgainstSnapshot,
  createApplyStore,
  discover,
  planRollback,
  renderReport,
} from '../engine';
import { createOfflineQueue, detectDrift, runMany, type InstanceOutcome } from '../fleet';
import { describeKeychainError, openSecretStore } from '../secrets/open-secret-store';
import { readInstanceSecrets, writeInstanceSecrets } from '../secrets/secret-store';
import { createServiceNowClient, type ServiceNowClient } from '../servicenow';
import { startSimulator } from '../simulator';
import type { FaultSpec, ScenarioName } from '../simulator/types';
import {
  defaultWorkspaceDir,
  exportInstancesFile,
  exportTemplatesFile,
  importInstancesFile,
  importTemplatesFile,
  instanceIdFromUrl,
  openWorkspace,
  type InstanceRecord,
  type Workspace,
} from '../workspace';
import { importTemplatesJson } from '../../shared/workspace/template-transfer';
import type { QueueEntry } from '../../shared/workspace/schemas';
import type { ApplyRecord } from '../../shared/domain/apply';
import { CliFailure, EXIT } from './exit-codes';
import type { CliIo } from './io';
import type {
  CliServices,
  Client,
  DriftResult,
  ManyOutcome,
  QueuedApply,
  SavedInstance,
  SecretsView,
  WorkspaceView,
} from './services';

export function createRealServices(io: CliIo): CliServices {
  let secrets: Promise<SecretsView> | null = null;
  const clients: ServiceNowClient[] = [];
  const asClient = (client: Client) => client as ServiceNowClient;
  // One Workspace object per folder and run: two in-memory copies of instances.json or queue.json would
  // overwrite each other's changes when both write.
  const workspaces = new Map<string, Promise<Workspace>>();
  const workspaceAt = (dir: string) => {
    let opened = workspaces.get(dir);
    if (!opened) {
      opened = openWorkspace(dir);
      workspaces.set(dir, opened);
    }
    return opened;
  };
  return {
    defaultWorkspaceDir: () => defaultWorkspaceDir(io.env),
    async openWorkspace(dir) {
      return workspaceView(await workspaceAt(dir));
    },
    instanceIdFromUrl,
    openSecrets() {
      // Opened once per run, and only when a saved instance needs it (the probe touches the keychain).
      secrets ??= openSecretStore({ forceMemory: io.env.SPOKESMITH_SECRET_STORE === 'memory' }).then(
        (opened) => ({
          available: opened.available,
          message: opened.message,
          read: async (id) => readInstanceSecrets(opened.store, id),
          async write(id, values) {
            try {
              await writeInstanceSecrets(opened.store, id, values);
            } catch (error) {
              // e.g. a locked keychain, or Windows' 2560-byte credential limit; never the value itself.
              throw new CliFailure(
                EXIT.failed,
                `The credentials were verified but not stored. ${describeKeychainError(error)}`,
              );
            }
          },
          remove: (id) => opened.store.delete(id),
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
    listApplies: (dir) => createApplyStore(dir).listRecords(),
    getApply: (dir, applyId) => createApplyStore(dir).getRecord(applyId),
    async unfinishedApply(dir, options) {
      const store = createApplyStore(dir);
      const pending =
        (await store.unfinished()) ?? (options?.includeFailed ? await store.latestFailed() : null);
      return pending?.applyId ?? null;
    },
    resumeApply: ({ client, dir, onProgress, reopenFailed }) =>
      resumeApply({
        client: asClient(client),
        dir,
        ...(onProgress ? { onProgress } : {}),
        ...(reopenFailed ? { reopenFailed } : {}),
      }),
    async verifyCredentials(client) {
      const who = await asClient(client).whoami();
      return { userName: who.userName, roles: who.roles };
    },
    planRollback: (record, snapshot) => planRollback(record, snapshot),
    applyRollback: ({ client, dir, record, plan, onProgress }) =>
      plainFailure(
        applyRollback({ client: asClient(client), dir, record, plan, ...(onProgress ? { onProgress } : {}) }),
      ),
    renderReport: async (record, options) => renderReport(record, options),
    async runMany({ targets, concurrency, workspaceDir, onProgress }) {
      // The workspace lets the fleet runner record each instance's status as the run goes.
      const workspace = await workspaceAt(workspaceDir);
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
      return result.outcomes.map(outcomeView);
    },
    async detectDrift({ targets, workspaceDir }) {
      const workspace = await workspaceAt(workspaceDir);
      const { outcomes } = await detectDrift({
        targets: targets.map((t) => ({
          instanceId: t.id,
          client: asClient(t.client),
          desired: t.desired,
          dir: t.dir,
        })),
        workspace,
      });
      return outcomes.map((o): DriftResult =>
        'report' in o
          ? {
              instanceId: o.instanceId,
              state: o.state,
              applyId: o.report.applyId,
              appliedAt: o.report.appliedAt,
              differences: o.report.differences.map((d) => ({
                record: d.record,
                table: d.table,
                field: d.field,
                applied: d.applied,
                current: d.current,
              })),
            }
          : { instanceId: o.instanceId, state: o.state, message: o.message },
      );
    },
    async openQueue(workspaceDir, connect) {
      const workspace = await workspaceAt(workspaceDir);
      const queue = createOfflineQueue({
        workspace,
        connect: async (id) => asClient(await connect(id)),
      });
      return {
        list: () => queue.list().map(queuedView),
        enqueue: async (id, desired, reason) => queuedView(await queue.enqueue(id, desired, reason)),
        drainNow: async () => (await queue.drainNow()).map(outcomeView),
        clearFinished: () => queue.clearFinished(),
        stop: () => queue.stop(),
      };
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

function instanceView(entry: InstanceRecord): SavedInstance {
  return {
    id: entry.id,
    name: entry.name,
    url: entry.url,
    authMethod: entry.authMethod,
    username: entry.username,
    ...(entry.clientId ? { clientId: entry.clientId } : {}),
    ...(entry.variables ? { variables: { ...entry.variables } } : {}),
    ...(entry.template ? { template: entry.template } : {}),
    status: entry.status,
  };
}

function workspaceView(workspace: Workspace): WorkspaceView {
  return {
    list: async () => workspace.instances.list().map(instanceView),
    get: async (idOrName) => {
      const found = workspace.instances.get(idOrName);
      return found ? instanceView(found) : null;
    },
    instanceDir: (id) => workspace.instanceDir(id),
    save: async (input) => instanceView(await workspace.instances.save(input)),
    remove: (id) => workspace.instances.remove(id),
    async importInstances(file, format) {
      // A dry run first: a file with any problem imports nothing, so it can be fixed and imported again.
      const check = await importInstancesFile(workspace, file, {
        ...(format ? { format } : {}),
        dryRun: true,
      });
      const done =
        check.refused || check.errors.length
          ? check
          : await importInstancesFile(workspace, file, format ? { format } : {});
      return {
        added: done.added,
        updated: done.updated,
        unchanged: done.unchanged,
        problems: done.errors,
        refused: done.refused,
      };
    },
    exportInstances: (file, format) => exportInstancesFile(workspace, file, format),
    templates: () =>
      workspace.templates.list().map((t) => ({
        name: t.name,
        ...(t.description ? { description: t.description } : {}),
        variables: t.variables.map((v) => ({ ...v })),
      })),
    renderTemplate(name, variables) {
      const result = workspace.templates.render(name, variables);
      if (result.ok) return result;
      return { ok: false, errors: result.errors.map((e) => ({ variable: e.variable, message: e.message })) };
    },
    async importTemplates(file) {
      const check = importTemplatesJson(await readFile(file, 'utf8'));
      if (check.refused || check.errors.length) {
        return { saved: [], problems: check.errors, refused: check.refused };
      }
      const done = await importTemplatesFile(workspace, file);
      return { saved: done.saved, problems: done.errors, refused: done.refused };
    },
    exportTemplates: (file, names) => exportTemplatesFile(workspace, file, names),
  };
}

function outcomeView(o: InstanceOutcome): ManyOutcome {
  return {
    instanceId: o.instanceId,
    status: o.status,
    ok: o.ok,
    code: o.code,
    message: o.message,
    record: o.record,
  };
}

function queuedView(e: QueueEntry): QueuedApply {
  return {
    id: e.id,
    instanceId: e.instanceId,
    status: e.status,
    reason: e.reason,
    requestedAt: e.requestedAt,
    attempts: e.attempts,
    lastAttemptAt: e.lastAttemptAt,
    nextAttemptAt: e.nextAttemptAt,
    lastError: e.lastError,
    applyId: e.applyId,
  };
}

/** An unfinished earlier apply is an expected stop, told in the engine's own plain words. */
async function plainFailure<T>(run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (error) {
    if (error instanceof UnfinishedApplyError) {
      throw new CliFailure(EXIT.failed, error.message, ['  Run: spokesmith resume <instance>']);
    }
    throw error;
  }
}
