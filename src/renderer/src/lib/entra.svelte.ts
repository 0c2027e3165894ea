// The "Microsoft Entra app" card's state (issue 10): the three typed fields (kept in the draft with the
// two forms), the client secret as a write-only field — typed here, sent to main once, then forgotten:
// the window only ever learns whether one is stored — and the last Entra check.
import type { FieldIssue } from '../../../shared/domain/desired-state';
import {
  EMPTY_ENTRA_DRAFT,
  entraInputOf,
  isEntraDraftEmpty,
  type EntraDraftFields,
} from '../../../shared/domain/entra-draft';
import type { EntraCheckView, EntraStatusView } from '../../../shared/ipc/contract';
import { api } from './api';
import { nowIso } from './time';

export type EntraTextField = keyof EntraDraftFields;
export type EntraFieldName = EntraTextField | 'clientSecret';

/** The card's fields in order, as validateEntraApp names them (`entra.<field>`). */
export const ENTRA_FIELDS: readonly EntraFieldName[] = [
  'tenant',
  'clientId',
  'clientSecret',
  'secretExpires',
];

export class EntraForm {
  instanceId = $state<string | null>(null);
  fields = $state<EntraDraftFields>({ ...EMPTY_ENTRA_DRAFT });
  touched = $state<Partial<Record<EntraFieldName, boolean>>>({});
  /** The secret as being typed; cleared as soon as main has it. Never saved in a draft. */
  secretInput = $state('');
  status = $state.raw<EntraStatusView | null>(null);
  savingSecret = $state(false);
  secretError = $state<string | null>(null);
  check = $state.raw<EntraCheckView | null>(null);
  checking = $state(false);
  checkError = $state<string | null>(null);

  secretStored = $derived(this.status?.secretStored === true);
  empty = $derived(isEntraDraftEmpty(this.fields));
  /** What the desired state gets: undefined for an empty card (the registries are left alone). */
  input = $derived(entraInputOf(this.fields));
  /** The stored draft form: null for an empty card. */
  draft = $derived(this.empty ? null : { ...this.fields });
  /** The last check, while it is about the tenant and client ID as typed now. */
  currentCheck = $derived(
    this.check &&
      this.check.tenant === this.fields.tenant.trim() &&
      this.check.clientId === this.fields.clientId.trim()
      ? this.check
      : null,
  );

  /** Restores the card from the draft and asks main whether a secret is stored. */
  async load(instanceId: string, draft: EntraDraftFields | null): Promise<void> {
    this.instanceId = instanceId;
    this.fields = { ...(draft ?? EMPTY_ENTRA_DRAFT) };
    this.touched = {};
    this.secretInput = '';
    this.secretError = null;
    this.check = null;
    this.checkError = null;
    this.status = null;
    const status = await api.entraStatus({ id: instanceId });
    if (status.ok && this.instanceId === instanceId) this.status = status.value;
  }

  set(field: EntraTextField, value: string): void {
    this.fields[field] = value;
    this.touch(field);
  }

  touch(field: EntraFieldName): void {
    if (!this.touched[field]) this.touched[field] = true;
  }

  /**
   * The card's own note about the secret: an Entra app without a stored secret can only keep the secret
   * the registries already hold (the plan blocks a registry that has none).
   */
  secretIssues(submitted: boolean): FieldIssue[] {
    if (this.empty || this.secretStored || this.savingSecret || this.secretInput) return [];
    if (!submitted && !this.touched.clientSecret) return [];
    return [
      {
        form: null,
        field: 'entra.clientSecret',
        message:
          'No client secret is stored: enter the Value from Certificates & secrets in Entra. Without one the registries keep the secret they hold.',
        severity: 'warning',
      },
    ];
  }

  /** The check's result as a message under the field it names (tenant, client ID, secret). */
  checkIssues(field: EntraFieldName): FieldIssue[] {
    const check = this.currentCheck;
    if (!check || check.ok || check.field !== field) return [];
    return [{ form: null, field: `entra.${field}`, message: check.message, severity: 'error' }];
  }

  #saving: Promise<boolean> | null = null;

  /**
   * Sends the typed secret to main (once) and forgets it here; true when it is stored. A second call while
   * one is on its way (Enter, then leaving the field) waits for that one instead of sending it again.
   */
  saveSecret(): Promise<boolean> {
    if (this.#saving) return this.#saving;
    const id = this.instanceId;
    const secret = this.secretInput;
    if (!id || !secret) return Promise.resolve(false);
    if (!secret.trim()) {
      this.secretError = 'Client secret is required.';
      return Promise.resolve(false);
    }
    this.#saving = this.#send(id, secret).finally(() => (this.#saving = null));
    return this.#saving;
  }

  async #send(id: string, secret: string): Promise<boolean> {
    this.savingSecret = true;
    this.secretError = null;
    try {
      const result = await api.entraSecret({ id, secret });
      if (this.instanceId !== id) return false;
      if (!result.ok) {
        this.secretError = result.message;
        return false;
      }
      // Only what was sent is cleared: a secret typed meanwhile stays for the next save.
      if (this.secretInput === secret) this.secretInput = '';
      this.status = this.status
        ? { ...this.status, secretStored: result.value.secretStored }
        : { secretStored: true, authority: '', standIn: false, demoApp: null };
      // A check made with another secret says nothing about this one.
      this.check = null;
      return true;
    } finally {
      this.savingSecret = false;
    }
  }

  async forgetSecret(): Promise<void> {
    const id = this.instanceId;
    if (!id) return;
    const result = await api.entraForget({ id });
    if (this.instanceId !== id) return;
    if (!result.ok) {
      this.secretError = result.message;
      return;
    }
    this.secretError = null;
    if (this.status) this.status = { ...this.status, secretStored: false };
    this.check = null;
  }

  /** Demo instance: fills in the stand-in's demo app and stores its (public) demo secret. */
  async useDemoApp(): Promise<void> {
    const id = this.instanceId;
    if (!id) return;
    const result = await api.entraDemo({ id });
    if (this.instanceId !== id) return;
    if (!result.ok) {
      this.secretError = result.message;
      return;
    }
    this.fields = { ...this.fields, tenant: result.value.tenant, clientId: result.value.clientId };
    if (this.status) this.status = { ...this.status, secretStored: true };
    this.check = null;
    this.secretError = null;
  }

  /**
   * Apply stopped because the Entra app failed its check: the verdict goes under the field it names, as
   * if the person had pressed "Check Entra app".
   */
  showApplyVerdict(message: string, field: string | null): void {
    const known = ['tenant', 'clientId', 'clientSecret', 'authority', 'entraApp'] as const;
    const named = known.find((f) => f === field) ?? 'entraApp';
    this.check = {
      ok: false,
      problem: 'apply_check_failed',
      field: named,
      message,
      roles: [],
      missingRoles: [],
      authority: this.status?.authority ?? '',
      tenant: this.fields.tenant.trim(),
      clientId: this.fields.clientId.trim(),
      checkedAt: nowIso(),
    };
  }

  /** Asks main to check the app as typed with the stored secret. */
  async runCheck(): Promise<void> {
    const id = this.instanceId;
    if (!id || this.checking) return;
    if ((this.secretInput || this.#saving) && !(await this.saveSecret())) return;
    this.checking = true;
    this.checkError = null;
    try {
      const result = await api.entraCheck({
        id,
        tenant: this.fields.tenant.trim(),
        clientId: this.fields.clientId.trim(),
      });
      if (this.instanceId !== id) return;
      if (result.ok) this.check = result.value;
      else this.checkError = result.message;
    } finally {
      this.checking = false;
    }
  }
}
