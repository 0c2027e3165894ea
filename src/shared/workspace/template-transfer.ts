// Import and export of templates as one JSON bundle, so a team can hand templates around outside git.
// Secret-looking keys are refused, each template is validated, and problems name the template and field.
import { TemplateSchema, type Template } from './schemas';
import { looksLikeSecret, secretRefusal } from './secret-fields';
import { templateUsage } from './template';
import type { TransferError } from './instance-transfer';

export const TEMPLATE_BUNDLE_KIND = 'spokesmith.templates';

export function exportTemplatesJson(templates: readonly Template[]): string {
  return `${JSON.stringify({ kind: TEMPLATE_BUNDLE_KIND, version: 1, templates }, null, 2)}\n`;
}

export interface TemplateImportResult {
  templates: Template[];
  errors: TransferError[];
  refused: string | null;
}

export function importTemplatesJson(text: string): TemplateImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return failFile(`The file is not valid JSON (${(error as Error).message}).`);
  }
  // A single template file (the workspace's own envelope or a bare template) is accepted too.
  const list = Array.isArray(data)
    ? data
    : isObject(data) && Array.isArray(data.templates)
      ? data.templates
      : isObject(data) && isObject(data.data)
        ? [data.data]
        : isObject(data)
          ? [data]
          : null;
  if (!list) return failFile('Expected a template, a list of templates, or an object with "templates".');
  const secret = findSecretKey(list);
  if (secret) {
    const message = secretRefusal(secret, 'Key');
    return { templates: [], errors: [{ row: 0, field: '(file)', message }], refused: message };
  }
  const templates: Template[] = [];
  const errors: TransferError[] = [];
  const names = new Set<string>();
  list.forEach((item: unknown, index) => {
    const parsed = TemplateSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push({ row: index + 1, field: issue.path.join('.') || '(template)', message: issue.message });
      }
      return;
    }
    const template = parsed.data;
    if (names.has(template.name)) {
      errors.push({ row: index + 1, field: 'name', message: `Template "${template.name}" appears twice.` });
      return;
    }
    const declared = new Set(template.variables.map((v) => v.name));
    const undeclared = [...templateUsage(template)].filter(([name]) => !declared.has(name));
    if (undeclared.length) {
      for (const [name, fields] of undeclared) {
        errors.push({
          row: index + 1,
          field: fields[0] ?? 'variables',
          message: `Template "${template.name}" uses {${name}} in ${fields.join(', ')} but does not declare it.`,
        });
      }
      return;
    }
    names.add(template.name);
    templates.push(template);
  });
  return { templates, errors, refused: null };
}

function failFile(message: string): TemplateImportResult {
  return { templates: [], errors: [{ row: 0, field: '(file)', message }], refused: null };
}

function findSecretKey(value: unknown, depth = 0): string | null {
  if (depth > 5 || !value || typeof value !== 'object') return null;
  for (const [key, v] of Object.entries(value)) {
    if (!Array.isArray(value) && looksLikeSecret(key)) return key;
    const nested = findSecretKey(v, depth + 1);
    if (nested) return nested;
  }
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
