// The state of the two connection forms and the Entra app card for the selected instance: values, which
// fields were touched, validation derived from the values (never written by an effect), the "differs"
// markers, and the debounced draft save.
import type { FieldIssue } from '../../../shared/domain/desired-state';
import type { Snapshot } from '../../../shared/domain/snapshot';
import type { AliasKey } from '../../../shared/servicenow/spoke';
import { api } from './api';
import { EntraForm, type EntraFieldName, type EntraTextField } from './entra.svelte';
import { differingFields, formFieldOf, toInput, toModel, type FormField, type FormModel } from './form-model';
import type { FormsValidation } from './form-validation';
import { loadedFormRules } from './form-rules.svelte';

/** How the forms are validated: by default as typed for an instance; a template substitutes samples. */
export type FormsValidator = (
  inputs: { main: unknown; clientCred: unknown; entra?: unknown },
  snapshot: Snapshot | null,
) => FormsValidation;

const SAVE_DELAY_MS = 500;

/** Before the rules have loaded nothing is known: no issue to show, and no review. */
const NOT_CHECKED_YET: FormsValidation = {
  schemaIssues: [],
  instanceIssues: [],
  errorCount: 0,
  pending: true,
};

export type DraftStatus = 'idle' | 'pending' | 'saved' | 'failed';

export class FormsState {
  instanceId = $state<string | null>(null);
  models = $state<Record<AliasKey, FormModel>>({ main: toModel('main'), clientCred: toModel('clientCred') });
  touched = $state<Record<AliasKey, Partial<Record<FormField, boolean>>>>({ main: {}, clientCred: {} });
  submitted = $state(false);
  /** The last discovered snapshot of the instance; the instance-aware checks run against it. */
  snapshot = $state.raw<Snapshot | null>(null);
  draftStatus = $state<DraftStatus>('idle');
  draftSavedAt = $state<string | null>(null);
  /** The "Microsoft Entra app" card (optional: an empty card leaves the registries alone). */
  entra = new EntraForm();

  /** A template's own validator; null: the instance rules, once loaded (lib/form-rules.svelte.ts). */
  #validate: FormsValidator | null = null;

  constructor(options: { validate?: FormsValidator } = {}) {
    if (options.validate) this.#validate = options.validate;
  }

  inputs = $derived({
    main: toInput(this.models.main),
    clientCred: toInput(this.models.clientCred),
    ...(this.entra.input ? { entra: this.entra.input } : {}),
  });
  validation = $derived.by((): FormsValidation => {
    const validate = this.#validate ?? loadedFormRules();
    return validate ? validate(this.inputs, this.snapshot) : NOT_CHECKED_YET;
  });
  differs = $derived(differingFields(this.models.main, this.models.clientCred));
  canReview = $derived(!this.validation.pending && this.validation.errorCount === 0);

  #timer: ReturnType<typeof setTimeout> | null = null;

  /** Restores the instance's saved draft (or the documented defaults). */
  async load(instanceId: string): Promise<void> {
    this.cancelSave();
    this.instanceId = instanceId;
    this.touched = { main: {}, clientCred: {} };
    this.submitted = false;
    this.draftStatus = 'idle';
    this.draftSavedAt = null;
    this.models = { main: toModel('main'), clientCred: toModel('clientCred') };
    const draft = await api.draftsGet({ id: instanceId });
    if (this.instanceId !== instanceId) return;
    if (draft.ok) {
      this.models = {
        main: toModel('main', draft.value.main),
        clientCred: toModel('clientCred', draft.value.clientCred),
      };
      this.draftSavedAt = draft.value.updatedAt;
    }
    await this.entra.load(instanceId, draft.ok ? (draft.value.entra ?? null) : null);
  }

  /** A field of the Entra app card changed: validated at once, saved with the draft. */
  setEntra(field: EntraTextField, value: string): void {
    this.entra.set(field, value);
    this.scheduleSave();
  }

  /** Fills in the demo instance's stand-in Entra app (and stores its demo secret), then saves the draft. */
  async useDemoEntra(): Promise<void> {
    await this.entra.useDemoApp();
    this.scheduleSave();
  }

  /**
   * The messages under an Entra card field: its first schema problem once touched (or after a submit),
   * the last check's verdict when it names this field, and the note about a missing secret.
   */
  entraIssuesFor(field: EntraFieldName): FieldIssue[] {
    const shown = this.submitted || this.entra.touched[field] === true;
    const schema = shown
      ? this.validation.schemaIssues.find((i) => i.form === null && i.field === `entra.${field}`)
      : undefined;
    return [
      ...(schema ? [schema] : []),
      ...this.entra.checkIssues(field),
      ...(field === 'clientSecret' ? this.entra.secretIssues(this.submitted) : []),
    ];
  }

  set<F extends FormField>(key: AliasKey, field: F, value: FormModel[F]): void {
    this.models[key][field] = value;
    if (field === 'useMid' && value === true && !this.models[key].midSelection)
      this.models[key].midSelection = 'auto';
    this.touch(key, field);
    this.scheduleSave();
  }

  touch(key: AliasKey, field: FormField): void {
    if (!this.touched[key][field]) this.touched[key][field] = true;
  }

  /**
   * The messages to show under a field: its first schema problem once touched (an empty name breaks
   * several rules; the first says what to do), and the instance-aware facts always.
   */
  issuesFor(key: AliasKey, field: FormField): FieldIssue[] {
    const shown = this.submitted || this.touched[key][field] === true;
    const mine = (i: FieldIssue) => i.form === key && formFieldOf(i.field) === field;
    const schema = shown ? this.validation.schemaIssues.find(mine) : undefined;
    return [...(schema ? [schema] : []), ...this.validation.instanceIssues.filter(mine)];
  }

  /** Issues about the instance as a whole (spoke not installed, admin role missing). */
  instanceWideIssues = $derived(this.validation.instanceIssues.filter((i) => i.form === null));

  /** Issues that belong to no single field of a form (shown above the form). */
  formIssues(key: AliasKey): FieldIssue[] {
    const all = [...(this.submitted ? this.validation.schemaIssues : []), ...this.validation.instanceIssues];
    return all.filter((i) => i.form === key && formFieldOf(i.field) === null);
  }

  resetToDefaults(key: AliasKey): void {
    this.models[key] = toModel(key);
    this.touched[key] = {};
    this.scheduleSave();
  }

  scheduleSave(): void {
    if (!this.instanceId) return;
    this.cancelSave();
    this.draftStatus = 'pending';
    this.#timer = setTimeout(() => void this.saveNow(), SAVE_DELAY_MS);
  }

  async saveNow(): Promise<void> {
    this.cancelSave();
    const id = this.instanceId;
    if (!id) return;
    const result = await api.draftsSave({
      id,
      main: this.inputs.main,
      clientCred: this.inputs.clientCred,
      // As typed (an invalid expiry included), so nothing typed is lost; never the secret.
      entra: this.entra.draft,
    });
    if (this.instanceId !== id) return;
    this.draftStatus = result.ok ? 'saved' : 'failed';
    if (result.ok) this.draftSavedAt = result.value.savedAt;
  }

  cancelSave(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
