// What the consultant does after an apply: get an OAuth token for each credential. The Client Credentials
// grant has no documented REST path ("Get OAuth Token" on the credential form, docs/servicenow.md §6.10); the
// Authorization Code grant starts at oauth_initiator.do with the parameters of docs/servicenow.md §5 step 6.
import type { GrantType } from '../servicenow/spoke';
import type { NextStep } from './apply';

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
