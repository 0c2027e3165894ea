// Binds the services' EnginePort to the ServiceNow client and the engine (src/main/servicenow,
// src/main/engine, the pure planners in src/shared/domain).
import { checkAgainstSnapshot } from '../../shared/domain/instance-checks';
import { buildPlan } from '../../shared/domain/planner';
import { planRollback } from '../../shared/domain/rollback-planner';
import { discover } from '../engine/discover';
import { createServiceNowClient, normalizeInstanceUrl, type ServiceNowClient } from '../servicenow';
import { AppError } from '../ipc/errors';
import type { Client, EnginePort } from './ports';

const asClient = (client: Client) => client as ServiceNowClient;

// TODO(integration): the apply engine (applyPlan, resumeApply, applyRollback, the apply store,
// renderReport, tokenStatus) has not landed yet; these answer a plain "not available" until it does.
const notWired = (what: string) => (): never => {
  throw new AppError('not_ready', `${what} is not available in this build yet.`);
};

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
    planRollback: (record, snapshot) => planRollback(record, snapshot),
    applyPlan: notWired('Apply'),
    resumeApply: notWired('Resume'),
    applyRollback: notWired('Rollback'),
    listRecords: async () => [],
    getRecord: async () => null,
    renderReport: notWired('Report export'),
    tokenStatus: notWired('Token status'),
  };
}
