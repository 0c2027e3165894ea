// Imports must never carry secrets into the workspace (which may be committed to git). A column or key
// whose name looks like a secret is refused outright, with a message saying where secrets belong.

const SECRET_NAME =
  /pass(word|wd|phrase)?$|^pwd$|secret|token|api[_-]?key|private[_-]?key|authori[sz]ation|bearer|cookie/i;

/** Names about a secret that never hold one: its expiry date (the Entra app's `secretExpires`, issue 10). */
const SECRET_DATE = /(expires?|expiry)(_?(on|at|date))?$/i;

export function looksLikeSecret(name: string): boolean {
  const normalized = name.trim().replace(/[\s.-]+/g, '_');
  return SECRET_NAME.test(normalized) && !SECRET_DATE.test(normalized);
}

export function secretRefusal(name: string, where: string): string {
  return (
    `${where} "${name}" looks like a secret. Spokesmith never imports secrets into the workspace: ` +
    'remove it and enter passwords and client secrets in Spokesmith, which keeps them in the OS keychain.'
  );
}
