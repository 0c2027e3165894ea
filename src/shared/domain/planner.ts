// The pure planner: snapshot + desired state → ordered actions. Credentials come first because the
// connections reference them; a credential this plan creates is referenced as `{{credential:<alias>}}`
// and resolved by the apply engine once it exists.
import {
  ALIASES,
  ALIAS_KEYS,
  MID_SELECTION_VALUES,
  OAUTH_REGISTRIES,
  type AliasKey,
} from '../servicenow/spoke';
import type { ConnectionForm, DesiredState } from './desired-state';
import type { FieldChange, Plan, PlanAction, RegistryAction } from './plan';
import { SECRET_OP_LABELS } from './plan';
import { planRegistries, type EntraSecretState } from './registry-planner';
import {
  COMPARED_CONNECTION_ELEMENTS,
  CONNECTION_ELEMENTS as C,
  CREDENTIAL_ELEMENTS,
  NEW_CREDENTIAL_DEFAULTS,
  boolString,
  placeholder,
  placeholderTarget,
} from './record-fields';
import type { ConnectionRecord, CredentialRecord, Snapshot } from './snapshot';
import {
  activeConnectionsOn,
  aliasNameOf,
  connectionTarget,
  credentialByName,
  credentialNameOf,
  domainName,
  grantOfProfile,
  instanceBlocker,
  midClusterByName,
  midServerByName,
  isMidServerUp,
  profileLabel,
  resolveDomain,
} from './snapshot-lookup';

export const credentialActionId = (key: AliasKey) => `credential:${key}`;
export const connectionActionId = (key: AliasKey) => `connection:${key}`;

export interface PlanOptions {
  /** For a desired state with an Entra app: what the caller's fingerprint says (default `missing`). */
  entraSecret?: EntraSecretState;
}

export function buildPlan(
  snapshot: Snapshot,
  desired: DesiredState,
  now: Date,
  options: PlanOptions = {},
): Plan {
  const blocker = instanceBlocker(snapshot);
  const credentials = new Map<AliasKey, PlanAction>();
  /** Which credential action a form's connection uses (two forms may name the same credential). */
  const credentialOwner = new Map<AliasKey, AliasKey>();
  for (const key of ALIAS_KEYS) {
    const shared = ALIAS_KEYS.find(
      (k) => credentials.has(k) && desired[k].credential === desired[key].credential,
    );
    if (shared) {
      credentialOwner.set(key, shared);
      continue;
    }
    credentialOwner.set(key, key);
    credentials.set(key, planCredential(snapshot, key, desired[key], blocker));
  }
  const connections = ALIAS_KEYS.map((key) =>
    planConnection(snapshot, key, desired, credentials.get(credentialOwner.get(key) ?? key)!, blocker),
  );
  return {
    version: 1,
    instanceUrl: snapshot.instanceUrl,
    createdAt: now.toISOString(),
    snapshotAt: snapshot.discoveredAt,
    actions: [...credentials.values(), ...connections],
    ...(desired.entra
      ? { registries: planRegistries(snapshot, desired.entra, options.entraSecret ?? 'missing') }
      : {}),
  };
}

// --- Credentials ---

function planCredential(
  snapshot: Snapshot,
  key: AliasKey,
  form: ConnectionForm,
  blocker: string | null,
): PlanAction {
  const base = {
    id: credentialActionId(key),
    kind: 'credential' as const,
    table: 'oauth_2_0_credentials' as const,
    alias: key,
    name: form.credential,
    dependsOn: [],
    notes: [] as string[],
  };
  const existing = credentialByName(snapshot, form.credential);
  if (existing) return existingCredential(snapshot, form, existing, base);
  const profile = snapshot.profiles[form.grant];
  const profileName = OAUTH_REGISTRIES[form.grant].profileName;
  if (blocker || !profile) {
    return {
      ...base,
      op: 'blocked',
      sysId: null,
      changes: {},
      body: {},
      before: null,
      reason:
        blocker ?? `The OAuth profile "${profileName}" is missing, so the credential cannot be created.`,
    };
  }
  const domain = resolveDomain(snapshot, form.domain);
  const body: Record<string, string> = {
    [CREDENTIAL_ELEMENTS.name]: form.credential,
    [CREDENTIAL_ELEMENTS.profile]: profile.sysId,
    ...NEW_CREDENTIAL_DEFAULTS,
    // Records inherit the creating user's domain unless told (docs/servicenow.md §3.7): keep the credential in
    // the connection's domain.
    ...(domain ? { [CREDENTIAL_ELEMENTS.domain]: domain.sysId } : {}),
  };
  const display: Record<string, string> = { ...body, [CREDENTIAL_ELEMENTS.profile]: profileName };
  if (domain) display[CREDENTIAL_ELEMENTS.domain] = domain.name;
  return {
    ...base,
    op: 'create',
    sysId: null,
    body,
    before: null,
    changes: Object.fromEntries(Object.entries(display).map(([k, v]) => [k, { before: null, after: v }])),
    notes: [`A new OAuth 2.0 credential bound to "${profileName}".`],
    oauth: { grant: form.grant, profileSysId: profile.sysId },
  };
}

function existingCredential(
  snapshot: Snapshot,
  form: ConnectionForm,
  existing: CredentialRecord,
  base: Omit<PlanAction, 'op' | 'sysId' | 'changes' | 'body'>,
): PlanAction {
  const grant = grantOfProfile(snapshot, existing.oauthProfileSysId);
  const label = profileLabel(snapshot, existing.oauthProfileSysId);
  const notes = [`Existing credential, used as it is (bound to "${label}").`];
  if (grant !== form.grant) {
    notes.push(
      `The form asks for "${OAUTH_REGISTRIES[form.grant].profileName}", but this credential is bound to "${label}"; Spokesmith does not change existing credentials.`,
    );
  }
  if (!existing.active) notes.push('This credential is inactive: activate it on the instance before use.');
  const same = (v: string): FieldChange => ({ before: v, after: v });
  return {
    ...base,
    op: 'noop',
    sysId: existing.sysId,
    body: {},
    before: existing.raw,
    changes: {
      [CREDENTIAL_ELEMENTS.name]: same(existing.name),
      [CREDENTIAL_ELEMENTS.profile]: same(label),
      [CREDENTIAL_ELEMENTS.active]: same(boolString(existing.active)),
    },
    notes,
    oauth: { grant, profileSysId: existing.oauthProfileSysId },
  };
}

// --- Connections ---

function planConnection(
  snapshot: Snapshot,
  key: AliasKey,
  desired: DesiredState,
  credential: PlanAction,
  instanceBlock: string | null,
): PlanAction {
  const form = desired[key];
  const alias = snapshot.aliases[key];
  const base = {
    id: connectionActionId(key),
    kind: 'connection' as const,
    table: 'http_connection' as const,
    alias: key,
    name: form.name,
    dependsOn: credential.op === 'create' ? [credential.id] : [],
    notes: [] as string[],
  };
  const blocked = (reason: string, sysId: string | null = null): PlanAction => ({
    ...base,
    op: 'blocked',
    sysId,
    changes: {},
    body: {},
    reason,
  });

  if (instanceBlock) return blocked(instanceBlock);
  if (!alias) {
    return blocked(
      `The connection alias ${ALIASES[key].name} is missing on this instance (is the spoke complete?).`,
    );
  }
  if (key !== 'main' && desired.main.name === form.name) {
    return blocked(
      `Both forms name their connection "${form.name}": the two connections need different names.`,
    );
  }
  if (credential.op === 'blocked') return blocked(`Its credential "${form.credential}" cannot be created.`);
  const domain = resolveDomain(snapshot, form.domain);
  if (!domain) return blocked(`The domain "${form.domain}" does not exist on this instance.`);
  const mid = resolveMid(snapshot, form);
  if ('error' in mid) return blocked(mid.error);

  const target = connectionTarget(snapshot, key, form, domain.sysId);
  if (target.kind === 'name_taken') {
    return blocked(
      `The name "${form.name}" is taken by a connection on ${target.aliasName ?? 'another alias'}: choose another name.`,
      target.record.sysId,
    );
  }
  const record = target.kind === 'new' ? null : target.record;
  if (record && form.active && !alias.multipleConnections) {
    // Adopting one of two active connections is refused like updating one: the instance checks the record as
    // it is after the write, so an update that leaves it active beside another is rejected (docs/servicenow.md
    // §1.2; the simulator's business rule does the same).
    const rival = activeConnectionsOn(snapshot, alias, domain.sysId).find((c) => c.sysId !== record.sysId);
    if (rival) {
      return blocked(
        `"${rival.name}" is already active on ${alias.name} in ${domain.name}, which allows one active connection per domain: deactivate one of them first.`,
        record.sysId,
      );
    }
  }
  const credentialRef = credential.op === 'create' ? placeholder(credential.id) : (credential.sysId ?? '');
  if (form.active && credential.sysId) {
    const user = snapshot.connections.find(
      (c) => c.active && c.credentialSysId === credential.sysId && c.sysId !== record?.sysId,
    );
    if (user) {
      return blocked(
        `The credential "${form.credential}" is already used by the active connection "${user.name}"; a credential can serve only one active connection.`,
        record?.sysId ?? null,
      );
    }
  }

  const wanted: Record<string, string> = {
    [C.name]: form.name,
    [C.credential]: credentialRef,
    [C.alias]: alias.sysId,
    [C.url]: form.connectionUrl,
    [C.useMid]: boolString(form.useMid),
    ...mid.fields,
    [C.active]: boolString(form.active),
    [C.domain]: domain.sysId,
  };
  // The URL builder flag is deliberately absent: its element name is UNCERTAIN (docs/servicenow.md §6.1) and the
  // procedure wants its default (unchecked).
  const display = (element: string, value: string | undefined): string | null => {
    if (value === undefined) return null;
    return describeValue(snapshot, element, value, credential);
  };
  const notes: string[] = [...mid.notes];

  if (!record) {
    return {
      ...base,
      op: 'create',
      sysId: null,
      body: wanted,
      before: null,
      changes: mapEntries(wanted, (el, v) => ({ before: null, after: display(el, v) })),
      notes,
    };
  }
  const current = connectionValues(record);
  const changes: Record<string, FieldChange> = {};
  const body: Record<string, string> = {};
  for (const element of COMPARED_CONNECTION_ELEMENTS) {
    const after = wanted[element];
    if (after === undefined) continue;
    const before = current[element] ?? '';
    changes[element] = { before: display(element, before), after: display(element, after) };
    if (before !== after) body[element] = after;
  }
  if (target.kind === 'adopt') {
    notes.push(
      `${record.name} is active on ${alias.name}, which allows one active connection per domain: the plan updates it instead of adding a second.`,
    );
  }
  return {
    ...base,
    op: Object.keys(body).length ? 'update' : 'noop',
    sysId: record.sysId,
    body,
    before: record.raw,
    changes,
    notes,
    ...(target.kind === 'adopt' ? { adoptedFrom: record.name } : {}),
  };
}

type MidResolution = { fields: Record<string, string>; notes: string[] } | { error: string };

function resolveMid(snapshot: Snapshot, form: ConnectionForm): MidResolution {
  if (!form.useMid || !form.midSelection) return { fields: {}, notes: [] };
  const fields: Record<string, string> = { [C.midSelection]: MID_SELECTION_VALUES[form.midSelection] };
  const notes: string[] = [];
  if (form.midSelection === 'server') {
    const mid = midServerByName(snapshot, form.midServer ?? '');
    if (!mid) return { error: `The MID Server "${form.midServer ?? ''}" does not exist on this instance.` };
    fields[C.midServer] = mid.sysId;
    if (!isMidServerUp(mid))
      notes.push(`The MID Server "${mid.name}" is ${mid.status}: the connection will fail until it is Up.`);
  }
  if (form.midSelection === 'cluster') {
    const cluster = midClusterByName(snapshot, form.midCluster ?? '');
    if (!cluster)
      return { error: `The MID cluster "${form.midCluster ?? ''}" does not exist on this instance.` };
    fields[C.midCluster] = cluster.sysId;
  }
  if (form.midCapabilities.length) fields[C.midCapabilities] = form.midCapabilities.join(',');
  return { fields, notes };
}

/** A connection's comparable values, raw (sys_ids for references). */
export function connectionValues(record: ConnectionRecord): Record<string, string> {
  return {
    ...record.raw,
    [C.name]: record.name,
    [C.credential]: record.credentialSysId ?? '',
    [C.alias]: record.aliasSysId ?? '',
    [C.url]: record.connectionUrl,
    [C.useMid]: boolString(record.useMid),
    [C.midSelection]: record.midSelection ?? '',
    [C.midServer]: record.midServerSysId ?? '',
    [C.active]: boolString(record.active),
    [C.domain]: record.domainSysId,
  };
}

/** References as a consultant reads them: by name. `credential` names the record a placeholder stands for. */
export function describeValue(
  snapshot: Snapshot,
  element: string,
  value: string,
  credential?: Pick<PlanAction, 'name' | 'sysId'>,
): string {
  if (value === '') return '';
  switch (element) {
    case CREDENTIAL_ELEMENTS.profile:
      return profileLabel(snapshot, value);
    case C.credential:
      if (placeholderTarget(value)) return `${credential?.name ?? value} (new)`;
      return (
        credentialNameOf(snapshot, value) ??
        (credential && value === credential.sysId ? credential.name : value)
      );
    case C.alias:
      return aliasNameOf(snapshot, value) ?? value;
    case C.midServer:
      return snapshot.midServers.find((m) => m.sysId === value)?.name ?? value;
    case C.midCluster:
      return snapshot.midClusters?.find((m) => m.sysId === value)?.name ?? value;
    case C.domain:
      return domainName(snapshot, value);
    default:
      return value;
  }
}

function mapEntries<T>(
  obj: Record<string, string>,
  fn: (key: string, value: string) => T,
): Record<string, T> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(k, v)]));
}

// --- JSON for the CLI ---

export interface PlanJsonAction {
  id: string;
  table: string;
  name: string;
  op: PlanAction['op'];
  sysId: string | null;
  changes: Record<string, FieldChange>;
  reason?: string;
  adoptedFrom?: string;
  notes: string[];
}

export interface PlanJsonRegistry extends Omit<PlanJsonAction, 'adoptedFrom'> {
  /** `set`, `will be replaced` or `unchanged`; never the secret. */
  clientSecret: string | null;
}

function registryToJson(r: RegistryAction): PlanJsonRegistry {
  return {
    id: r.id,
    table: r.table,
    name: r.name,
    op: r.op,
    sysId: r.sysId,
    changes: Object.fromEntries(Object.entries(r.changes).filter(([, c]) => c.before !== c.after)),
    clientSecret: r.secret ? SECRET_OP_LABELS[r.secret] : null,
    ...(r.reason ? { reason: r.reason } : {}),
    notes: r.notes,
  };
}

/** `{ instance, actions: [{ table, name, op, changes: {field: {before, after}} }] }`; only changing fields. */
export function planToJson(plan: Plan): {
  instance: string;
  createdAt: string;
  actions: PlanJsonAction[];
  registries?: PlanJsonRegistry[];
  entraCheck?: Plan['entraCheck'];
} {
  return {
    instance: plan.instanceUrl,
    createdAt: plan.createdAt,

    actions: plan.actions.map((a) => ({
      id: a.id,
      table: a.table,
      name: a.name,
      op: a.op,
      sysId: a.sysId,
      changes: Object.fromEntries(Object.entries(a.changes).filter(([, c]) => c.before !== c.after)),
      ...(a.reason ? { reason: a.reason } : {}),
      ...(a.adoptedFrom ? { adoptedFrom: a.adoptedFrom } : {}),
      notes: a.notes,
    })),
    ...(plan.registries ? { registries: plan.registries.map(registryToJson) } : {}),
    ...(plan.entraCheck ? { entraCheck: plan.entraCheck } : {}),
  };
}
