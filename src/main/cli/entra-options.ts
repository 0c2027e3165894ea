// The Entra app on the command line (issue 10): `--entra-tenant`, `--entra-client-id` and
// `--entra-secret-expires` over the desired state's `entra` (config file or template), and the check's
// `--entra-authority` / `--no-entra-check`. Problems come back as lines naming the flag or field, so a
// command lists them with its other usage problems and sends nothing. The client secret is deliberately
// not a flag: a command line is visible to every user of the machine (see entra-secret-source.ts).
import { ENTRA_LOGIN_AUTHORITY } from '../../shared/domain/entra';
import { validateEntraApp, type DesiredState, type EntraApp } from '../../shared/domain/desired-state';
import { normalizeAuthority } from '../entra/check';
import type { EntraCheckRequest } from '../operations';

export interface EntraOptions {
  entraTenant?: string;
  entraClientId?: string;
  entraSecretExpires?: string;
  entraAuthority?: string;
  /** Commander's `--no-entra-check`: false when given, true (or absent) otherwise. */
  entraCheck?: boolean;
}

export interface ResolvedEntra {
  /** The desired state with the flags applied; absent when a problem was found. */
  desired?: DesiredState;
  entraCheck: EntraCheckRequest;
  /** Lines to print under "Nothing was sent", each starting with "  - ". */
  problems: string[];
}

const FLAG: Record<keyof EntraApp, keyof EntraOptions> = {
  tenant: 'entraTenant',
  clientId: 'entraClientId',
  secretExpires: 'entraSecretExpires',
};
const FLAG_NAME: Record<keyof EntraApp, string> = {
  tenant: '--entra-tenant',
  clientId: '--entra-client-id',
  secretExpires: '--entra-secret-expires',
};

export const AUTHORITY_PROBLEM = (given: string) =>
  `  - --entra-authority: "${given}" is not usable: give an https URL such as ${ENTRA_LOGIN_AUTHORITY} ` +
  '(plain http only for 127.0.0.1/localhost, e.g. the simulator), without user, query or fragment.';

/** Applies the flags to `desired` and validates the Entra app with `now` (an expiry in the past is refused). */
export function resolveEntra(desired: DesiredState, options: EntraOptions, now: Date): ResolvedEntra {
  const problems: string[] = [];
  const given = (Object.keys(FLAG) as Array<keyof EntraApp>).filter(
    (field) => options[FLAG[field]] !== undefined,
  );
  let next = desired;
  if (given.length) {
    const merged: Record<string, unknown> = { ...desired.entra };
    for (const field of given) merged[field] = options[FLAG[field]];
    const { entra, issues } = validateEntraApp(merged, now);
    for (const issue of issues) {
      const field = issue.field.replace(/^entra\./, '') as keyof EntraApp;
      const where = given.includes(field)
        ? FLAG_NAME[field]
        : desired.entra && field in desired.entra
          ? `${issue.field} (desired state)`
          : `${FLAG_NAME[field] ?? issue.field} (or ${issue.field} in the --config file)`;
      problems.push(`  - ${where}: ${issue.message}`);
    }
    if (entra) next = { ...desired, entra };
  }
  const check = resolveEntraCheck(options);
  problems.push(...check.problems);
  if (options.entraAuthority !== undefined && !given.length && !desired.entra)
    problems.push(
      '  - --entra-authority: there is no Entra app to check; give --entra-tenant and --entra-client-id ' +
        '(or "entra" in the --config file).',
    );
  return {
    ...(problems.length ? {} : { desired: next }),
    entraCheck: check.entraCheck,
    problems,
  };
}

/** Where the Entra app is checked (`--entra-authority`), or that it is not (`--no-entra-check`). */
export function resolveEntraCheck(options: Pick<EntraOptions, 'entraAuthority' | 'entraCheck'>): {
  entraCheck: EntraCheckRequest;
  problems: string[];
} {
  const problems: string[] = [];
  let authority = ENTRA_LOGIN_AUTHORITY;
  if (options.entraAuthority !== undefined) {
    const normalized = normalizeAuthority(options.entraAuthority);
    if (!normalized) problems.push(AUTHORITY_PROBLEM(options.entraAuthority));
    else authority = normalized;
    if (options.entraCheck === false)
      problems.push('  - --entra-authority and --no-entra-check: give one or the other, not both.');
  }
  return { entraCheck: options.entraCheck === false ? false : { authority }, problems };
}
