// Templates: a named desired state whose text fields may hold `{variable}` placeholders, rendered per
// instance (e.g. `{customer}_Exchange_Online_Connection` with `{ customer: 'ACME' }`). Since issue 10 a
// template may carry the Entra app too, its tenant and client ID as per-instance variables (schemas.ts
// TemplateEntraSchema); the client secret never: it is entered per instance and kept in the keychain. Pure.
import {
  defaultForm,
  validateDesiredState,
  type DesiredState,
  type FieldIssue,
} from '../domain/desired-state';
import { ALIASES, ALIAS_KEYS, type AliasKey } from '../servicenow/spoke';
import type { Template } from './schemas';
import { TEMPLATE_PLACEHOLDER } from './template-rules';

export interface TemplateError {
  /** The form the problem is in, or null for the template as a whole or its Entra app (field `entra.…`). */
  form: AliasKey | null;
  field: string;
  /** The variable the problem is about, when it is about one. */
  variable: string | null;
  message: string;
}

export type RenderResult =
  { ok: true; desired: DesiredState; warnings: FieldIssue[] } | { ok: false; errors: TemplateError[] };

const PLACEHOLDER = TEMPLATE_PLACEHOLDER;

/** The variable names a text refers to, in order of first use. */
export function placeholdersIn(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** The template's parts that hold text: the two forms and, when present, the Entra app. */
function partsOf(template: Template): [AliasKey | 'entra', Record<string, unknown>][] {
  return [
    ...ALIAS_KEYS.map((key): [AliasKey, Record<string, unknown>] => [key, template[key]]),
    ...(template.entra ? [['entra', template.entra] as ['entra', Record<string, unknown>]] : []),
  ];
}

/** Every variable a template uses, with the fields that use it (`main.name`, `entra.tenant`). */
export function templateUsage(template: Template): Map<string, string[]> {
  const usage = new Map<string, string[]>();
  for (const [key, part] of partsOf(template)) {
    for (const [field, value] of Object.entries(part)) {
      for (const text of textsOf(value)) {
        for (const name of placeholdersIn(text)) {
          const where = `${key}.${field}`;
          const list = usage.get(name) ?? [];
          if (!list.includes(where)) list.push(where);
          usage.set(name, list);
        }
      }
    }
  }
  return usage;
}

/** `main.name` → form main, field name; `entra.tenant` → form null, field entra.tenant. */
function locate(where: string): { form: AliasKey | null; field: string } {
  const [part, ...rest] = where.split('.');
  return part === 'entra' ? { form: null, field: where } : { form: part as AliasKey, field: rest.join('.') };
}

/**
 * Renders a template for one instance: the procedure's defaults, overridden by the template's fields, with
 * every `{variable}` replaced, then validated like a form typed by hand. Every problem is returned at
 * once, each naming the variable and the field, so a fleet run can list them before sending anything.
 * `now` decides whether a rendered secret expiry is in the past.
 */
export function renderTemplate(
  template: Template,
  variables: Record<string, string>,
  now: Date = new Date(),
): RenderResult {
  const declared = new Map(template.variables.map((v) => [v.name, v]));
  const errors: TemplateError[] = [];
  const values = new Map<string, string>();
  for (const [name, where] of templateUsage(template)) {
    const fields = where.join(', ');
    const { form: firstForm, field: firstField } = locate(where[0]!);
    const spec = declared.get(name);
    if (!spec) {
      errors.push({
        form: firstForm,
        field: firstField,
        variable: name,
        message: `${fields} uses {${name}}, which template "${template.name}" does not declare.`,
      });
      continue;
    }
    const value = variables[name] ?? spec.default;
    if (value === undefined || value.trim() === '') {
      errors.push({
        form: firstForm,
        field: firstField,
        variable: name,
        message: `Variable {${name}} (used in ${fields}) has no value: set it on the instance.`,
      });
      continue;
    }
    values.set(name, value);
  }
  if (errors.length) return { ok: false, errors };

  const forms: Record<AliasKey, Record<string, unknown>> = { main: {}, clientCred: {} };
  for (const key of ALIAS_KEYS) {
    const merged: Record<string, unknown> = { ...defaultForm(key) };
    for (const [field, value] of Object.entries(template[key])) {
      if (value === null) delete merged[field];
      else merged[field] = substitute(value, values);
    }
    // The alias is fixed per form: a template cannot move a connection to another alias.
    merged.alias = ALIASES[key].name;
    forms[key] = merged;
  }
  const entra = template.entra
    ? Object.fromEntries(Object.entries(template.entra).map(([k, v]) => [k, substitute(v, values)]))
    : undefined;
  const result = validateDesiredState({ ...forms, ...(entra ? { entra } : {}) }, now);
  const problems = result.issues.filter((i) => i.severity === 'error');
  if (!result.desired || problems.length) {
    return {
      ok: false,
      errors: problems.map((issue) => {
        const entraField = !issue.form && issue.field.startsWith('entra.') ? issue.field.slice(6) : null;
        const raw = issue.form
          ? template[issue.form][issue.field]
          : entraField
            ? template.entra?.[entraField]
            : undefined;
        const used = textsOf(raw).flatMap(placeholdersIn);
        const origin = used.length
          ? ` (from "${String(raw)}" with ${used.map((n) => `{${n}}`).join(', ')})`
          : '';
        const where = issue.form
          ? `${issue.form}.${issue.field}`
          : entraField
            ? issue.field
            : `template.${issue.field}`;
        return {
          form: issue.form,
          field: issue.field,
          variable: used[0] ?? null,
          message: `${where}: ${issue.message}${origin}`,
        };
      }),
    };
  }
  return { ok: true, desired: result.desired, warnings: result.issues.filter((i) => i.severity !== 'error') };
}

export function formatTemplateError(error: TemplateError): string {
  return error.message;
}

function substitute<T>(value: T, values: Map<string, string>): T {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (whole, name: string) => values.get(name) ?? whole) as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => substitute(v, values)) as T;
  return value;
}

function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}
