// Add or edit an instance (credentials verified with ONE authenticated call before anything is stored,
// secrets only in the keychain), test its stored credentials, remove it. The app's form and the CLI's
// `instances add` both come here.
import type { InstanceStatus } from '../../shared/ipc/contract';
import type { ServiceNowErrorCode } from '../../shared/servicenow/errors';
import { describeKeychainError } from '../secrets/open-secret-store';
import { deleteEntraSecret } from '../secrets/entra-secret';
import {
  readInstanceSecrets,
  writeInstanceSecrets,
  type InstanceSecrets,
  type SecretStore,
} from '../secrets/secret-store';
import { createServiceNowClient, normalizeInstanceUrl, type InstanceAuth, type WhoAmI } from '../servicenow';
import {
  instanceConflict,
  instanceIdFromUrl,
  instanceRevision,
  WorkspaceConflictError,
  WorkspaceInputError,
  type InstanceRecord,
  type Workspace,
} from '../workspace';
import { authFromSecrets, originOf } from './credentials';
import { failureOf, fieldError, OperationError } from './errors';

export interface SaveInstanceInput {
  /** Edit this instance; absent: add one (its id comes from the URL). */
  id?: string;
  name: string;
  url: string;
  authMethod: 'basic' | 'oauth';
  username: string;
  clientId?: string;
  /** Left out on edit: keep the stored one (same origin only). */
  password?: string;
  clientSecret?: string;
  /** Absent: keep the stored variables; `{}` clears them. */
  variables?: Record<string, string>;
  template?: string;
  /**
   * The revision of the entry the editor opened (InstanceView.revision); null: it opened none (adding).
   * Absent: what this process has in memory when the save starts (the CLI reads the workspace as it
   * starts). Either way the save is refused (code `conflict`) when the entry changed since.
   */
  basedOn?: string | null;
}

export interface SaveInstanceOptions {
  workspace: Workspace;
  secrets: SecretStore;
  /** A new instance whose URL is already saved: `refuse` (the app's form) or `update` that entry (the CLI). */
  sameUrl: 'refuse' | 'update';
  now: () => Date;
}

export interface SavedInstance {
  instance: InstanceRecord;
  /** Who the credentials signed in as; null when they were not changed (so not sent). */
  verified: Pick<WhoAmI, 'userName' | 'roles'> | null;
  created: boolean;
}

export async function saveInstance(
  input: SaveInstanceInput,
  options: SaveInstanceOptions,
): Promise<SavedInstance> {
  const { workspace } = options;
  const normalized = normalizeInstanceUrl(input.url);
  if (!normalized.ok) throw fieldError('url', normalized.message);
  const url = normalized.url;

  let existing = input.id ? byId(workspace, input.id) : null;
  if (input.id && !existing)
    throw new OperationError('not_found', `There is no instance "${input.id}" to edit.`);
  if (existing?.isDemo) throw fieldError('id', 'The demo instance cannot be edited.');
  let id = existing?.id ?? instanceIdFromUrl(url);
  const taken = existing ? null : byId(workspace, id);
  if (taken && originOf(taken.url) === originOf(url)) {
    if (options.sameUrl === 'refuse') throw fieldError('url', `${url} is already in this workspace.`);
    existing = taken;
  } else if (taken) {
    // Another URL with the same slug: this one gets an id of its own, never that instance's entry.
    const base = id.slice(0, 60);
    for (let n = 2; byId(workspace, id); n += 1) id = `${base}-${n}`;
  }

  // Everything below that starts from `existing` (the kept secrets, variables, template) is only right
  // if the entry is still that one when it is written: the store checks this revision under its lock.
  const basedOn = input.basedOn !== undefined ? input.basedOn : instanceRevision(existing);
  // Checked here too, so a save already known to be stale sends nothing to the instance.
  if (instanceRevision(existing) !== basedOn)
    throw conflictError(instanceConflict(input.name, id, existing, basedOn).message);

  // Secrets left out on edit mean "keep the stored ones" — but only for the origin they were stored for.
  const stored = existing ? await readInstanceSecrets(options.secrets, id) : null;
  const storedFor = stored ? (stored.origin ?? originOf(existing!.url)) : null;
  const keep = stored !== null && storedFor === originOf(url) ? stored : null;
  if (stored && !keep && input.password === undefined) {
    throw fieldError(
      'password',
      `The address changed from ${storedFor} to ${originOf(url)}: enter the password again. ` +
        'A stored password is only ever sent to the address it was saved for.',
    );
  }
  const oauth = input.authMethod === 'oauth';
  const secrets: InstanceSecrets = {
    ...((input.password ?? keep?.password) ? { password: input.password ?? keep?.password } : {}),
    ...(oauth && (input.clientSecret ?? keep?.clientSecret)
      ? { clientSecret: input.clientSecret ?? keep?.clientSecret }
      : {}),
    origin: originOf(url),
  };
  const clientId = oauth ? input.clientId : undefined;
  if (!secrets.password) throw fieldError('password', 'Enter the password.');
  if (oauth && !clientId) throw fieldError('clientId', 'Enter the OAuth client id.');
  if (oauth && !secrets.clientSecret) throw fieldError('clientSecret', 'Enter the OAuth client secret.');
  const auth = authFromSecrets(
    { authMethod: input.authMethod, username: input.username, ...(clientId ? { clientId } : {}) },
    secrets,
  )!;

  const credentialsChanged =
    !existing ||
    input.password !== undefined ||
    input.clientSecret !== undefined ||
    existing.url !== url ||
    existing.username !== input.username ||
    existing.authMethod !== input.authMethod ||
    existing.clientId !== clientId;
  // Verify before storing: on any failure (401 above all) nothing is written anywhere.
  const verified = credentialsChanged ? await whoami(url, auth) : null;
  const storeSecrets = async () => {
    try {
      await writeInstanceSecrets(options.secrets, id, secrets);
    } catch (error) {
      // e.g. a locked keychain, or Windows' 2560-byte credential limit: say so, store nothing else.
      throw new OperationError(
        'keychain',
        `The credentials were verified but not stored. ${describeKeychainError(error)}`,
      );
    }
  };
  // The keychain and the entry are written under instances.json's lock, after the check against
  // `basedOn` and in that order (src/main/workspace/instances-store.ts). Guaranteed: a refused save
  // touches neither; two processes saving one instance at once are serialized, and the second, based
  // on the entry the first replaced, is refused before its keychain write (new credentials move the
  // entry's revision), so the keychain and the entry never describe two different saves. Not guaranteed:
  // a process killed, or a disk failing, between the two writes leaves the new secrets with the old
  // entry. The lock is held during the keychain write, which other writers of instances.json wait for.
  const instance = await refusedAsInvalid(() =>
    workspace.instances.save(
      {
        id,
        name: input.name,
        url,
        authMethod: input.authMethod,
        username: input.username,
        ...(clientId ? { clientId } : {}),
        isDemo: false,
        // Fields the input leaves out are kept as they are (tags are never edited here).
        ...(existing?.tags ? { tags: existing.tags } : {}),
        ...((input.variables ?? existing?.variables)
          ? { variables: input.variables ?? existing?.variables }
          : {}),
        ...((input.template ?? existing?.template) ? { template: input.template ?? existing?.template } : {}),
      },
      { basedOn, ...(credentialsChanged ? { beforeWrite: storeSecrets } : {}) },
    ),
  );
  if (!existing || credentialsChanged) await workspace.instances.setStatus(id, 'not_checked', null);
  return { instance: byId(workspace, id) ?? instance, verified, created: !existing };
}

export interface ConnectionTest {
  ok: boolean;
  code: ServiceNowErrorCode | null;
  message: string;
  userName: string | null;
  roles: string[];
}

/**
 * One authenticated call with the instance's credentials. A success leaves the instance "ready" when it
 * was not checked yet or had failed (issue 12, item 3: a badge that still says "Not checked" after a
 * successful test contradicts what just happened); a failure leaves it "failed" with the reason.
 */
export async function testInstance(
  workspace: Workspace,
  id: string,
  auth: InstanceAuth,
): Promise<ConnectionTest> {
  const instance = byId(workspace, id);
  if (!instance) throw new OperationError('not_found', `There is no instance "${id}" in this workspace.`);
  try {
    const who = await whoami(instance.url, auth);
    const message = `Connected as ${who.userName}.`;
    const next: InstanceStatus | null =
      instance.status === 'not_checked' || instance.status === 'failed' ? 'ready' : null;
    if (next) await workspace.instances.setStatus(id, next, message);
    return { ok: true, code: null, message, userName: who.userName, roles: who.roles };
  } catch (error) {
    const failure = failureOf(error);
    if (!failure) throw error;
    await workspace.instances.setStatus(id, 'failed', failure.message);
    return { ok: false, code: failure.code, message: failure.message, userName: null, roles: [] };
  }
}

/** Removes the instance and forgets its secrets (the Entra one too); its history stays in its folder. */
export async function removeInstance(
  workspace: Workspace,
  secrets: SecretStore,
  id: string,
): Promise<{ removed: boolean; forgot: boolean }> {
  const instance = byId(workspace, id);
  if (!instance) return { removed: false, forgot: false };
  if (instance.isDemo) throw fieldError('id', 'The demo instance cannot be removed.');
  const removed = await workspace.instances.remove(id);
  const [forgot, forgotEntra] = await Promise.all([
    secrets.delete(id).catch(() => false),
    deleteEntraSecret(secrets, id).catch(() => false),
  ]);
  return { removed, forgot: forgot || forgotEntra };
}

/** The instance with exactly this id (`instances.get` also matches by name). */
export function byId(workspace: Workspace, id: string): InstanceRecord | null {
  const found = workspace.instances.get(id);
  return found && found.id === id ? found : null;
}

async function whoami(url: string, auth: InstanceAuth): Promise<WhoAmI> {
  const client = createServiceNowClient({ instanceUrl: url, auth });
  try {
    return await client.whoami();
  } finally {
    client.close();
  }
}

const conflictError = (message: string) => new OperationError('conflict', message);

/**
 * The workspace refuses bad input with WorkspaceInputError: that is the user's input, not a bug. A save
 * refused because another process changed the entry is a `conflict`.
 */
async function refusedAsInvalid<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof WorkspaceConflictError) throw conflictError(error.message);
    if (error instanceof WorkspaceInputError)
      throw new OperationError('invalid_input', error.message, error.issues);
    throw error;
  }
}
