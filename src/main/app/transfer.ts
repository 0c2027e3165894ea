// Import and export of the instance list (CSV or JSON) and of templates (JSON), through file dialogs main
// injects. Never secrets: the workspace holds none, and an import with a secret column is refused whole.
// Problems come back with the row and the field.
import type { TransferExportView, TransferImportView } from '../../shared/ipc/contract';
import {
  exportInstancesFile,
  exportTemplatesFile,
  importInstancesFile,
  importTemplatesFile,
  type ListFormat,
} from '../workspace/transfer';
import { AppError } from '../ipc/errors';
import type { AppContext } from './context';

type What = 'instances' | 'templates';

export async function exportList(
  ctx: AppContext,
  input: { what: What; format: ListFormat },
): Promise<TransferExportView> {
  if (input.what === 'templates' && input.format !== 'json') {
    throw new AppError('invalid_input', 'Templates are exported as JSON only.');
  }
  const day = ctx.now().toISOString().slice(0, 10);
  const path = await ctx.chooseSavePath(`spokesmith-${input.what}-${day}.${input.format}`, input.format);
  if (!path) return { path: null, count: 0 };
  const store = ctx.workspace();
  const count =
    input.what === 'instances'
      ? await exportInstancesFile(store, path, input.format)
      : await exportTemplatesFile(store, path);
  ctx.logger.info('List exported', { what: input.what, format: input.format, count });
  return { path, count };
}

export async function importList(ctx: AppContext, input: { what: What }): Promise<TransferImportView> {
  const path = await ctx.chooseOpenPath({
    what: input.what,
    formats: input.what === 'instances' ? ['csv', 'json'] : ['json'],
  });
  if (!path) return { path: null, added: [], updated: [], unchanged: [], problems: [], refused: null };
  const store = ctx.workspace();
  try {
    if (input.what === 'instances') {
      const report = await importInstancesFile(store, path);
      ctx.logger.info('Instances imported', {
        added: report.added.length,
        updated: report.updated.length,
        problems: report.errors.length,
      });
      return {
        path,
        added: report.added,
        updated: report.updated,
        unchanged: report.unchanged,
        problems: report.errors,
        refused: report.refused,
      };
    }
    const before = new Set(store.templates.list().map((t) => t.name));
    const report = await importTemplatesFile(store, path);
    ctx.logger.info('Templates imported', { saved: report.saved.length, problems: report.errors.length });
    return {
      path,
      added: report.saved.filter((n) => !before.has(n)),
      updated: report.saved.filter((n) => before.has(n)),
      unchanged: [],
      problems: report.errors,
      refused: report.refused,
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new AppError('invalid_input', `The file ${path} cannot be read (${code}).`);
    }
    throw error;
  }
}
