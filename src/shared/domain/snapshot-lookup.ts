// Lookups into a snapshot that the planner and the instance-aware checks share, so both reach the same
// conclusion about a form (e.g. which connection a plan adopts). All of them are linear scans over a
// few dozen rows: cheap enough for the UI to run on every keystroke.
import { ALIASES, ALIAS_KEYS, OAUTH_REGISTRIES, type AliasKey, type GrantType } from '../servicenow/spoke';
import type { ConnectionForm } from './desired-state';
import { ADMIN_ROLE, GLOBAL_DOMAIN } from './record-fields';
// Types only: a value import would load snapshot.ts and its zod schemas into the renderer, which runs this.
import type {
  AliasInfo,
  ConnectionRecord,
  CredentialRecord,
  Domain,
  MidCluster,
  MidServer,
  Snapshot,
} from './snapshot';

export function resolveDomain(snapshot: Snapshot, domain: string): Domain | null {
  if (domain.toLowerCase() === GLOBAL_DOMAIN) return { sysId: GLOBAL_DOMAIN, name: GLOBAL_DOMAIN };
  return snapshot.domains.find((d) => d.name === domain || d.sysId === domain) ?? null;
}

export function domainName(snapshot: Snapshot, sysId: string): string {
  if (sysId === '' || sysId === GLOBAL_DOMAIN) return GLOBAL_DOMAIN;
  return snapshot.domains.find((d) => d.sysId === sysId)?.name ?? sysId;
}

export function midServerByName(snapshot: Snapshot, name: string): MidServer | null {
  return snapshot.midServers.find((m) => m.name === name) ?? null;
}

export function midClusterByName(snapshot: Snapshot, name: string): MidCluster | null {
  return snapshot.midClusters?.find((c) => c.name === name) ?? null;
}

export function isMidServerUp(mid: MidServer): boolean {
  return mid.status.toLowerCase() === 'up';
}

export function credentialByName(snapshot: Snapshot, name: string): CredentialRecord | null {
  return snapshot.credentials.find((c) => c.name === name) ?? null;
}

export function connectionByName(snapshot: Snapshot, name: string): ConnectionRecord | null {
  return snapshot.connections.find((c) => c.name === name) ?? null;
}

export function aliasNameOf(snapshot: Snapshot, aliasSysId: string | null): string | null {
  if (!aliasSysId) return null;
  for (const key of ALIAS_KEYS) {
    if (snapshot.aliases[key]?.sysId === aliasSysId) return ALIASES[key].name;
  }
  return null;
}

export function credentialNameOf(snapshot: Snapshot, sysId: string | null): string | null {
  if (!sysId) return null;
  return snapshot.credentials.find((c) => c.sysId === sysId)?.name ?? null;
}

/** Which of the spoke's two profiles a credential is bound to; null when it is another profile. */
export function grantOfProfile(snapshot: Snapshot, profileSysId: string | null): GrantType | null {
  if (!profileSysId) return null;
  if (snapshot.profiles.authorization_code?.sysId === profileSysId) return 'authorization_code';
  if (snapshot.profiles.client_credentials?.sysId === profileSysId) return 'client_credentials';
  return null;
}

export function profileLabel(snapshot: Snapshot, profileSysId: string | null): string {
  const grant = grantOfProfile(snapshot, profileSysId);
  if (grant) return OAUTH_REGISTRIES[grant].profileName;
  return profileSysId ? `another profile (${profileSysId})` : 'no profile';
}

export function hasAdminRole(snapshot: Snapshot): boolean {
  return snapshot.user.roles.includes(ADMIN_ROLE);
}

/** Why nothing can be planned on this instance at all, or null. */
export function instanceBlocker(snapshot: Snapshot): string | null {
  if (!snapshot.spoke.installed) {
    return 'The Microsoft Exchange Online Spoke is not installed on this instance: install it from the ServiceNow Store first.';
  }
  if (!hasAdminRole(snapshot)) {
    return `The user ${snapshot.user.userName} does not have the admin role the procedure requires.`;
  }
  return null;
}

/** Active connections on an alias in one domain, by name, so the choice is stable. */
export function activeConnectionsOn(
  snapshot: Snapshot,
  alias: AliasInfo,
  domainSysId: string,
): ConnectionRecord[] {
  return snapshot.connections
    .filter((c) => c.aliasSysId === alias.sysId && c.active && sameDomain(c.domainSysId, domainSysId))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function sameDomain(a: string, b: string): boolean {
  const norm = (v: string) => (v === '' ? GLOBAL_DOMAIN : v);
  return norm(a) === norm(b);
}

/** How a form's connection lands on the instance: a new record, an existing one of that name, or an adoption. */
export type ConnectionTarget =
  | { kind: 'new' }
  | { kind: 'existing'; record: ConnectionRecord }
  | { kind: 'adopt'; record: ConnectionRecord }
  | { kind: 'name_taken'; record: ConnectionRecord; aliasName: string | null };

/**
 * The single-connection rule (docs/servicenow.md §1.2): when the alias allows one active connection per domain
 * and one is already active there, the plan takes that record over (renaming it) instead of adding a
 * second, as the WCS docs tell admins to do with "MS Graph 1"/"MS Graph 2". An inactive desired
 * connection does not collide with anything, so it is added as a new record.
 */
export function connectionTarget(
  snapshot: Snapshot,
  key: AliasKey,
  form: ConnectionForm,
  domainSysId: string,
): ConnectionTarget {
  const alias = snapshot.aliases[key];
  const byName = connectionByName(snapshot, form.name);
  if (byName) {
    if (!alias || byName.aliasSysId !== alias.sysId) {
      return { kind: 'name_taken', record: byName, aliasName: aliasNameOf(snapshot, byName.aliasSysId) };
    }
    return { kind: 'existing', record: byName };
  }
  if (alias && !alias.multipleConnections && form.active) {
    const [first] = activeConnectionsOn(snapshot, alias, domainSysId);
    if (first) return { kind: 'adopt', record: first };
  }
  return { kind: 'new' };
}
