// The state of the two connection forms and the Entra app card for the selected instance: values, which
// fields were touched, validation derived from the values (never written by an effect), the "differs"
// markers, and the debounced draft save.
import type { FieldIssue } from '../../../shared/domain/desired-state';
import type { DraftView } from '../../../shared/ipc/contract';
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

/** 'conflict': main refused the save because another process changed the draft (see draftConflict). */
export type DraftStatus = 'idle' | 'pending' | 'saved' | 'failed' | 'conflict';

/** Why main refused a draft save: another process changed the draft since these forms loaded it. */
export interface DraftConflict {
  message: string;
  /** The draft as stored now (null: it could not be read). */
  stored: DraftView | null;
}

export class FormsState {
  instanceId = $state<string | null>(null);
  models = $state<Record<AliasKey, FormModel>>({ main: toModel('main'), clientCred: toModel('clientCred') });
  touched = $state<Record<AliasKey, Partial<Record<FormField, boolean>>>>({ main: {}, clientCred: {} });
  submitted = $state(false);
  /** The last discovered snapshot of the instance; the instance-aware checks run against it. */
  snapshot = $state.raw<Snapshot | null>(null);
  draftStatus = $state<DraftStatus>('idle');
  draftSavedAt = $state<string | null>(null);
  /**
   * Set when a save was refused because another process changed the draft. Autosave stops until the
   * person chooses (loadStoredDraft or overwriteStoredDraft): every further save would be refused the same
   * way, and what they type stays in the forms meanwhile.
   */
  draftConflict = $state.raw<DraftConflict | null>(null);
  /**
   * Set when the forms were reloaded because another process (a CLI run, a git pull of the shared
   * workspace) wrote this instance's draft while nothing typed here was waiting to be saved. Cleared by
   * the next edit or load.
   */
  draftReloaded = $state(false);
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
  /**
   * The revision of the stored draft the forms were loaded from or last saved as (null: none stored).
   * Every save sends it, so main refuses one that would overwrite another process's change.
   */
  #basedOn: string | null = null;
  /** Bumped by every load: a save asked for before it must not write the newly loaded instance's draft. */
  #generation = 0;
  /** The save in flight: saves go one after another, each based on the revision the previous one left. */
  #saving: Promise<void> = Promise.resolve();

  /** Restores the instance's saved draft (or the documented defaults). */
  async load(instanceId: string): Promise<void> {
    this.cancelSave();
    this.#generation += 1;
    this.instanceId = instanceId;
    this.touched = { main: {}, clientCred: {} };
    this.submitted = false;
    this.draftStatus = 'idle';
    this.draftSavedAt = null;
    this.draftConflict = null;
    this.draftReloaded = false;
    this.#basedOn = null;
    this.models = { main: toModel('main'), clientCred: toModel('clientCred') };
    const generation = this.#generation;
    const draft = await api.draftsGet({ id: instanceId });
    if (this.#generation !== generation) return;
    if (draft.ok) {
      this.models = {
        main: toModel('main', draft.value.main),
        clientCred: toModel('clientCred', draft.value.clientCred),
      };
      this.draftSavedAt = draft.value.updatedAt;
      this.#basedOn = draft.value.revision;
    }
    await this.entra.load(instanceId, draft.ok ? (draft.value.entra ?? null) : null);
  }

  /**
   * This instance's draft file was written (main watches it). A save of ours echoes back too: the stored
   * revision is then the one these forms hold, and nothing happens. Another process's write, with
   * nothing typed here waiting to be saved: the forms show the stored draft at once. With typing waiting
   * (or a save that failed): it is saved now, so main's refusal, and the choice it brings, come at once
   * rather than at the next autosave.
   */
  async followStoredDraft(): Promise<void> {
    const id = this.instanceId;
    if (!id || this.draftConflict) return;
    if (this.#timer !== null || this.draftStatus === 'failed') {
      await this.saveNow();
      return;
    }
    await this.#saving;
    const generation = this.#generation;
    const stored = await api.draftsGet({ id });
    if (this.#generation !== generation || this.#timer !== null || this.draftConflict) return;
    if ((stored.ok ? stored.value.revision : null) === this.#basedOn) return;
    await this.load(id);
    if (this.#generation === generation + 1) this.draftReloaded = true;
  }

  /** After a refused save: drops what was typed and shows the draft as stored now. */
  async loadStoredDraft(): Promise<void> {
    if (this.instanceId) await this.load(this.instanceId);
  }

  /**
   * After a refused save: keeps what was typed and saves it over the version the refusal showed. If yet
   * another change was made since, that save is refused too and shown the same way.
   */
  async overwriteStoredDraft(): Promise<void> {
    const conflict = this.draftConflict;
    if (!conflict) return;
    this.#basedOn = conflict.stored?.revision ?? null;
    this.draftConflict = null;
    await this.saveNow();
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
    // Refused once: the typing stays in the forms, the choice shown stays until the person makes it.
    if (!this.instanceId || this.draftConflict) return;
    this.cancelSave();
    this.draftReloaded = false;
    this.draftStatus = 'pending';
    this.#timer = setTimeout(() => void this.saveNow(), SAVE_DELAY_MS);
  }

  async saveNow(): Promise<void> {
    this.cancelSave();
    const generation = this.#generation;
    // After the save in flight, so this one is based on the revision that one stored (two saves based on
    // one revision: main would refuse the second as if another process had made the first).
    const run = this.#saving.then(() => this.#send(generation));
    this.#saving = run.catch(() => undefined);
    await run;
  }

  async #send(generation: number): Promise<void> {
    const id = this.instanceId;
    if (!id || this.#generation !== generation || this.draftConflict) return;
    const result = await api.draftsSave({
      id,
      main: this.inputs.main,
      clientCred: this.inputs.clientCred,
      // As typed (an invalid expiry included), so nothing typed is lost; never the secret.
      entra: this.entra.draft,
      basedOn: this.#basedOn,
    });
    if (this.#generation !== generation) return;
    if (result.ok) {
      this.draftStatus = 'saved';
      this.draftSavedAt = result.value.savedAt;
      this.#basedOn = result.value.revision;
      return;
    }
    if (result.code !== 'conflict') {
      this.draftStatus = 'failed';
      return;
    }
    // Another process changed the draft: show what it stored, and let the person choose.
    const stored = await api.draftsGet({ id });
    if (this.#generation !== generation) return;
    this.draftConflict = { message: result.message, stored: stored.ok ? stored.value : null };
    this.draftStatus = 'conflict';
  }

  cancelSave(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
