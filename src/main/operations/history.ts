// History: the apply and rollback records of an instance (newest first), one by id or the latest, and the
// report of one. Local files only: nothing is sent.
import type { ApplyRecord } from '../../shared/domain/apply';
import { createApplyStore } from '../engine/apply-store';

export function listRecords(dir: string): Promise<ApplyRecord[]> {
  return createApplyStore(dir).listRecords();
}

/** The record with this id, or (no id) the latest apply; null when there is none. */
export async function findRecord(dir: string, applyId?: string): Promise<ApplyRecord | null> {
  if (applyId) return createApplyStore(dir).getRecord(applyId);
  return (await listRecords(dir)).find((r) => r.kind === 'apply') ?? null;
}

export { renderReport } from '../engine/report';
