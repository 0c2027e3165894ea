// How an instance signs in, and the rule that guards its stored secrets: they are sent only to the origin
// they were verified against and stored for. A saved instance whose URL now names another host (an edit,
// a hand-edited or git-merged instances.json) must be given the password again (issue 9, item 1).
import { readInstanceSecrets, type InstanceSecrets, type SecretStore } from '../secrets/secret-store';
import type { InstanceAuth } from '../servicenow';
import type { InstanceRecord } from '../workspace';
import { OperationError } from './errors';

export type { InstanceAuth } from '../servicenow';

/** The stored secrets as client credentials; null when something the sign-in method needs is missing. */
export function authFromSecrets(
  instance: Pick<InstanceRecord, 'authMethod' | 'username' | 'clientId'>,
  secrets: InstanceSecrets,
): InstanceAuth | null {
  if (!secrets.password) return null;
  if (instance.authMethod === 'basic') {
    return { kind: 'basic', username: instance.username, password: secrets.password };
  }
  if (!instance.clientId || !secrets.clientSecret) return null;
  return {
    kind: 'oauth',
    clientId: instance.clientId,
    clientSecret: secrets.clientSecret,
    username: instance.username,
    password: secrets.password,
  };
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** Whether stored secrets may be sent to `url`: only to the origin they were stored for. */
export function secretsFitOrigin(secrets: InstanceSecrets, url: string): boolean {
  return secrets.origin === undefined || secrets.origin === originOf(url);
}

/** The plain-words reason a stored secret is withheld from the instance's (changed) URL. */
export function otherOriginMessage(name: string, storedFor: string, url: string): string {
  return (
    `The password stored for ${name} was verified for ${storedFor}, but ${name} now points at ` +
    `${originOf(url)}: enter the password again. A stored password is only ever sent to the address it was saved for.`
  );
}

/**
 * The stored secrets of a saved instance, when they may be sent to its URL. Secrets stored for another
 * origin are refused with a `keychain` error saying why; none stored → null (the caller asks or refuses).
 */
export async function readSecretsFor(
  store: SecretStore,
  instance: Pick<InstanceRecord, 'id' | 'name' | 'url'>,
): Promise<InstanceSecrets | null> {
  const secrets = await readInstanceSecrets(store, instance.id);
  if (!secrets) return null;
  if (!secretsFitOrigin(secrets, instance.url)) {
    throw new OperationError('keychain', otherOriginMessage(instance.name, secrets.origin!, instance.url));
  }
  return secrets;
}
