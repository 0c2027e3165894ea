// What the consultant does after an apply: get an OAuth token for each credential (and, since issue 10,
// everything else left for a person: whatIsLeft below). The Client Credentials
// grant has no documented REST path ("Get OAuth Token" on the credential form, docs/servicenow.md §6.10); the
// Authorization Code grant starts at oauth_initiator.do with the parameters of docs/servicenow.md §5 step 6.
import { WALKUP_FLOWS, type GrantType } from '../servicenow/spoke';
import type { NextStep, TokenStatus } from './apply';
import { REQUIRED_GRAPH_ROLES } from './entra';
import type { EntraCheckSummary } from './plan';
import type { SecretExpiry, WalkupFlowStatus } from './walkup-status';

export interface CredentialForNextStep {
  name: string;
  sysId: string;
  grant: GrantType | null;
  profileSysId: string | null;
}

export function instanceBase(instanceUrl: string): string {
  return instanceUrl.replace(/\/+$/, '');
}

/** Opens the credential form, where "Get OAuth Token" is. */
export function credentialFormUrl(instanceUrl: string, sysId: string): string {
  return `${instanceBase(instanceUrl)}/oauth_2_0_credentials.do?sys_id=${encodeURIComponent(sysId)}`;
}

export function authorizeUrl(instanceUrl: string, credentialSysId: string, profileSysId: string): string {
  // Built by hand: shared code has no URLSearchParams type (no DOM, no Node types).
  const query = Object.entries({
    oauth_requestor_context: 'oauth_2_0_credentials',
    oauth_requestor: credentialSysId,
    oauth_provider_profile: profileSysId,
    response_type: 'code',
  })
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return `${instanceBase(instanceUrl)}/oauth_initiator.do?${query}`;
}

export function buildNextSteps(instanceUrl: string, credentials: CredentialForNextStep[]): NextStep[] {
  const seen = new Set<string>();
  const steps: NextStep[] = [];
  for (const c of credentials) {
    if (seen.has(c.sysId)) continue;
    seen.add(c.sysId);
    // A credential bound to neither spoke profile is treated like Client Credentials: the form's button.
    const grant: GrantType = c.grant ?? 'client_credentials';
    steps.push({
      credentialName: c.name,
      credentialSysId: c.sysId,
      grant,
      credentialUrl: credentialFormUrl(instanceUrl, c.sysId),
      authorizeUrl:
        grant === 'authorization_code' && c.profileSysId
          ? authorizeUrl(instanceUrl, c.sysId, c.profileSysId)
          : null,
    });
  }
  return steps;
}

// --- What is left for a person to do (issue 10 §5): the one home of these rules ---

/** A registry the apply did not leave as asked (blocked, failed or not run), in plain words. */
export interface RegistryNotWritten {
  name: string;
  reason: string;
}

/** Everything the "what is left" list is built from; null = not known (not read, not checked). */
export interface LeftToDoFacts {
  /** The credentials that need a token (ApplyRecord.nextSteps). */
  nextSteps: readonly NextStep[];
  /** Token status read after the apply; null when it was not read. */
  tokens: readonly TokenStatus[] | null;
  /** null when the desired state had no Entra app (the registries were left alone). */
  entraCheck: EntraCheckSummary | null;
  /** Whether the registries are part of what was applied (the desired state had an Entra app). */
  entra: boolean;
  registriesNotWritten: readonly RegistryNotWritten[];
  /** null when they were not read. */
  walkupFlows: readonly WalkupFlowStatus[] | null;
  /** null when the expiry date is not known. */
  secretExpiry: SecretExpiry | null;
}

export type PersonStepKind =
  | 'fix_entra_app'
  | 'grant_admin_consent'
  | 'check_entra_app'
  | 'write_registry'
  | 'get_token'
  | 'activate_flow'
  | 'install_walkup'
  | 'check_flows'
  | 'renew_secret';

export interface PersonStep {
  kind: PersonStepKind;
  /** One sentence saying what to do and why. */
  text: string;
  /** Where to do it, when Spokesmith knows the page. */
  url: string | null;
  /** The link's text (what it opens). */
  urlLabel: string | null;
}

const rolesText = (): string => REQUIRED_GRAPH_ROLES.join(', ');

/**
 * The steps a person still has to take after an apply, in the order they are best done: the Entra app
 * first (nothing works without it), then anything not written, the tokens, the flows, and the secret's
 * renewal. Every step comes from a fact; nothing is said about what was not part of the apply.
 */
export function whatIsLeft(facts: LeftToDoFacts): PersonStep[] {
  return [
    ...entraSteps(facts.entraCheck),
    ...facts.registriesNotWritten.map((r): PersonStep => ({
      kind: 'write_registry',
      text: `The Application Registry “${r.name}” was not written: ${r.reason} Fix this and apply again.`,
      url: null,
      urlLabel: null,
    })),
    ...tokenSteps(facts.nextSteps, facts.tokens),
    // Without an Entra app the apply may be for WCS or Career Conversations (docs/servicenow.md §2), which
    // do not need Walk-up: only a Walk-up flow found inactive is worth a step then.
    ...(facts.entra
      ? flowSteps(facts.walkupFlows)
      : flowSteps(facts.walkupFlows ?? []).filter((s) => s.kind === 'activate_flow')),
    ...expirySteps(facts.secretExpiry),
  ];
}

function entraSteps(check: EntraCheckSummary | null): PersonStep[] {
  if (!check || check.status === 'passed') return [];
  if (check.status === 'failed') {
    return [
      check.field === 'entraApp'
        ? {
            kind: 'grant_admin_consent',
            text: `Ask the customer's Entra admin to grant admin consent for the Microsoft Graph application permission ${rolesText()} (API permissions of the app in Entra): ${check.message}`,
            url: null,
            urlLabel: null,
          }
        : {
            kind: 'fix_entra_app',
            text: `Fix the Entra app and apply again: ${check.message}`,
            url: null,
            urlLabel: null,
          },
    ];
  }
  const why =
    check.status === 'skipped'
      ? 'the check was declined'
      : 'it was not checked before this apply, e.g. a plan made offline';
  return [
    {
      kind: 'check_entra_app',
      text: `Check the Entra app (${why}): a wrong tenant, client ID or secret, or missing admin consent for ${rolesText()}, shows only when the spoke asks for a token. Run the check in the app or plan without --no-entra-check.`,
      url: null,
      urlLabel: null,
    },
  ];
}

function tokenSteps(steps: readonly NextStep[], tokens: readonly TokenStatus[] | null): PersonStep[] {
  const hasToken = new Set((tokens ?? []).filter((t) => t.hasToken).map((t) => t.credentialSysId));
  return steps
    .filter((s) => !hasToken.has(s.credentialSysId))
    .map((s) =>
      s.grant === 'authorization_code' && s.authorizeUrl
        ? {
            kind: 'get_token' as const,
            text: `Get an OAuth token for “${s.credentialName}” (Authorization Code): sign in to Microsoft as the mailbox account and allow access.`,
            url: s.authorizeUrl,
            urlLabel: 'Sign in to Microsoft to authorize',
          }
        : {
            kind: 'get_token' as const,
            text: `Get an OAuth token for “${s.credentialName}” (${s.grant === 'authorization_code' ? 'Authorization Code' : 'Client Credentials'}): open the credential and click Get OAuth Token.`,
            url: s.credentialUrl,
            urlLabel: 'Open the credential',
          },
    );
}

function flowSteps(flows: readonly WalkupFlowStatus[] | null): PersonStep[] {
  if (!flows || flows.every((f) => f.state === 'unknown')) {
    return [
      {
        kind: 'check_flows',
        text: `Check in Flow Designer that “${WALKUP_FLOWS.join('” and “')}” are active: Spokesmith did not read them (discover the instance again to see them here).`,
        url: null,
        urlLabel: null,
      },
    ];
  }
  const steps: PersonStep[] = [];
  const missing = flows.filter((f) => f.state === 'missing');
  if (missing.length) {
    steps.push({
      kind: 'install_walkup',
      text: `Install the Walk-up Experience plugin (com.snc.walkup): the flow${missing.length > 1 ? 's' : ''} “${missing.map((f) => f.name).join('” and “')}” ${missing.length > 1 ? 'are' : 'is'} not on this instance.`,
      url: null,
      urlLabel: null,
    });
  }
  for (const f of flows) {
    if (f.state === 'inactive') {
      steps.push({
        kind: 'activate_flow',
        text: `Activate the flow “${f.name}” in Flow Designer${f.status ? ` (its status is ${f.status})` : ''}: Walk-up sends no calendar events while it is inactive.`,
        url: f.url,
        urlLabel: 'Open the flow',
      });
    } else if (f.state === 'unknown') {
      steps.push({
        kind: 'check_flows',
        text: `Check in Flow Designer that “${f.name}” is active: Spokesmith could not read it.`,
        url: null,
        urlLabel: null,
      });
    }
  }
  return steps;
}

function expirySteps(expiry: SecretExpiry | null): PersonStep[] {
  if (!expiry?.warn) return [];
  const when =
    expiry.daysLeft < 0
      ? `expired on ${expiry.expiresOn}`
      : `expires on ${expiry.expiresOn} (${expiry.daysLeft === 0 ? 'today' : expiry.daysLeft === 1 ? 'tomorrow' : `in ${expiry.daysLeft} days`})`;
  return [
    {
      kind: 'renew_secret',
      text: `Renew the Entra client secret: it ${when}. Create a new one in Entra (Certificates & secrets), enter it in Spokesmith with its expiry date, and apply again.`,
      url: null,
      urlLabel: null,
    },
  ];
}
