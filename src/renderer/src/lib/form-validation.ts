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
}

export function validateForms(
  input: { main: unknown; clientCred: unknown },
  snapshot: Snapshot | null,
): FormsValidation {
  const result = validateDesiredState(input);
  let instanceIssues: FieldIssue[] = [];
  if (snapshot) {
    // A form that parses is checked against the instance even while the other one has an error, so
    // typing in Table 1 keeps its instance messages when Table 2 is incomplete.
    const parsed: Partial<Record<AliasKey, ConnectionForm>> = result.desired
      ? result.desired
      : Object.fromEntries(ALIAS_KEYS.map((k) => [k, validateForm(k, input[k]).form]));
    instanceIssues = checkAgainstSnapshot(parsed, snapshot);
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
