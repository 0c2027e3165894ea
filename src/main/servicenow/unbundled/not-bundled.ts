/**
 * Thrown by the stand-ins in this folder if got ever reaches an option Spokesmith does not use: a change in
 * how the client calls got, or a got upgrade, then fails loudly instead of misbehaving.
 */
export function notBundled(pkg: string): never {
  throw new Error(
    `got needed ${pkg}, which is left out of Spokesmith's build (see electron.vite.config.ts): ` +
      'an option of got that Spokesmith does not use was reached',
  );
}
