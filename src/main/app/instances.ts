// Instances in the window: list, add/edit, remove, test. The operations layer verifies and stores
// (src/main/operations/instances.ts); this turns the form into its input and the result into the view.
// The renderer gets `secretConfigured`, never a secret.
import type { ChannelParsedInput, ConnectionTestView, InstanceView } from '../../shared/ipc/contract';
import * as operations from '../operations';
import { reportAnswered, reportUnreachable } from './answered';
import type { AppContext } from './context';

type SaveInput = ChannelParsedInput<'app:instances:save'>;

export async function listInstances(ctx: AppContext): Promise<InstanceView[]> {
  const instances = ctx.workspace().instances.list();
  // The demo first, then by name: a new user sees what to try.
  instances.sort((a, b) => Number(b.isDemo) - Number(a.isDemo) || a.name.localeCompare(b.name));
  return Promise.all(instances.map((i) => ctx.view(i)));
}

export async function saveInstance(ctx: AppContext, input: SaveInput): Promise<InstanceView> {
  for (const secret of [input.password, input.clientSecret]) ctx.logger.registerSecret(secret);
  const saved = await operations.saveInstance(
    {
      ...(input.id ? { id: input.id } : {}),
      name: input.name,
      url: input.url,
      authMethod: input.authMethod,
      username: input.username,
      ...(input.clientId ? { clientId: input.clientId } : {}),
      ...(input.password !== undefined ? { password: input.password } : {}),
      ...(input.clientSecret !== undefined ? { clientSecret: input.clientSecret } : {}),
      ...(input.variables ? { variables: input.variables } : {}),
      // What the editor opened (absent when adding): main refuses the save if another process changed it.
      ...(input.basedOn !== undefined ? { basedOn: input.basedOn } : {}),
    },
    { workspace: ctx.workspace(), secrets: ctx.secrets.store, sameUrl: 'refuse', now: ctx.now },
  );
  ctx.logger.info('Instance saved', { instanceId: saved.instance.id, verified: saved.verified !== null });
  return ctx.view(saved.instance);
}

export async function removeInstance(ctx: AppContext, id: string): Promise<{ removed: boolean }> {
  const { removed } = await operations.removeInstance(ctx.workspace(), ctx.secrets.store, id);
  if (removed) ctx.logger.info('Instance removed', { instanceId: id });
  return { removed };
}

export async function testInstance(ctx: AppContext, id: string): Promise<ConnectionTestView> {
  const instance = await ctx.requireInstance(id);
  const result = await operations.testInstance(ctx.workspace(), id, await ctx.authFor(instance));
  if (result.ok || !operations.isUnreachableCode(result.code)) reportAnswered(ctx, id);
  else reportUnreachable(ctx, id, result.code, result.message);
  return result;
}
