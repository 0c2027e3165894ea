// Instances: list, add/edit (credentials verified with one authenticated call BEFORE anything is stored),
// remove, and test the stored credentials. The renderer gets `secretConfigured`, never a secret.
import type { ChannelParsedInput, ConnectionTestView, InstanceView } from '../../shared/ipc/contract';
import { AppError, serviceNowFailureOf } from '../ipc/errors';
import { describeKeychainError } from '../secrets/open-secret-store';
import { readInstanceSecrets, writeInstanceSecrets, type InstanceSecrets } from '../secrets/secret-store';
import { authFromSecrets, type AppContext } from './context';
import type { InstanceRecord } from './ports';

type SaveInput = ChannelParsedInput<'app:instances:save'>;

export async function listInstances(ctx: AppContext): Promise<InstanceView[]> {
  const instances = await ctx.workspace.listInstances();
  // The demo first, then by name: a new user sees what to try.
  instances.sort((a, b) => Number(b.isDemo) - Number(a.isDemo) || a.name.localeCompare(b.name));
  return Promise.all(instances.map((i) => ctx.view(i)));
}

export async function saveInstance(ctx: AppContext, input: SaveInput): Promise<InstanceView> {
  for (const secret of [input.password, input.clientSecret]) ctx.logger.registerSecret(secret);

  const normalized = ctx.engine.normalizeInstanceUrl(input.url);
  if (!normalized.ok) throw fieldError('url', normalized.message);

  const existing = input.id ? await ctx.workspace.getInstance(input.id) : null;
  if (input.id && !existing) throw new AppError('not_found', `There is no instance "${input.id}" to edit.`);
  if (existing?.isDemo) throw fieldError('id', 'The demo instance cannot be edited.');

  const id = existing?.id ?? ctx.workspace.instanceIdFromUrl(normalized.url);
  if (!existing && (await ctx.workspace.getInstance(id))) {
    throw fieldError('url', `${normalized.url} is already in this workspace.`);
  }

  const now = ctx.now().toISOString();
  const record: InstanceRecord = {
    id,
    name: input.name,
    url: normalized.url,
    authMethod: input.authMethod,
    username: input.username,
    ...(input.authMethod === 'oauth' && input.clientId ? { clientId: input.clientId } : {}),
    isDemo: false,
    // Absent: keep the stored variables (the workspace port keeps them); `{}` clears them.
    ...(input.variables ? { variables: input.variables } : {}),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };

  // Secrets left out on edit mean "keep the stored ones".
  const stored = existing ? await readInstanceSecrets(ctx.secrets.store, id) : null;
  const secrets: InstanceSecrets = {
    ...((input.password ?? stored?.password) ? { password: input.password ?? stored?.password } : {}),
    ...(record.authMethod === 'oauth' && (input.clientSecret ?? stored?.clientSecret)
      ? { clientSecret: input.clientSecret ?? stored?.clientSecret }
      : {}),
  };
  if (!secrets.password) throw fieldError('password', 'Enter the password.');
  if (record.authMethod === 'oauth') {
    if (!record.clientId) throw fieldError('clientId', 'Enter the OAuth client id.');
    if (!secrets.clientSecret) throw fieldError('clientSecret', 'Enter the OAuth client secret.');
  }
  const auth = authFromSecrets(record, secrets)!;

  const credentialsChanged =
    !existing ||
    input.password !== undefined ||
    input.clientSecret !== undefined ||
    existing.url !== record.url ||
    existing.username !== record.username ||
    existing.authMethod !== record.authMethod ||
    existing.clientId !== record.clientId;
  if (credentialsChanged) {
    // Verify before storing: on any failure (401 above all) nothing is written anywhere.
    const client = ctx.engine.createClient(record.url, auth);
    try {
      await ctx.engine.whoami(client);
    } finally {
      ctx.engine.closeClient(client);
    }
    try {
      await writeInstanceSecrets(ctx.secrets.store, id, secrets);
    } catch (error) {
      // e.g. a locked keychain, or Windows' 2560-byte credential limit: say so, store nothing else.
      throw new AppError(
        'keychain',
        `The credentials were verified but not stored. ${describeKeychainError(error)}`,
      );
    }
  }
  await ctx.workspace.saveInstance(record);
  if (!existing || credentialsChanged) {
    await ctx.setState(id, { status: 'not_checked', statusMessage: null });
  }
  ctx.logger.info('Instance saved', { instanceId: id, verified: credentialsChanged });
  return ctx.view(record);
}

export async function removeInstance(ctx: AppContext, id: string): Promise<{ removed: boolean }> {
  const instance = await ctx.workspace.getInstance(id);
  if (!instance) return { removed: false };
  if (instance.isDemo) throw fieldError('id', 'The demo instance cannot be removed.');
  const removed = await ctx.workspace.removeInstance(id);
  await ctx.secrets.store.delete(id);
  ctx.logger.info('Instance removed', { instanceId: id });
  return { removed };
}

export async function testInstance(ctx: AppContext, id: string): Promise<ConnectionTestView> {
  const instance = await ctx.requireInstance(id);
  try {
    const who = await ctx.withClient(instance, (client) => ctx.engine.whoami(client));
    return {
      ok: true,
      code: null,
      message: `Connected as ${who.userName}.`,
      userName: who.userName,
      roles: who.roles,
    };
  } catch (error) {
    const failure = serviceNowFailureOf(error);
    if (!failure) throw error;
    await ctx.setState(id, { status: 'failed', statusMessage: failure.message });
    return { ok: false, code: failure.code, message: failure.message, userName: null, roles: [] };
  }
}

function fieldError(field: string, message: string): AppError {
  return new AppError('invalid_input', message, [{ path: field, message }]);
}
