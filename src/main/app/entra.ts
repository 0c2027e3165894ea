// The Entra app in the window (issue 10, docs/servicenow.md §8): the client secret goes renderer → main
// once and is kept in the keychain (src/main/secrets/entra-secret.ts); every answer says only whether one
// is stored. The check asks Entra (or, for the demo instance, the simulator's stand-in) for a token with
// that stored secret and answers in plain words naming the field to fix.
import type { DesiredState } from '../../shared/domain/desired-state';
import type { EntraCheckView, EntraSecretView, EntraStatusView } from '../../shared/ipc/contract';
import { checkEntraApp } from '../entra/check';
import { AppError } from '../ipc/errors';
import { deleteEntraSecret, hasEntraSecret, readEntraSecret, saveEntraSecret } from '../secrets/entra-secret';
import type { InstanceRecord } from '../workspace';
import type { AppContext } from './context';
import type { DemoEntra } from './demo';
import { entraAuthority } from './entra-settings';

/** The demo instance's stand-in for Entra ID, or null for every other instance. */
export function demoEntraOf(ctx: AppContext, instance: InstanceRecord): DemoEntra | null {
  const demo = ctx.demo;
  return instance.isDemo && demo?.instanceId === instance.id ? (demo.entra ?? null) : null;
}

/** The authority the Entra check of this instance asks: the demo's stand-in, or the settings' one. */
export async function checkAuthorityFor(ctx: AppContext, instance: InstanceRecord): Promise<string> {
  return demoEntraOf(ctx, instance)?.authority ?? (await entraAuthority(ctx));
}

/**
 * What an apply or plan of `desired` needs for the Entra app: the check's authority when it has one (the app
 * never declines the check). Fleet applies, fleet plans and queued applies take it per instance.
 */
export async function entraCheckFor(
  ctx: AppContext,
  instance: InstanceRecord,
  desired: DesiredState,
): Promise<{ entraCheck?: { authority: string } }> {
  return desired.entra ? { entraCheck: { authority: await checkAuthorityFor(ctx, instance) } } : {};
}

export async function entraStatus(ctx: AppContext, id: string): Promise<EntraStatusView> {
  const instance = await ctx.requireInstance(id);
  const demo = demoEntraOf(ctx, instance);
  return {
    secretStored: await keychain(ctx, () => hasEntraSecret(ctx.secrets.store, id)),
    authority: await checkAuthorityFor(ctx, instance),
    standIn: demo !== null,
    demoApp: demo ? { tenant: demo.tenant, clientId: demo.clientId } : null,
  };
}

export async function saveSecret(
  ctx: AppContext,
  input: { id: string; secret: string },
): Promise<EntraSecretView> {
  // Masked in the log from now on, even if a library were to print it.
  ctx.logger.registerSecret(input.secret);
  await ctx.requireInstance(input.id);
  await keychain(ctx, () => saveEntraSecret(ctx.secrets.store, input.id, input.secret));
  ctx.logger.info('Entra client secret stored', { instanceId: input.id });
  return { secretStored: true };
}

export async function forgetSecret(ctx: AppContext, id: string): Promise<EntraSecretView> {
  await ctx.requireInstance(id);
  const removed = await keychain(ctx, () => deleteEntraSecret(ctx.secrets.store, id));
  if (removed) ctx.logger.info('Entra client secret forgotten', { instanceId: id });
  return { secretStored: false };
}

/** Demo instance only: stores the stand-in's public demo secret and answers the demo app to fill in. */
export async function useDemoEntra(
  ctx: AppContext,
  id: string,
): Promise<EntraSecretView & { tenant: string; clientId: string }> {
  const instance = await ctx.requireInstance(id);
  const demo = demoEntraOf(ctx, instance);
  if (!demo) throw new AppError('invalid_input', 'Only the demo instance has a demo Entra app.');
  await keychain(ctx, () => saveEntraSecret(ctx.secrets.store, id, demo.secret));
  return { secretStored: true, tenant: demo.tenant, clientId: demo.clientId };
}

export async function checkEntra(
  ctx: AppContext,
  input: { id: string; tenant: string; clientId: string },
): Promise<EntraCheckView> {
  const instance = await ctx.requireInstance(input.id);
  const authority = await checkAuthorityFor(ctx, instance);
  const base = {
    authority,
    tenant: input.tenant.trim(),
    clientId: input.clientId.trim(),
    checkedAt: ctx.now().toISOString(),
    roles: [] as string[],
    missingRoles: [] as string[],
  };
  const secret = await keychain(ctx, () => readEntraSecret(ctx.secrets.store, input.id));
  if (!secret) {
    return {
      ...base,
      ok: false,
      problem: 'invalid_input',
      field: 'clientSecret',
      message: 'Client secret: enter it and save it first; the check uses the stored one.',
    };
  }
  const result = await checkEntraApp(
    { tenant: input.tenant, clientId: input.clientId, clientSecret: secret },
    { authority },
  );
  ctx.logger.info('Entra app checked', {
    instanceId: input.id,
    ok: result.ok,
    ...(result.ok ? {} : { problem: result.problem }),
  });
  if (result.ok)
    return { ...base, ok: true, problem: null, field: null, message: result.message, roles: result.roles };
  return {
    ...base,
    ok: false,
    problem: result.problem,
    field: result.field,
    message: result.message,
    roles: result.roles ?? [],
    missingRoles: result.missingRoles ?? [],
  };
}

/** A keychain that refuses (locked, no Secret Service) is the user's to fix: say so instead of `internal`. */
async function keychain<T>(ctx: AppContext, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof AppError) throw error;
    ctx.logger.warn('Keychain refused', { error: error instanceof Error ? error.name : 'unknown' });
    throw new AppError(
      'keychain',
      ctx.secrets.available
        ? 'The system keychain refused to store or read the Entra client secret: unlock it and try again.'
        : 'The Entra client secret could not be kept (there is no system keychain in this run).',
    );
  }
}
