// The Entra app as a person types it (the app's card, a saved draft) and what it means for the desired
// state: an empty card is "no Entra app" (the registries are left alone, issue 10); anything typed is the
// Entra app to validate. One rule, used by the window and by main, so both agree on what gets applied.
import type { EntraAppInput } from './desired-state';

/** The three typed fields; never the secret (it lives only in the keychain). */
export interface EntraDraftFields {
  tenant: string;
  clientId: string;
  secretExpires: string;
}

export const EMPTY_ENTRA_DRAFT: EntraDraftFields = { tenant: '', clientId: '', secretExpires: '' };

/** A stored draft's `entra` (any shape) as the three fields, non-strings read as empty. */
export function entraDraftFields(value: unknown): EntraDraftFields {
  const record = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const str = (key: keyof EntraDraftFields) => (typeof record[key] === 'string' ? record[key] : '');
  return { tenant: str('tenant'), clientId: str('clientId'), secretExpires: str('secretExpires') };
}

/** True when nothing is typed: the desired state then has no Entra app. */
export function isEntraDraftEmpty(fields: EntraDraftFields): boolean {
  return !fields.tenant.trim() && !fields.clientId.trim() && !fields.secretExpires.trim();
}

/**
 * The desired state's `entra` input for validateDesiredState: undefined for an empty card, otherwise the
 * typed values (an empty expiry left out: it is optional).
 */
export function entraInputOf(fields: EntraDraftFields): EntraAppInput | undefined {
  if (isEntraDraftEmpty(fields)) return undefined;
  return {
    tenant: fields.tenant,
    clientId: fields.clientId,
    ...(fields.secretExpires.trim() ? { secretExpires: fields.secretExpires } : {}),
  };
}
