// The forms' validation rules (zod and the instance-aware checks, with the planner they compare against:
// about a third of what the Instances screen would otherwise have to receive and compile) load after the
// first screen, not in the first script (issue 11). Every other screen waits for them before it shows
// (lib/screens.ts), so a form is never seen without its checks; until they are here the forms are
// "not checked yet" and cannot be reviewed (lib/forms.svelte.ts).
import type { FormsValidator } from './forms.svelte';

const rules = $state<{ validate: FormsValidator | null }>({ validate: null });
let loading: Promise<FormsValidator> | undefined;

/** The rules once loaded, else null. Reactive: a derived value that reads it is recomputed on arrival. */
export function loadedFormRules(): FormsValidator | null {
  return rules.validate;
}

/** Loads the rules once; every caller shares the import. A failed import is tried again next time. */
export function loadFormRules(): Promise<FormsValidator> {
  if (!loading) {
    const pending = import('./form-validation').then(({ validateForms }) => (rules.validate = validateForms));
    pending.catch(() => {
      if (loading === pending) loading = undefined;
    });
    loading = pending;
  }
  return loading;
}
