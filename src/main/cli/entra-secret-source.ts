// Where the CLI gets the Entra app's client secret (issue 10 item 3), in this order: ENTRA_CLIENT_SECRET,
// the OS keychain (entered once before), a hidden prompt on a terminal. A secret given here is stored in
// the keychain at once, so the next run, a queued apply and the app find it without asking again. There
// is no `--entra-client-secret` option on purpose: a command line is visible to other users of the
// machine (ps, /proc/<pid>/cmdline) and lands in shell history. The secret is never printed.
import type { EntraApp } from '../../shared/domain/desired-state';
import { readEntraSecret, saveEntraSecret } from '../secrets/entra-secret';
import type { SecretStore } from '../secrets/secret-store';
import type { CommandContext } from './context';
import { usageError } from './exit-codes';
import type { InstanceTarget } from './instance-target';
import { askHidden, canPrompt } from './prompt';

export const ENTRA_SECRET_ENV = 'ENTRA_CLIENT_SECRET';

export type EntraSecretSource = 'env' | 'keychain' | 'prompt';

/**
 * Makes sure the keychain holds the instance's Entra client secret (the operations read it from there at
 * the moment they send it) and returns that keychain with where the secret came from. Exit 2, naming
 * ENTRA_CLIENT_SECRET, when there is none and no terminal to ask on, or when the one given is empty.
 */
export async function provideEntraSecret(
  ctx: CommandContext,
  target: InstanceTarget,
  entra: EntraApp,
): Promise<{ store: SecretStore; source: EntraSecretSource }> {
  const opened = await ctx.secrets();
  const { store } = opened;
  const fromEnv = ctx.io.env[ENTRA_SECRET_ENV];
  let given: string | null = null;
  let source: EntraSecretSource;
  if (fromEnv !== undefined) {
    if (!fromEnv.trim())
      throw usageError(
        `${ENTRA_SECRET_ENV} is set but empty: give the Entra app's client secret (its Value, not its ID). Nothing was sent.`,
      );
    given = fromEnv;
    source = 'env';
  } else if (await readEntraSecret(store, target.id)) {
    return { store, source: 'keychain' };
  } else if (canPrompt(ctx.io)) {
    given = await askHidden(
      ctx.io,
      `Client secret of the Entra app ${entra.clientId} for ${target.label} (hidden; kept in the keychain): `,
    );
    if (!given.trim())
      throw usageError(
        "The Entra client secret is empty: paste the secret's Value from Entra (Certificates & secrets). Nothing was sent.",
      );
    source = 'prompt';
  } else {
    throw usageError(
      `No Entra client secret for ${target.label}: set ${ENTRA_SECRET_ENV}, or run on a terminal to be asked ` +
        '(it is then kept in the OS keychain). It is deliberately not a command-line option. Nothing was sent.',
    );
  }
  await saveEntraSecret(store, target.id, given);
  if (!opened.available)
    ctx.err(ctx.style.dim(`note: the Entra client secret is kept for this run only. ${opened.message}`));
  return { store, source };
}
