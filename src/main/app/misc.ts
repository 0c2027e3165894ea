// The small channels: app info, token status, opening links.
import type { TokenStatus } from '../../shared/domain/apply';
import type { AppInfo } from '../../shared/ipc/contract';
import { isAllowedExternalUrl } from '../electron/policy';
import { AppError } from '../ipc/errors';
import { byId, instanceTokenStatus } from '../operations';
import type { AppContext } from './context';

export async function appInfo(ctx: AppContext): Promise<AppInfo> {
  return {
    version: ctx.version,
    keychain: { available: ctx.secrets.available, message: ctx.secrets.message },
    demoInstanceId: ctx.demo?.instanceId ?? null,
  };
}

export async function tokenStatus(ctx: AppContext, id: string): Promise<TokenStatus[]> {
  const instance = await ctx.requireInstance(id);
  return ctx.withClient(instance, (client) => instanceTokenStatus(ctx.workspace(), id, client));
}

/**
 * Opens a link in the system browser: https only, or the instance's own origin — which for the demo
 * instance is http on loopback (`shell.openExternal` with untrusted input can run commands: checklist item 15).
 */
export async function openLink(
  ctx: AppContext,
  input: { url: string; instanceId?: string },
): Promise<{ opened: boolean }> {
  let allowed = isAllowedExternalUrl(input.url);
  if (!allowed && input.instanceId) {
    const instance = byId(ctx.workspace(), input.instanceId);
    allowed = instance !== null && instance.isDemo && isLoopbackHttpOn(input.url, instance.url);
  }
  if (!allowed) throw new AppError('invalid_input', 'Only https links (or the demo instance) can be opened.');
  await ctx.openExternal(new URL(input.url).href);
  return { opened: true };
}

function isLoopbackHttpOn(url: string, instanceUrl: string): boolean {
  try {
    const u = new URL(url);
    const i = new URL(instanceUrl);
    const loopback = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/.test(u.hostname);
    return u.protocol === 'http:' && loopback && u.origin === i.origin && !u.username && !u.password;
  } catch {
    return false;
  }
}
