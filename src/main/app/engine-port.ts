// Binds the services' EnginePort to the ServiceNow client and the provisioning engine.
import type { ApplyRecord } from '../../shared/domain/apply';
import type { Snapshot } from '../../shared/domain/snapshot';
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
  resumeApply,
  tokenStatus,
} from '../engine';
import { AppError } from '../ipc/errors';
import { createServiceNowClient, normalizeInstanceUrl, type ServiceNowClient } from '../servicenow';
import type { Client, EnginePort } from './ports';

const asClient = (client: Client) => client as ServiceNowClient;

export function createEnginePort(): EnginePort {
  return {
    normalizeInstanceUrl,
    createClient: (instanceUrl, auth) => createServiceNowClient({ instanceUrl, auth }),
    closeClient: (client) => asClient(client).close(),
    async whoami(client) {
      const who = await asClient(client).whoami();
      return { userName: who.userName, roles: who.roles };
    },
    discover: (client, desired) => discover(asClient(client), { desired }),
    checkAgainstSnapshot,
    buildPlan,
    applyPlan: ({ client, plan, dir, onProgress }) =>
      unfinishedAsNotReady(() =>
        applyPlan({ client: asClient(client), plan, dir, onProgress: progress(onProgress) }),
      ),
    // The app resumes only when the user presses Resume, so a failed apply is taken up again too.
    resumeApply: ({ client, dir, onProgress }) =>
      resumeApply({ client: asClient(client), dir, onProgress: progress(onProgress), reopenFailed: true }),
    planRollback: (record, snapshot) => planRollback(record, snapshot),
    applyRollback: ({ client, dir, record, plan, onProgress }) =>
      unfinishedAsNotReady(() =>
        applyRollback({ client: asClient(client), dir, record, plan, onProgress: progress(onProgress) }),
      ),
    listRecords: (dir) => createApplyStore(dir).listRecords(),
    getRecord: (dir, applyId) => createApplyStore(dir).getRecord(applyId),
    renderReport: async (record, options) => renderReport(record, options),
    tokenStatus: (client, snapshot, records) =>
      tokenStatus(asClient(client), credentialsToCheck(snapshot, records)),
  };
}

/** The engine's progress has no instance id; the services add it. */
const progress =
  (listener: Parameters<EnginePort['applyPlan']>[0]['onProgress']) =>
  (p: Omit<Parameters<typeof listener>[0], 'instanceId'>) =>
    listener({ ...p, instanceId: '' });

/** An earlier apply that did not finish must be resumed first: the user's next step, not a crash. */
async function unfinishedAsNotReady<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof UnfinishedApplyError) throw new AppError('not_ready', error.message);
    throw error;
  }
}

/**
 * The credentials whose OAuth tokens matter: those the latest successful apply listed as next steps, or
 * else the credentials of the connections on the spoke's two aliases in the latest snapshot.
 */
export function credentialsToCheck(
  snapshot: Snapshot | null,
  records: readonly ApplyRecord[],
): { name: string; sysId: string }[] {
  const applied = records.find((r) => r.kind === 'apply' && r.status === 'succeeded' && r.nextSteps.length);
  if (applied) return applied.nextSteps.map((s) => ({ name: s.credentialName, sysId: s.credentialSysId }));
  if (!snapshot) return [];
  const aliasIds = new Set(
    [snapshot.aliases.main?.sysId, snapshot.aliases.clientCred?.sysId].filter((s): s is string => Boolean(s)),
  );
  const used = new Set(
    snapshot.connections
      .filter((c) => c.aliasSysId && aliasIds.has(c.aliasSysId) && c.credentialSysId)
      .map((c) => c.credentialSysId!),
  );
  return snapshot.credentials.filter((c) => used.has(c.sysId)).map((c) => ({ name: c.name, sysId: c.sysId }));
}
