// File-level import/export of the instance list (CSV or JSON) and of templates, on top of the pure
// converters in src/shared/workspace. Good rows are saved; bad rows come back with row and field.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import {
  exportInstancesCsv,
  exportInstancesJson,
  importInstancesCsv,
  importInstancesJson,
  type TransferError,
} from '../../shared/workspace/instance-transfer';
import { exportTemplatesJson, importTemplatesJson } from '../../shared/workspace/template-transfer';
import type { Workspace } from './workspace';

export type ListFormat = 'csv' | 'json';

export interface ImportReport {
  added: string[];
  updated: string[];
  unchanged: string[];
  errors: TransferError[];
  refused: string | null;
}

export function formatOf(file: string, format?: ListFormat): ListFormat {
  if (format) return format;
  return extname(file).toLowerCase() === '.csv' ? 'csv' : 'json';
}

export async function importInstancesFile(
  workspace: Workspace,
  file: string,
  options: { format?: ListFormat; dryRun?: boolean } = {},
): Promise<ImportReport> {
  const text = await readFile(file, 'utf8');
  const parsed =
    formatOf(file, options.format) === 'csv' ? importInstancesCsv(text) : importInstancesJson(text);
  const report: ImportReport = {
    added: [],
    updated: [],
    unchanged: [],
    errors: [...parsed.errors],
    refused: parsed.refused,
  };
  if (parsed.refused || options.dryRun) return report;
  for (const { row, instance } of parsed.rows) {
    const before = instance.id ? workspace.instances.get(instance.id) : findByUrl(workspace, instance.url);
    try {
      const saved = await workspace.instances.save({ ...instance, id: instance.id ?? before?.id });
      if (!before) report.added.push(saved.id);
      else if (saved.updatedAt !== before.updatedAt) report.updated.push(saved.id);
      else report.unchanged.push(saved.id);
    } catch (error) {
      report.errors.push({ row, field: '(row)', message: (error as Error).message });
    }
  }
  return report;
}

export async function exportInstancesFile(
  workspace: Workspace,
  file: string,
  format?: ListFormat,
): Promise<number> {
  const entries = workspace.instances.list().filter((i) => !i.isDemo);
  const text = formatOf(file, format) === 'csv' ? exportInstancesCsv(entries) : exportInstancesJson(entries);
  await writeFileAtomic(file, text, { fsync: true });
  return entries.length;
}

export async function importTemplatesFile(
  workspace: Workspace,
  file: string,
): Promise<{ saved: string[]; errors: TransferError[]; refused: string | null }> {
  const parsed = importTemplatesJson(await readFile(file, 'utf8'));
  const saved: string[] = [];
  if (!parsed.refused) {
    for (const template of parsed.templates) saved.push((await workspace.templates.save(template)).name);
  }
  return { saved, errors: parsed.errors, refused: parsed.refused };
}

export async function exportTemplatesFile(
  workspace: Workspace,
  file: string,
  names?: string[],
): Promise<number> {
  const templates = workspace.templates.list().filter((t) => !names || names.includes(t.name));
  await writeFileAtomic(file, exportTemplatesJson(templates), { fsync: true });
  return templates.length;
}

function findByUrl(workspace: Workspace, url: string) {
  return workspace.instances.list().find((i) => i.url === url);
}
