// A template's two forms in the connection form editor: `{variable}` placeholders are checked against the
// declared variables, and the rest of each field is validated like a form typed for an instance, with a
// sample value standing in for each placeholder (a name "{customer}_Exchange" must still be a valid name).
import { defaultForm, type FieldIssue } from '../../../shared/domain/desired-state';
import { ALIAS_KEYS, type AliasKey } from '../../../shared/servicenow/spoke';
import type { TemplateInput, TemplateView } from '../../../shared/ipc/contract';
import { toInput, toModel, type FormModel } from './form-model';
import { validateForms, type FormsValidation } from './form-validation';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
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

function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Validates a template's forms; `declared` are the variable names the template declares. */
export function validateTemplateForms(
  inputs: { main: unknown; clientCred: unknown },
  declared: readonly string[],
): FormsValidation {
  const sampled = {
    main: Object.fromEntries(Object.entries(inputs.main as object).map(([k, v]) => [k, substitute(v)])),
    clientCred: Object.fromEntries(
      Object.entries(inputs.clientCred as object).map(([k, v]) => [k, substitute(v)]),
    ),
  };
  const result = validateForms(sampled, null);
  const undeclared: FieldIssue[] = [];
  for (const form of ALIAS_KEYS) {
    for (const [field, value] of Object.entries(inputs[form] as object)) {
      for (const name of new Set(textsOf(value).flatMap(placeholders))) {
        if (!declared.includes(name))
          undeclared.push({
            form,
            field,
            severity: 'error',
            message: `{${name}} is not a variable of this template: add it under Variables.`,
          });
      }
    }
  }
  const errorCount = new Set(
    [...result.schemaIssues, ...undeclared]
      .filter((i) => i.severity === 'error')
      .map((i) => `${i.form}:${i.field}`),
  ).size;
  return { schemaIssues: [...undeclared, ...result.schemaIssues], instanceIssues: [], errorCount };
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
