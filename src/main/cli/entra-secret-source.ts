// Where the CLI gets the Entra app's client secret (issue 10 item 3), in this order: ENTRA_CLIENT_SECRET,
// the OS keychain (entered once before), a hidden prompt on a terminal. A secret given here is stored in
// the keychain at once, so the next run, a queued apply and the app find it without asking again — unless
// Entra refuses it in the same run: then the keychain is put back as it was (`settle`), so a mistyped
// secret is asked for again rather than kept and sent on every later run. There
// is no `--entra-client-secret` option on purpose: a command line is visible to other users of the
// machine (ps, /proc/<pid>/cmdline) and lands in shell history. The secret is never printed.
import type { EntraApp } from '../../shared/domain/desired-state';
import type { EntraCheckSummary } from '../../shared/domain/plan';
import { deleteEntraSecret, readEntraSecret, saveEntraSecret } from '../secrets/entra-secret';
import type { SecretStore } from '../secrets/secret-store';
import type { CommandContext } from './context';
import { usageError } from './exit-codes';
import type { InstanceTarget } from './instance-target';
import { askHidden, canPrompt } from './prompt';

export const ENTRA_SECRET_ENV = 'ENTRA_CLIENT_SECRET';

export type EntraSecretSource = 'env' | 'keychain' | 'prompt';

/** Said when `settle` put the keychain back. */
export const REFUSED_SECRET_NOTE =
  'note: Entra refused the client secret given in this run, so it was not kept: the keychain holds what it held before.';

export interface ProvidedEntraSecret {
  store: SecretStore;
  source: EntraSecretSource;
  /**
   * Given the run's Entra check: when the check failed on the client secret and that secret was given in
   * this run (ENTRA_CLIENT_SECRET or the prompt), puts back what the keychain held before (nothing, or the
   * earlier secret) and returns true. A secret that came from the keychain stays: the refusal says how to
   * replace it.
   */
  settle(check: EntraCheckSummary | undefined): Promise<boolean>;
}

/**
 * Makes sure the keychain holds the instance's Entra client secret (the operations read it from there at
 * the moment they send it) and returns that keychain with where the secret came from. Exit 2, naming
 * ENTRA_CLIENT_SECRET, when there is none and no terminal to ask on, or when the one given is empty.
 */
export async function provideEntraSecret(
  ctx: CommandContext,
  target: InstanceTarget,
  entra: EntraApp,
): Promise<ProvidedEntraSecret> {
  const opened = await ctx.secrets();
  const { store } = opened;
  const fromEnv = ctx.io.env[ENTRA_SECRET_ENV];
  // Read first even when the variable is set: it is what `settle` puts back if Entra refuses the new one.
  const previous = await readEntraSecret(store, target.id);
  let given: string;
  let source: EntraSecretSource;
  if (fromEnv !== undefined) {
    if (!fromEnv.trim())
      throw usageError(
        `${ENTRA_SECRET_ENV} is set but empty: give the Entra app's client secret (its Value, not its ID). Nothing was sent.`,
      );
    given = fromEnv;
    source = 'env';
  } else if (previous) {
    return { store, source: 'keychain', settle: () => Promise.resolve(false) };
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
  const settle = async (check: EntraCheckSummary | undefined): Promise<boolean> => {
    if (check?.status !== 'failed' || check.field !== 'clientSecret') return false;
    if (previous === null) await deleteEntraSecret(store, target.id);
    else await saveEntraSecret(store, target.id, previous);
    return true;
  };
  return { store, source, settle };
}
