// `spokesmith templates list|import|export`: named desired states with `{variable}` placeholders, used
// with `plan`/`apply --template NAME` (variables from the instance, `--var key=value` overrides).
import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { importTemplatesJson } from '../../../shared/workspace/template-transfer';
import { exportTemplatesFile, importTemplatesFile } from '../../workspace/transfer';
import type { CommandContext } from '../context';
import { EXIT, usageError, type ExitCode } from '../exit-codes';
import { workspaceOf } from '../instance-target';
import { renderTable } from '../output/text-table';
import { problemLine, readingFile } from './instances';

interface Globals {
  workspace?: string;
}

const openWorkspace = (ctx: CommandContext, options: Globals) => workspaceOf(ctx, options.workspace);

export async function templatesListCommand(
  ctx: CommandContext,
  options: Globals & { json?: boolean },
): Promise<ExitCode> {
  const templates = (await openWorkspace(ctx, options)).templates.list().map((t) => ({
    name: t.name,
    ...(t.description ? { description: t.description } : {}),
    variables: t.variables.map((v) => ({ ...v })),
  }));
  if (options.json) {
    ctx.json({ templates });
    return EXIT.ok;
  }
  if (!templates.length) {
    ctx.out('No templates in this workspace. Import some: spokesmith templates import FILE.json');
    return EXIT.ok;
  }
  for (const line of renderTable(
    ['template', 'variables', 'description'],
    templates.map((t) => [
      t.name,
      t.variables.map((v) => (v.default !== undefined ? `${v.name}=${v.default}` : v.name)).join(', ') || '—',
      t.description ?? '',
    ]),
  ))
    ctx.out(line);
  return EXIT.ok;
}

export async function templatesImportCommand(
  ctx: CommandContext,
  file: string,
  options: Globals,
): Promise<ExitCode> {
  const path = resolve(ctx.io.cwd, file);
  const workspace = await openWorkspace(ctx, options);
  const result = await readingFile(path, async () => {
    // Checked whole first: a file with any problem imports nothing.
    const check = importTemplatesJson(await readFile(path, 'utf8'));
    if (check.refused || check.errors.length)
      return { saved: [], problems: check.errors, refused: check.refused };
    const done = await importTemplatesFile(workspace, path);
    return { saved: done.saved, problems: done.errors, refused: done.refused };
  });
  if (result.refused || result.problems.length) {
    throw usageError(
      `${file} was not imported (nothing was changed): ${result.refused ?? `${result.problems.length} problem(s)`}`,
      result.refused ? [] : result.problems.map(problemLine),
    );
  }
  ctx.out(`Imported ${result.saved.length} template(s): ${result.saved.join(', ')}.`);
  return EXIT.ok;
}

export async function templatesExportCommand(
  ctx: CommandContext,
  file: string,
  options: Globals & { name?: string },
): Promise<ExitCode> {
  const workspace = await openWorkspace(ctx, options);
  const names = options.name
    ?.split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const known = new Set(workspace.templates.list().map((t) => t.name));
  const unknown = (names ?? []).filter((n) => !known.has(n));
  if (unknown.length)
    throw usageError(`--name: no template named ${unknown.map((n) => `"${n}"`).join(', ')}.`);
  const path = resolve(ctx.io.cwd, file);
  const count = await exportTemplatesFile(workspace, path, names);
  ctx.out(`Exported ${count} template(s) to ${path}.`);
  return EXIT.ok;
}
