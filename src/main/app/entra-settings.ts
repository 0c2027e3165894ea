// The "Entra authority" setting (issue 10 §4): where the Entra app check asks for a token. Machine-local
// (settings.ts), because it describes this computer's way to Entra (a sovereign cloud, a test stand-in),
// not the customer's desired state. What is written into the registries always names
// login.microsoftonline.com, whatever this says (src/shared/domain/registry-fields.ts).
import { ENTRA_LOGIN_AUTHORITY } from '../../shared/domain/entra';
import type { SettingsView } from '../../shared/ipc/contract';
import { normalizeAuthority } from '../entra/check';
import { AppError } from '../ipc/errors';
import type { AppContext } from './context';
import { loadSettings, saveSettings } from './settings';

/** The settings' authority, or the default; a stored one that no longer passes the rule is not used. */
export async function entraAuthority(ctx: Pick<AppContext, 'userDataDir'>): Promise<string> {
  const { settings } = await loadSettings(ctx.userDataDir);
  const stored = settings.entraAuthority ? normalizeAuthority(settings.entraAuthority) : null;
  return stored ?? ENTRA_LOGIN_AUTHORITY;
}

export async function settingsView(ctx: Pick<AppContext, 'userDataDir'>): Promise<SettingsView> {
  return { entraAuthority: await entraAuthority(ctx), defaultEntraAuthority: ENTRA_LOGIN_AUTHORITY };
}

export async function saveAppSettings(
  ctx: Pick<AppContext, 'userDataDir' | 'logger'>,
  input: { entraAuthority: string | null },
): Promise<SettingsView> {
  const given = input.entraAuthority?.trim() ?? '';
  let authority: string | null = null;
  if (given !== '') {
    authority = normalizeAuthority(given);
    if (!authority) {
      throw new AppError(
        'invalid_input',
        `Entra authority "${given}" is not usable: give an https URL such as ${ENTRA_LOGIN_AUTHORITY} (plain http only on this computer, e.g. http://127.0.0.1:8080/entra).`,
        { field: 'entraAuthority' },
      );
    }
  }
  // The default is stored as "none", so a later change of the default reaches this computer too.
  await saveSettings(ctx.userDataDir, {
    entraAuthority: authority === ENTRA_LOGIN_AUTHORITY ? null : authority,
  });
  ctx.logger.info('Entra authority set', { authority: authority ?? ENTRA_LOGIN_AUTHORITY });
  return settingsView(ctx);
}
