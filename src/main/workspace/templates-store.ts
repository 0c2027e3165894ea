// Templates: one shareable file per template (templates/<name>.json), loaded when the workspace opens
// and on reload(). A save or removal changes the file on disk under its lock
// (src/main/storage/update-file.ts), so two processes saving different templates both keep theirs.
import { readdir, rm } from 'node:fs/promises';
import type { FileProblem } from '../storage/json-file';
import { LEAVE_IN_PLACE, readVersioned } from '../storage/json-file';
import { updateVersioned, withFileLock } from '../storage/update-file';
import { FileProblemError } from '../storage/errors';
import { TemplateSchema, type Template } from '../../shared/workspace/schemas';
import { renderTemplate, type RenderResult } from '../../shared/workspace/template';
import { parseInput, WorkspaceConflictError } from './errors';
import { templateSpec } from './file-specs';
import type { WorkspaceLayout } from './paths';
import { revisionOf, sameJson, sortKeysDeep } from './stable-json';

export interface TemplatesApi {
  list(): Template[];
  get(name: string): Template | undefined;
  /**
   * Writes the whole template. With `basedOn` (what an editor read: the revision it opened, or null for a
   * new template) the save is refused with WorkspaceConflictError, writing nothing, when the stored
   * template is no longer that one. Without it (an import) the template replaces the stored one.
   */
  save(template: Template, options?: { basedOn: string | null }): Promise<Template>;
  remove(name: string): Promise<boolean>;
  /**
   * Renders a stored template with the given variables (typically an instance's `variables`); `now`
   * decides whether a rendered Entra secret expiry is in the past.
   */
  render(name: string, variables: Record<string, string>, now?: Date): RenderResult;
  /** Re-reads the templates folder (another process may have changed it). */
  reload(): Promise<void>;
}

export async function loadTemplatesStore(
  layout: WorkspaceLayout,
  problems: FileProblem[],
): Promise<TemplatesApi> {
  let templates = new Map<string, Template>();
  const reload = async () => {
    const found = new Map<string, Template>();
    for (let i = problems.length - 1; i >= 0; i -= 1) {
      if (problems[i]!.file.startsWith(`${layout.templatesDir}`)) problems.splice(i, 1);
    }
    for (const file of await listJson(layout.templatesDir)) {
      const name = file.slice(0, -'.json'.length);
      let path: string;
      try {
        path = layout.templateFile(name);
      } catch {
        continue; // Not a name Spokesmith would write (e.g. a README.json); left alone.
      }
      const result = await readVersioned(path, templateSpec, LEAVE_IN_PLACE);
      if (result.ok) {
        if (result.value.name !== name) {
          problems.push({
            file: path,
            reason: 'invalid',
            message: `${file} holds template "${result.value.name}"; the file name must match the template name.`,
            movedTo: null,
          });
          continue;
        }
        found.set(name, result.value);
      } else if (!result.missing) {
        problems.push(result.problem);
      }
    }
    templates = found;
  };
  await reload();

  return {
    list: () => [...templates.values()].sort((a, b) => a.name.localeCompare(b.name)),
    get: (name) => templates.get(name),
    async save(input, options) {
      const template = parseInput(TemplateSchema, input, `Template "${String(input?.name)}"`);
      let refused = false as boolean;
      const stored = await updateVersioned(
        layout.templateFile(template.name),
        templateSpec,
        (current) => {
          // Checked under the file's lock against what is on disk now, so no other process's save can
          // slip in between the check and the write (a lost update otherwise: the editor's copy is old).
          refused = options !== undefined && revisionOrNull(current) !== options.basedOn;
          if (refused) return undefined;
          return current && sameJson(current, template) ? undefined : sortKeysDeep(template);
        },
        { root: layout.dir },
      );
      if (refused) {
        // What the other process left is what the list should show now, before the watcher notices.
        if (stored) templates.set(template.name, stored);
        else templates.delete(template.name);
        throw conflictError(template.name, stored !== null, options?.basedOn ?? null);
      }
      // As given (the file holds it with sorted keys): callers list its fields in the order they were typed.
      templates.set(template.name, template);
      return template;
    },
    async remove(name) {
      const file = layout.templateFile(name);
      const removed = await withFileLock(
        file,
        async () => {
          const read = await readVersioned(file, templateSpec, LEAVE_IN_PLACE);
          // An unreadable file may be a newer Spokesmith's template: not ours to delete.
          if (!read.ok && !read.missing) throw new FileProblemError(read.problem);
          if (read.ok) await rm(file, { force: true });
          return read.ok;
        },
        { root: layout.dir },
      );
      templates.delete(name);
      return removed;
    },
    render(name, variables, now) {
      const template = templates.get(name);
      if (!template) {
        return {
          ok: false,
          errors: [
            { form: null, field: 'template', variable: null, message: `No template named "${name}".` },
          ],
        };
      }
      return renderTemplate(template, variables, now);
    },
    reload,
  };
}

/** What a template editor sends back as `basedOn` (src/main/workspace/stable-json.ts). */
export function templateRevision(template: Template): string {
  return revisionOf(template);
}

function revisionOrNull(template: Template | null): string | null {
  return template ? templateRevision(template) : null;
}

function conflictError(name: string, exists: boolean, basedOn: string | null): WorkspaceConflictError {
  if (!exists)
    return new WorkspaceConflictError(
      `Template "${name}" was removed by another process since the editor opened; nothing was saved.`,
    );
  const what =
    basedOn === null
      ? `A template named "${name}" was saved by another process since the editor opened`
      : `Template "${name}" was changed by another process since the editor opened`;
  return new WorkspaceConflictError(`${what}; nothing was saved. Load the stored version to see it.`);
}

async function listJson(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
