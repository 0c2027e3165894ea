// Instance-aware checks: what the forms mean on this particular instance, field by field, in words a
// consultant understands. The UI runs this on every keystroke, so it only does lookups in the snapshot
// (the same ones the planner uses, so the checks and the plan never disagree).
import { ALIASES, ALIAS_KEYS, OAUTH_REGISTRIES, type AliasKey } from '../servicenow/spoke';
import type { ConnectionForm, FieldIssue } from './desired-state';
import type { PlanOp } from './plan';
import { buildPlan, connectionActionId } from './planner';
import type { Snapshot } from './snapshot';
import {
  connectionTarget,
  credentialByName,
  grantOfProfile,
  hasAdminRole,
  isMidServerUp,
  midClusterByName,
  midServerByName,
  profileLabel,
  resolveDomain,
} from './snapshot-lookup';

/** Accepts partially filled desired states: a form that does not validate yet is simply skipped. */
export function checkAgainstSnapshot(
  desired: Partial<Record<AliasKey, ConnectionForm | undefined>>,
  snapshot: Snapshot,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!snapshot.spoke.installed) {
    issues.push({
      form: null,
      field: 'instance',
      severity: 'error',
      message:
        'The Microsoft Exchange Online Spoke is not installed on this instance: install it from the ServiceNow Store first.',
    });
  }
  if (!hasAdminRole(snapshot)) {
    issues.push({
      form: null,
      field: 'instance',
      severity: 'error',
      message: `The user ${snapshot.user.userName} does not have the admin role the procedure requires.`,
    });
  }
  // Whether an existing connection is updated is the planner's answer (it compares every field), so the
  // note never says "updates it" above a plan with nothing to update. It needs both forms.
  const { main, clientCred } = desired;
  const plan =
    main && clientCred ? buildPlan(snapshot, { main, clientCred }, new Date(snapshot.discoveredAt)) : null;
  for (const key of ALIAS_KEYS) {
    const form = desired[key];
    const op = plan?.actions.find((a) => a.id === connectionActionId(key))?.op ?? null;
    if (form) issues.push(...checkForm(snapshot, key, form, op));
  }
  return issues;
}

function existingNote(name: string, op: PlanOp | null): string {
  if (op === 'noop') return `"${name}" exists on this alias and already matches the form: nothing to change.`;
  // Blocked: the blocking reason is its own message.
  if (op === 'blocked') return `"${name}" exists on this alias.`;
  return `"${name}" exists on this alias: the plan updates the fields that differ from the form.`;
}

function checkForm(
  snapshot: Snapshot,
  key: AliasKey,
  form: ConnectionForm,
  connectionOp: PlanOp | null,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: string, severity: FieldIssue['severity'], message: string) =>
    issues.push({ form: key, field, severity, message });
  const alias = snapshot.aliases[key];
  if (!alias && snapshot.spoke.installed) {
    add('alias', 'error', `The connection alias ${ALIASES[key].name} is missing on this instance.`);
  }

  // Credential
  const credential = credentialByName(snapshot, form.credential);
  const wantedProfile = OAUTH_REGISTRIES[form.grant].profileName;
  if (credential) {
    const grant = grantOfProfile(snapshot, credential.oauthProfileSysId);
    const label = profileLabel(snapshot, credential.oauthProfileSysId);
    if (grant !== form.grant) {
      add(
        'credential',
        'warning',
        `"${form.credential}" exists and is bound to "${label}", not to "${wantedProfile}"; it will be used as it is.`,
      );
    } else {
      add(
        'credential',
        'info',
        `"${form.credential}" exists (bound to "${label}") and will be used as it is.`,
      );
    }
    if (!credential.active) add('credential', 'warning', `"${form.credential}" is inactive on the instance.`);
  } else if (snapshot.profiles[form.grant]) {
    add(
      'credential',
      'info',
      `"${form.credential}" will be created as a new OAuth 2.0 credential bound to "${wantedProfile}".`,
    );
  } else {
    add(
      'grant',
      'error',
      `The OAuth profile "${wantedProfile}" is missing on this instance, so "${form.credential}" cannot be created.`,
    );
  }

  // Domain
  const domain = resolveDomain(snapshot, form.domain);
  if (!domain) add('domain', 'error', `The domain "${form.domain}" does not exist on this instance.`);

  // Name and the single-connection rule
  if (alias) {
    const target = connectionTarget(snapshot, key, form, domain?.sysId ?? 'global');
    switch (target.kind) {
      case 'name_taken':
        add(
          'name',
          'error',
          `"${form.name}" is already the name of a connection on ${target.aliasName ?? 'another alias'}: choose another name.`,
        );
        break;
      case 'existing':
        add('name', 'info', existingNote(form.name, connectionOp));
        break;
      case 'adopt':
        // As above the note says what the plan does only when the plan can do it (blocked: its reason is its
        // own message, e.g. a second active connection beside this one).
        add(
          'name',
          'info',
          `${target.record.name} is active on this alias, which allows one active connection per domain${
            connectionOp === 'blocked' ? '.' : ': the plan updates it instead of adding a second.'
          }`,
        );
        break;
      case 'new':
        break;
    }
  }

  // MID Server
  if (form.useMid && form.midSelection === 'server' && form.midServer) {
    const mid = midServerByName(snapshot, form.midServer);
    if (!mid) {
      add('midServer', 'error', `There is no MID Server named "${form.midServer}" on this instance.`);
    } else if (!isMidServerUp(mid)) {
      // A warning, not an error: a MID Server that is down today may be up by the time the spoke runs,
      // and the connection record itself can be saved either way.
      add(
        'midServer',
        'warning',
        `The MID Server "${mid.name}" is ${mid.status}: the connection will fail until it is Up.`,
      );
    } else if (!mid.validated) {
      add('midServer', 'warning', `The MID Server "${mid.name}" is not validated yet.`);
    }
  }
  if (form.useMid && form.midSelection === 'cluster' && form.midCluster) {
    if (!midClusterByName(snapshot, form.midCluster)) {
      add('midCluster', 'error', `There is no MID cluster named "${form.midCluster}" on this instance.`);
    }
  }
  return issues;
}
