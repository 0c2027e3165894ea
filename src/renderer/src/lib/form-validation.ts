// Validation of both connection forms, run on every keystroke. Pure and DOM-free on purpose: the benchmark
// (src/main/bench) measures this exact function ("validating both forms on a keystroke").
import {
  validateDesiredState,
  validateForm,
  type ConnectionForm,
  type DesiredState,
  type FieldIssue,
} from '../../../shared/domain/desired-state';
import { checkAgainstSnapshot } from '../../../shared/domain/instance-checks';
import type { Snapshot } from '../../../shared/domain/snapshot';
import { ALIAS_KEYS, type AliasKey } from '../../../shared/servicenow/spoke';

export interface FormsValidation {
  /** Both forms parsed and free of errors (schema and instance-aware). */
  desired?: DesiredState;
  /** Schema issues: shown once their field is touched or after a submit attempt. */
  schemaIssues: FieldIssue[];
  /** Instance-aware issues from the last snapshot: shown at once, they describe the instance. */
  instanceIssues: FieldIssue[];
  /** Fields (per form) with at least one error: an empty name breaking two rules is one problem to fix. */
  errorCount: number;
  /** Set only while the rules are still loading (lib/form-rules.svelte.ts): the forms are not checked yet. */
  pending?: true;
}

/**
 * A form that does not parse, as the checks can still read it: the renderer's forms always hold every
 * field with its type (src/renderer/src/lib/form-model.ts toInput), only some values are invalid.
 */
function uncheckedForm(input: unknown): ConnectionForm | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const form = input as Partial<ConnectionForm>;
  if (typeof form.name !== 'string' || typeof form.credential !== 'string' || typeof form.domain !== 'string')
    return undefined;
  return { midCapabilities: [], ...form } as ConnectionForm;
}

export function validateForms(
  input: { main: unknown; clientCred: unknown },
  snapshot: Snapshot | null,
): FormsValidation {
  const result = validateDesiredState(input);
  let instanceIssues: FieldIssue[] = [];
  if (snapshot) {
    // Each form is checked against the instance even while a field has an error (in it or in the other
    // form), so an invalid Name does not take the Credential's note away; only the notes of the fields
    // with a schema error are left out (they would describe a value that cannot be used).
    const forms: Partial<Record<AliasKey, ConnectionForm>> = result.desired
      ? result.desired
      : Object.fromEntries(
          ALIAS_KEYS.map((k) => [k, validateForm(k, input[k]).form ?? uncheckedForm(input[k])]),
        );
    const broken = new Set(
      result.issues.filter((i) => i.severity === 'error').map((i) => `${i.form}:${i.field}`),
    );
    instanceIssues = checkAgainstSnapshot(forms, snapshot).filter(
      (i) => i.form === null || !broken.has(`${i.form}:${i.field}`),
    );
  }
  const errorCount = new Set(
    [...result.issues, ...instanceIssues]
      .filter((i) => i.severity === 'error')
      .map((i) => `${i.form}:${i.field}`),
  ).size;
  return {
    ...(result.desired && errorCount === 0 ? { desired: result.desired } : {}),
    schemaIssues: result.issues,
    instanceIssues,
    errorCount,
  };
}
