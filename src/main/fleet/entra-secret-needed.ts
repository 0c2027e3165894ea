// A fleet or queued apply of a desired state with an Entra app writes the client secret, which only the
// OS keychain holds (issue 10 §3; docs/servicenow.md §8). Without it the apply cannot do what was asked,
// so it does not start: one outcome, said the same way for a fleet run and a queued apply, naming the
// instance and where the secret is entered.
import type { DesiredState } from '../../shared/domain/desired-state';
import { keepStatus, type ApplyOutcome } from '../operations';
import { hasEntraSecret } from '../secrets/entra-secret';
import { describeKeychainError } from '../secrets/open-secret-store';
import type { SecretStore } from '../secrets/secret-store';
import type { Workspace } from '../workspace';

export function missingSecretMessage(name: string, instanceId: string): string {
  return (
    `${name}: no Entra client secret is stored for this instance, so the apply with its Entra app did not run. ` +
    `Enter the secret in the app (the instance's "Microsoft Entra app" card) or with ` +
    `"spokesmith apply ${instanceId} --entra-tenant … --entra-client-id …" (from ENTRA_CLIENT_SECRET or the prompt); ` +
    'Spokesmith keeps it in the OS keychain. Then apply again.'
  );
}

/**
 * null when the apply may start: no Entra app in the desired state, or its secret is in the keychain.
 * Otherwise the `blocked` outcome to report (nothing was sent), after noting it in the instance's status.
 */
export async function entraSecretBlock(
  secrets: SecretStore | undefined,
  workspace: Workspace,
  instanceId: string,
  desired: DesiredState,
): Promise<ApplyOutcome | null> {
  if (!desired.entra) return null;
  let stored = false;
  let why: string | null = null;
  try {
    stored = secrets ? await hasEntraSecret(secrets, instanceId) : false;
  } catch (error) {
    // A keychain that cannot be read is said as such: the secret may be there.
    why = `the OS keychain could not be read: ${describeKeychainError(error)}`;
  }
  if (stored) return null;
  const name = workspace.instances.get(instanceId)?.name ?? instanceId;
  const message = why
    ? `${name}: the apply with its Entra app did not run, because ${why}`
    : missingSecretMessage(name, instanceId);
  await keepStatus(workspace, instanceId, { statusMessage: message }).catch(() => undefined);
  return {
    instanceId,
    status: 'blocked',
    ok: false,
    code: 'invalid_input',
    message,
    plan: null,
    counts: null,
    record: null,
    resumed: null,
    issues: [],
  };
}
