// `spokesmith report <instance> [--apply ID] --format html|json --out FILE`: the before/after of one
// apply (the last one by default), written atomically. Reads the workspace only: nothing is sent and no credentials are needed.
import { resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { currentOsUser } from '../../engine';
import { reportFacts } from '../../../shared/domain/report';
import type { CommandContext } from '../context';
import { CliFailure, EXIT, usageError, type ExitCode } from '../exit-codes';
import { findRecord, renderReport } from '../../operations';
import { locateInstance, workspaceOf } from '../instance-target';
import { shellWord } from '../output/shell-word';

export interface ReportOptions {
  workspace?: string;
  format?: string;
  out?: string;
  apply?: string;
}

export async function reportCommand(
  ctx: CommandContext,
  instance: string,
  options: ReportOptions,
): Promise<ExitCode> {
  const format = (options.format ?? 'html').toLowerCase();
  const problems: string[] = [];
  if (format !== 'html' && format !== 'json')
    problems.push(`  - --format: "${options.format}" is not html or json.`);
  const workspace = await workspaceOf(ctx, options.workspace);
  const located = locateInstance(workspace, instance);
  problems.push(...located.problems.map((p) => `  - ${p}`));
  if (problems.length || !located.target) throw usageError('Cannot write the report:', problems);
  const target = located.target;

  const record = await findRecord(target.dir, options.apply);
  if (!record) {
    throw new CliFailure(
      EXIT.failed,
      options.apply
        ? `No apply "${options.apply}" is recorded for ${target.label}; spokesmith history ${shellWord(instance)} lists them.`
        : `No apply is recorded for ${target.label} in this workspace.`,
    );
  }
  const text = renderReport(record, {
    format: format as 'html' | 'json',
    instanceName: target.label,
    runBy: { instanceUser: target.saved?.username ?? null, osUser: currentOsUser() },
    // The Walk-up flows as the last discovery read them (an apply never changes them).
    ...reportFacts(await workspace.snapshots.latest(target.id), null),
  });
  const file = resolve(
    ctx.io.cwd,
    options.out ?? `spokesmith-report-${target.id}-${record.applyId}.${format}`,
  );
  await writeFileAtomic(file, text, { fsync: true });
  ctx.out(file);
  return EXIT.ok;
}
