// History: the apply and rollback records of an instance, one in full, and a report of one saved where
// the user chooses (written atomically).
import { countSteps, type ApplyRecord } from '../../shared/domain/apply';
import type { ApplySummary, ExportView } from '../../shared/ipc/contract';
import { currentOsUser } from '../engine';
import { reportFacts } from '../../shared/domain/report';
import { writeFileAtomicText } from './write-text';
import { AppError } from '../ipc/errors';
import { findRecord, listRecords, renderReport } from '../operations';
import { draftSecretExpires, type AppContext } from './context';

export async function listHistory(ctx: AppContext, id: string): Promise<ApplySummary[]> {
  await ctx.requireInstance(id);
  const records = await listRecords(ctx.workspace().instanceDir(id));
  return records.map(summarize);
}

export async function getHistoryRecord(ctx: AppContext, id: string, applyId: string): Promise<ApplyRecord> {
  await ctx.requireInstance(id);
  const record = await findRecord(ctx.workspace().instanceDir(id), applyId);
  if (!record) throw new AppError('not_found', `There is no apply "${applyId}" for this instance.`);
  return record;
}

export async function exportReport(
  ctx: AppContext,
  input: { id: string; applyId: string; format: 'html' | 'json' },
): Promise<ExportView> {
  const instance = await ctx.requireInstance(input.id);
  const record = await getHistoryRecord(ctx, input.id, input.applyId);
  const text = renderReport(record, {
    format: input.format,
    instanceName: instance.name,
    runBy: { instanceUser: instance.username, osUser: currentOsUser() },
    // What the stored record does not hold: the flows as last read, the secret's expiry from the card.
    ...reportFacts(await ctx.workspace().snapshots.latest(instance.id), {
      secretExpires: await draftSecretExpires(ctx, instance.id),
    }),
    now: ctx.now(),
  });
  const day = record.startedAt.slice(0, 10);
  const path = await ctx.chooseSavePath(
    `spokesmith-${instance.id}-${day}-${record.kind}.${input.format}`,
    input.format,
  );
  if (!path) return { path: null };
  await writeFileAtomicText(path, text);
  ctx.logger.info('Report exported', {
    instanceId: instance.id,
    applyId: record.applyId,
    format: input.format,
  });
  return { path };
}

export function summarize(record: ApplyRecord): ApplySummary {
  return {
    applyId: record.applyId,
    kind: record.kind,
    status: record.status,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    ...countSteps(record),
  };
}
