// `spokesmith history <instance>`: every apply and rollback recorded for the instance in this workspace,
// newest first, with what each created, updated, deleted and failed. Local files only: nothing is sent.
import type { ApplyRecord } from '../../../shared/domain/apply';
import type { CommandContext } from '../context';
import { EXIT, type ExitCode } from '../exit-codes';
import { listRecords, pendingApply } from '../../operations';
import { requireInstance } from '../instance-target';
import { countOps } from '../output/plan-text';
import { shellWord } from '../output/shell-word';
import { renderTable } from '../output/text-table';

export interface HistoryRow {
  apply_id: string;
  kind: ApplyRecord['kind'];
  status: ApplyRecord['status'];
  started_at: string;
  finished_at: string | null;
  created: number;
  updated: number;
  deleted: number;
  failed: number;
  verified: boolean | null;
}

export async function historyCommand(
  ctx: CommandContext,
  instance: string,
  options: { workspace?: string; json?: boolean },
): Promise<ExitCode> {
  const target = await requireInstance(ctx, instance, options.workspace, 'Cannot show the history:');
  const records = await listRecords(target.dir);
  const pending = await pendingApply(target.dir);
  const rows = records.map(historyRow);
  if (options.json) {
    ctx.json({ instance: target.label, instance_url: target.url, unfinished: pending, applies: rows });
    return EXIT.ok;
  }
  if (pending) {
    ctx.out(
      ctx.style.yellow(
        `Apply ${pending} did not finish: spokesmith resume ${shellWord(instance)} (or the next apply) finishes it.`,
      ),
    );
  }
  if (!rows.length) {
    ctx.out(`No apply is recorded for ${target.label} in this workspace.`);
    return EXIT.ok;
  }
  ctx.out(ctx.style.bold(`${target.label} (${target.url}): ${rows.length} recorded run(s), newest first`));
  for (const line of renderTable(
    // The time is the record's, in UTC; the header says so (the apply ids are UTC too).
    ['apply', 'kind', 'status', 'started (UTC)', 'created', 'updated', 'deleted', 'failed', 'verified'],
    rows.map((r) => [
      r.apply_id,
      r.kind,
      r.status,
      r.started_at.replace('T', ' ').slice(0, 19),
      String(r.created),
      String(r.updated),
      String(r.deleted),
      String(r.failed),
      r.verified === null ? '—' : r.verified ? 'yes' : 'NO',
    ]),
    { indent: '  ' },
  ))
    ctx.out(line);
  ctx.out();
  ctx.out(
    ctx.style.dim(`A report of one: spokesmith report ${shellWord(instance)} --apply <apply> --format html`),
  );
  return EXIT.ok;
}

export function historyRow(record: ApplyRecord): HistoryRow {
  const counts = countOps(record);
  return {
    apply_id: record.applyId,
    kind: record.kind,
    status: record.status,
    started_at: record.startedAt,
    finished_at: record.finishedAt,
    created: counts.created,
    updated: counts.updated,
    deleted: counts.deleted,
    failed: counts.failed,
    verified: record.verification ? record.verification.ok : null,
  };
}
