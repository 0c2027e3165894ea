// Planning the two Application Registry records (pure): the Entra app's derived fields against what
// discovery read, field by field, and what happens to the client secret — decided from whether the
// registry holds one and from the caller's fingerprint comparison, never from the secret itself
// (docs/servicenow.md §8: a password2 value cannot be read back, so it is never compared).
import { OAUTH_REGISTRIES, type GrantType } from '../servicenow/spoke';
import type { EntraApp } from './desired-state';
import type { FieldChange, RegistryAction, SecretOp } from './plan';
import { COMPARED_REGISTRY_ELEMENTS } from './record-fields';
import { GRANT_TYPES, registryFields } from './registry-fields';
import type { RegistryRecord, Snapshot } from './snapshot';
import { instanceBlocker } from './snapshot-lookup';

/**
 * What the caller knows about the secret it would write, from a keyed fingerprint kept in the keychain:
 * `unchanged` (it is the one last written to this instance), `replace` (another was last written),
 * `unknown` (nothing remembered for this instance), `missing` (no secret is at hand).
 */
export type EntraSecretState = 'unchanged' | 'replace' | 'unknown' | 'missing';

/** Why registries cannot be planned (or rolled back) from a snapshot without them. */
export const REGISTRIES_NOT_READ =
  'The Application Registries were not read (a snapshot from before Spokesmith read them, or the instance refused the read): discover the instance again.';

export const registryActionId = (grant: GrantType): string => `registry:${grant}`;

/** The secret's fate; `missing` when the registry would need one and none is at hand. */
export function secretOp(state: EntraSecretState, secretSet: boolean | null): SecretOp | 'missing' {
  if (state === 'missing') return secretSet === true ? 'unchanged' : 'missing';
  if (secretSet === false) return 'set';
  // A set secret whose origin is unknown cannot be compared (never read back): replace it to be sure.
  return state === 'unchanged' ? 'unchanged' : 'replace';
}

export function planRegistries(
  snapshot: Snapshot,
  entra: EntraApp,
  secret: EntraSecretState,
): RegistryAction[] {
  const wanted = registryFields(entra, snapshot.instanceUrl);
  const blocker = instanceBlocker(snapshot);
  return GRANT_TYPES.map((grant) => {
    const name = OAUTH_REGISTRIES[grant].entityName;
    const base = {
      id: registryActionId(grant),
      kind: 'registry' as const,
      table: 'oauth_entity' as const,
      grant,
      name,
      notes: [] as string[],
    };
    const record = snapshot.registries?.[grant] ?? null;
    const blocked = (reason: string): RegistryAction => ({
      ...base,
      op: 'blocked',
      sysId: record?.sysId ?? null,
      changes: {},
      body: {},
      secret: null,
      before: record ? { ...record.values } : null,
      reason,
    });
    if (blocker) return blocked(blocker);
    if (!snapshot.registries) {
      return blocked(REGISTRIES_NOT_READ);
    }
    if (!record) {
      return blocked(
        `The Application Registry "${name}" is missing on this instance (is the spoke complete?). Spokesmith updates the spoke's registries and never creates one.`,
      );
    }
    return updateRegistry(base, record, wanted[grant], secret);
  });
}

function updateRegistry(
  base: Pick<RegistryAction, 'id' | 'kind' | 'table' | 'grant' | 'name' | 'notes'>,
  record: RegistryRecord,
  wanted: Record<string, string>,
  secret: EntraSecretState,
): RegistryAction {
  const changes: Record<string, FieldChange> = {};
  const body: Record<string, string> = {};
  for (const element of COMPARED_REGISTRY_ELEMENTS) {
    const after = wanted[element];
    if (after === undefined) continue;
    const before = record.values[element] ?? '';
    changes[element] = { before, after };
    if (before !== after) body[element] = after;
  }
  const op = secretOp(secret, record.secretSet);
  const notes = [...base.notes];
  if (op === 'missing') {
    return {
      ...base,
      op: 'blocked',
      sysId: record.sysId,
      changes,
      body: {},
      secret: null,
      before: { ...record.values },
      reason: `The registry "${base.name}" has no client secret and none was given: enter the Entra app's client secret.`,
      notes,
    };
  }
  if (secret === 'missing') notes.push('No client secret was given: the one the registry holds is kept.');
  if (op === 'replace' && secret === 'unknown')
    notes.push('The registry holds a client secret Spokesmith did not write; it is replaced.');
  if (op !== 'unchanged')
    notes.push('The client secret is written as an encrypted field and never read back.');
  return {
    ...base,
    op: Object.keys(body).length || op !== 'unchanged' ? 'update' : 'noop',
    sysId: record.sysId,
    changes,
    body,
    secret: op,
    before: { ...record.values },
    notes,
  };
}
