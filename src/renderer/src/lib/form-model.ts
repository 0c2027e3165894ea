// What a form holds while someone types, and its conversion to and from the shared schema's input.
// Text inputs hold strings ("" for empty) and capabilities a comma-separated line, so typing "ALL, " is not
// rewritten under the cursor; `toInput` produces exactly the keys ConnectionFormSchema (strict) accepts.
import { defaultForm } from '../../../shared/domain/default-forms';
import type { ConnectionField, ConnectionFormInput } from '../../../shared/domain/desired-state';
import type { AliasKey, GrantType, MidSelection } from '../../../shared/servicenow/spoke';

export interface FormModel {
  alias: string;
  name: string;
  credential: string;
  grant: GrantType;
  urlBuilder: boolean;
  connectionUrl: string;
  useMid: boolean;
  midSelection: MidSelection | '';
  midServer: string;
  midCluster: string;
  capabilities: string;
  active: boolean;
  domain: string;
}

export type FormField = keyof FormModel;

/** Every field a form edits (the alias is fixed per form). */
export const FORM_FIELDS: readonly FormField[] = [
  'name',
  'credential',
  'grant',
  'urlBuilder',
  'connectionUrl',
  'useMid',
  'midSelection',
  'midServer',
  'midCluster',
  'capabilities',
  'active',
  'domain',
];

/** A schema field name → the form field that shows its messages. */
export function formFieldOf(schemaField: string): FormField | null {
  if (schemaField === 'midCapabilities') return 'capabilities';
  return (FORM_FIELDS as readonly string[]).includes(schemaField) || schemaField === 'alias'
    ? (schemaField as FormField)
    : null;
}

export function toModel(key: AliasKey, input?: Partial<ConnectionFormInput> | null): FormModel {
  const d = { ...defaultForm(key), ...(input ?? {}) };
  const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);
  return {
    alias: defaultForm(key).alias,
    name: str(d.name),
    credential: str(d.credential),
    grant:
      d.grant === 'authorization_code' || d.grant === 'client_credentials' ? d.grant : defaultForm(key).grant,
    urlBuilder: d.urlBuilder === true,
    connectionUrl: str(d.connectionUrl),
    useMid: d.useMid === true,
    midSelection:
      d.midSelection === 'auto' || d.midSelection === 'server' || d.midSelection === 'cluster'
        ? d.midSelection
        : '',
    midServer: str(d.midServer),
    midCluster: str(d.midCluster),
    capabilities: Array.isArray(d.midCapabilities) ? d.midCapabilities.join(', ') : '',
    active: d.active !== false,
    domain: str(d.domain, 'global'),
  };
}

export function toInput(model: FormModel): ConnectionFormInput {
  return {
    alias: model.alias,
    name: model.name,
    credential: model.credential,
    urlBuilder: model.urlBuilder,
    connectionUrl: model.connectionUrl,
    useMid: model.useMid,
    ...(model.midSelection ? { midSelection: model.midSelection } : {}),
    ...(model.midServer.trim() ? { midServer: model.midServer } : {}),
    ...(model.midCluster.trim() ? { midCluster: model.midCluster } : {}),
    midCapabilities: model.capabilities
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
    active: model.active,
    domain: model.domain,
    grant: model.grant,
  };
}

/** The fields marked "differs": every field a form edits, Name and Credential included (they do differ). */
export function differingFields(a: FormModel, b: FormModel): Set<FormField> {
  return new Set(FORM_FIELDS.filter((f) => a[f] !== b[f]));
}

export type { ConnectionField };
