// A template's two forms in the connection form editor: `{variable}` placeholders are checked against the
// declared variables, and the rest of each field is validated like a form typed for an instance, with a
// sample value standing in for each placeholder (a name "{customer}_Exchange" must still be a valid name).
// Its optional Entra app (issue 10) is checked with the stored template's own rules (TemplateEntraSchema).
import { defaultForm, validateEntraApp, type FieldIssue } from '../../../shared/domain/desired-state';
import type { EntraDraftFields } from '../../../shared/domain/entra-draft';
import { ALIAS_KEYS, type AliasKey } from '../../../shared/servicenow/spoke';
import type { TemplateInput, TemplateView } from '../../../shared/ipc/contract';
import {
  TEMPLATE_ENTRA_FIELDS,
  TEMPLATE_PLACEHOLDER as PLACEHOLDER,
  TemplateEntraSchema,
} from '../../../shared/workspace/template-rules';
import { toInput, toModel, type FormModel } from './form-model';
import { validateForms, type FormsValidation } from './form-validation';

type TemplateEntraField = (typeof TEMPLATE_ENTRA_FIELDS)[number];

/** The Entra app's fields as the editor and the template list name them. */
export const TEMPLATE_ENTRA_LABELS: Record<TemplateEntraField, string> = {
  tenant: 'Directory (tenant) ID',
  clientId: 'Application (client) ID',
  secretExpires: 'Client secret expires',
};

/**
 * Stands in for a placeholder-free field's neighbours when it is checked on its own with the instance rule
 * (validateEntraApp needs a whole app): a valid GUID, never reported.
 */
const STAND_IN_ID = '00000000-0000-4000-8000-000000000000';
/** Stands in for every placeholder while validating: letters only, valid in names, hosts and domains. */
const SAMPLE = 'x';

type DraftValue = TemplateInput['main'][string];

export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

function substitute(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(PLACEHOLDER, SAMPLE);
  if (Array.isArray(value)) return value.map(substitute);
  return value;
}

function undeclaredIssue(form: AliasKey | null, field: string, name: string): FieldIssue {
  return {
    form,
    field,
    severity: 'error',
    message: `{${name}} is not a variable of this template: add it under Variables.`,
  };
}

/**
 * The Entra app a template stores, from what the editor holds: each field trimmed, empty ones left out;
 * undefined when nothing is typed (the template then has no Entra app).
 */
export function templateEntraOf(fields: Partial<EntraDraftFields> | undefined): TemplateInput['entra'] {
  const entra: Record<string, string> = {};
  for (const field of TEMPLATE_ENTRA_FIELDS) {
    const value = fields?.[field]?.trim();
    if (value) entra[field] = value;
  }
  return Object.keys(entra).length ? entra : undefined;
}

/**
 * The Entra app's problems, as `entra.<field>` issues: the template's own rules (tenant and client ID are
 * per-instance variables, no secret), undeclared variables, and — for a field without a placeholder, e.g.
 * a fixed expiry date — the instance rule it will be rendered against.
 */
function templateEntraIssues(entra: TemplateInput['entra'], declared: readonly string[]): FieldIssue[] {
  if (!entra) return [];
  const issues: FieldIssue[] = [];
  const parsed = TemplateEntraSchema.safeParse(entra);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      issues.push({ form: null, field: `entra.${String(i.path[0])}`, severity: 'error', message: i.message });
    }
  }
  const fixed: Partial<EntraDraftFields> = {};
  for (const field of TEMPLATE_ENTRA_FIELDS) {
    const value = entra[field];
    if (value === undefined) continue;
    const used = new Set(placeholders(value));
    for (const name of used)
      if (!declared.includes(name)) issues.push(undeclaredIssue(null, `entra.${field}`, name));
    if (used.size === 0) fixed[field] = value;
  }
  if (Object.keys(fixed).length) {
    const checked = validateEntraApp({ tenant: STAND_IN_ID, clientId: STAND_IN_ID, ...fixed }, new Date());
    issues.push(...checked.issues.filter((i) => Object.keys(fixed).some((f) => i.field === `entra.${f}`)));
  }
  return issues;
}

function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Validates a template's forms and Entra app; `declared` are the variable names the template declares. */
export function validateTemplateForms(
  inputs: { main: unknown; clientCred: unknown; entra?: unknown },
  declared: readonly string[],
): FormsValidation {
  const sampled = {
    main: Object.fromEntries(Object.entries(inputs.main as object).map(([k, v]) => [k, substitute(v)])),
    clientCred: Object.fromEntries(
      Object.entries(inputs.clientCred as object).map(([k, v]) => [k, substitute(v)]),
    ),
  };
  const result = validateForms(sampled, null);
  const templateIssues: FieldIssue[] = [];
  for (const form of ALIAS_KEYS) {
    for (const [field, value] of Object.entries(inputs[form] as object)) {
      for (const name of new Set(textsOf(value).flatMap(placeholders))) {
        if (!declared.includes(name)) templateIssues.push(undeclaredIssue(form, field, name));
      }
    }
  }
  templateIssues.push(
    ...templateEntraIssues(templateEntraOf(inputs.entra as Partial<EntraDraftFields>), declared),
  );
  const errorCount = new Set(
    [...result.schemaIssues, ...templateIssues]
      .filter((i) => i.severity === 'error')
      .map((i) => `${i.form}:${i.field}`),
  ).size;
  return { schemaIssues: [...templateIssues, ...result.schemaIssues], instanceIssues: [], errorCount };
}

/** The template's stored fields: only those that differ from the procedure's defaults. */
export function formDelta(key: AliasKey, model: FormModel): TemplateInput['main'] {
  const input = toInput(model) as unknown as Record<string, DraftValue>;
  const defaults = defaultForm(key) as unknown as Record<string, DraftValue>;
  const delta: TemplateInput['main'] = {};
  for (const [field, value] of Object.entries(input)) {
    if (field === 'alias') continue; // fixed per form
    if (JSON.stringify(value) !== JSON.stringify(defaults[field])) delta[field] = value;
  }
  return delta;
}

/** The form models a template edits: the defaults with the template's fields over them. */
export function templateModels(template: TemplateView | null): Record<AliasKey, FormModel> {
  const partial = (key: AliasKey) =>
    template ? (template[key] as Parameters<typeof toModel>[1]) : undefined;
  return { main: toModel('main', partial('main')), clientCred: toModel('clientCred', partial('clientCred')) };
}
