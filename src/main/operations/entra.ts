// The Entra app's part of plan and apply (issue 10), written once for every front end: the client secret
// read from the keychain, what the planner may know about it (a keyed fingerprint, never the secret), the
// Entra check run before anything is written, and the secret handed to the engine at send time.
import type { DesiredState, EntraApp } from '../../shared/domain/desired-state';
import { ENTRA_LOGIN_AUTHORITY } from '../../shared/domain/entra';
import type { EntraCheckSummary } from '../../shared/domain/plan';
import type { EntraSecretState } from '../../shared/domain/registry-planner';
import type { RegistrySecret } from '../engine';
import { checkEntraApp } from '../entra/check';
import { entraSecretState, readEntraSecret, rememberWrittenSecret } from '../secrets/entra-secret';
import type { SecretStore } from '../secrets/secret-store';

/** Where the check asks for a token; `false`: the person declined the check (`--no-entra-check`). */
export type EntraCheckRequest = { authority: string } | false;

export const CHECK_DECLINED = 'The Entra app was not checked (--no-entra-check).';
export const CHECK_NOT_RUN =
  'The Entra app was not checked: this plan was made offline, from the last discovery.';

export interface EntraInputs {
  /** Only in this process's memory: handed to the check, never to a plan, file or message. */
  secret: string | null;
  state: EntraSecretState;
}

/** The secret as the keychain holds it now, and what the planner needs to know about it. */
export async function entraInputs(
  secrets: SecretStore | undefined,
  instanceId: string,
): Promise<EntraInputs> {
  if (!secrets) return { secret: null, state: 'missing' };
  const secret = await readEntraSecret(secrets, instanceId);
  return { secret, state: await entraSecretState(secrets, instanceId, secret) };
}

/** What the planner needs to know about the secret, when the desired state has an Entra app. */
export async function entraPlanOptions(
  desired: DesiredState,
  secrets: SecretStore | undefined,
  instanceId: string,
): Promise<{ entraSecret?: EntraSecretState }> {
  if (!desired.entra) return {};
  return { entraSecret: (await entraInputs(secrets, instanceId)).state };
}

/**
 * The Entra check as a plan shows it. Never throws: an authority that cannot be reached or answers
 * nonsense is a `failed` check naming the field to fix, like a refused secret.
 */
export async function checkEntra(
  entra: EntraApp,
  secret: string | null,
  request: EntraCheckRequest | undefined,
): Promise<EntraCheckSummary> {
  if (request === false)
    return { status: 'skipped', authority: ENTRA_LOGIN_AUTHORITY, message: CHECK_DECLINED };
  const authority = request?.authority ?? ENTRA_LOGIN_AUTHORITY;
  if (!secret)
    return {
      status: 'failed',
      authority,
      field: 'clientSecret',
      message:
        'Client secret: none is stored in the keychain for this instance, so the Entra app cannot be checked. Enter the client secret, or decline the check.',
    };
  try {
    const result = await checkEntraApp(
      { tenant: entra.tenant, clientId: entra.clientId, clientSecret: secret },
      { authority },
    );
    return result.ok
      ? { status: 'passed', authority, message: result.message, roles: result.roles }
      : {
          status: 'failed',
          authority,
          field: result.field,
          message: result.message,
          ...(result.roles ? { roles: result.roles } : {}),
        };
  } catch {
    // checkEntraApp answers every failure it knows; anything else is ours. Its error may carry the form
    // body (the secret), so only a fixed sentence leaves this line.
    return {
      status: 'failed',
      authority,
      field: 'authority',
      message: 'The Entra check failed unexpectedly: try again, or decline the check.',
    };
  }
}

export function notRunCheck(request: EntraCheckRequest | undefined): EntraCheckSummary {
  return {
    status: 'not_run',
    authority: request ? request.authority : ENTRA_LOGIN_AUTHORITY,
    message: CHECK_NOT_RUN,
  };
}

/**
 * The engine's secret provider: the keychain read at send time (so a queued apply or a resume uses the
 * secret stored now), and the keyed fingerprint kept once the registries were written with it and
 * verified, so the next plan knows it is `unchanged` (src/main/secrets/entra-secret.ts).
 */
export function registrySecretFor(
  secrets: SecretStore | undefined,
  instanceId: string,
): RegistrySecret | undefined {
  if (!secrets) return undefined;
  return {
    read: () => readEntraSecret(secrets, instanceId),
    written: (secret) => rememberWrittenSecret(secrets, instanceId, secret),
  };
}
