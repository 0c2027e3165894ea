// OAuth token status of the credentials an apply set up: whether ServiceNow holds a token for each, and
// until when. Which credentials: those the latest successful apply listed as next steps, or else those of
// the connections on the spoke's two aliases in the latest snapshot.
import type { ApplyRecord, TokenStatus } from '../../shared/domain/apply';
import type { Snapshot } from '../../shared/domain/snapshot';
import type { EngineClient } from '../engine/client';
import { tokenStatus } from '../engine/next-steps';
import type { Workspace } from '../workspace';
import { listRecords } from './history';

export async function instanceTokenStatus(
  workspace: Workspace,
  instanceId: string,
  client: EngineClient,
): Promise<TokenStatus[]> {
  const snapshot = await workspace.snapshots.latest(instanceId);
  const records = await listRecords(workspace.instanceDir(instanceId));
  return tokenStatus(client, credentialsToCheck(snapshot, records));
}

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
