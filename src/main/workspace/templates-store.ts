// Templates: one shareable file per template (templates/<name>.json), loaded when the workspace opens.
import { readdir, rm } from 'node:fs/promises';
import type { FileProblem } from '../storage/json-file';
import { readVersioned, writeVersioned } from '../storage/json-file';
import { TemplateSchema, type Template } from '../../shared/workspace/schemas';
import { renderTemplate, type RenderResult } from '../../shared/workspace/template';
import { parseInput } from './errors';
import { templateSpec } from './file-specs';
import type { WorkspaceLayout } from './paths';
import { sameJson, sortKeysDeep } from './stable-json';

export interface TemplatesApi {
  list(): Template[];
  get(name: string): Template | undefined;
  save(template: Template): Promise<Template>;
  remove(name: string): Promise<boolean>;
  /** Renders a stored template with the given variables (typically an instance's `variables`). */
  render(name: string, variables: Record<string, string>): RenderResult;
}

export async function loadTemplatesStore(
  layout: WorkspaceLayout,
  problems: FileProblem[],
): Promise<TemplatesApi> {
  const templates = new Map<string, Template>();
  for (const file of await listJson(layout.templatesDir)) {
    const name = file.slice(0, -'.json'.length);
    let path: string;
    try {
      path = layout.templateFile(name);
    } catch {
      continue; // Not a name Spokesmith would write (e.g. a README.json); left alone.
    }
    const result = await readVersioned(path, templateSpec);
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
      templates.set(name, result.value);
    } else if (!result.missing) {
      problems.push(result.problem);
    }
  }

  return {
    list: () => [...templates.values()].sort((a, b) => a.name.localeCompare(b.name)),
    get: (name) => templates.get(name),
    async save(input) {
      const template = parseInput(TemplateSchema, input, `Template "${String(input?.name)}"`);
      const previous = templates.get(template.name);
      if (previous && sameJson(previous, template)) return previous;
      await writeVersioned(layout.templateFile(template.name), templateSpec, sortKeysDeep(template));
      templates.set(template.name, template);
      return template;
    },
    async remove(name) {
      if (!templates.has(name)) return false;
      await rm(layout.templateFile(name), { force: true });
      templates.delete(name);
      return true;
    },
    render(name, variables) {
      const template = templates.get(name);
      if (!template) {
        return {
          ok: false,
          errors: [
            { form: null, field: 'template', variable: null, message: `No template named "${name}".` },
          ],
        };
      }
      return renderTemplate(template, variables);
    },
  };
}

async function listJson(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
