// Redaction applied to every log line before it reaches a sink (docs/reliability.md §2.5 "central redaction").
// Two independent nets: keys that name a secret are masked whatever their value, and any value that was
// registered as a secret is masked wherever it appears, including inside longer strings (URLs, messages).

export const REDACTED = '[redacted]';

// Matched against the key name, case-insensitively (`clientSecret`, `access_token`, `set-cookie`, …).
const SECRET_KEY = /pass(word|wd|phrase)?|secret|token|authori[sz]ation|cookie|jsessionid|api[-_]?key/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A set of secret values; masking is longest-first so a secret that contains another is masked whole. */
export class SecretSet {
  private readonly values = new Set<string>();

  add(value: string | undefined | null): void {
    if (value) this.values.add(value);
  }

  get size(): number {
    return this.values.size;
  }

  mask(text: string): string {
    if (this.values.size === 0) return text;
    let out = text;
    for (const secret of [...this.values].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }
}

/** Deep copy of `value` with secret keys masked and registered secrets masked in every string. */
export function redact(value: unknown, secrets: SecretSet, depth = 0): unknown {
  if (typeof value === 'string') return secrets.mask(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redact(item, secrets, depth + 1));
  if (value instanceof Error) {
    // Only the name and message: an error's other properties (got's `options`) may hold credentials.
    return { name: value.name, message: secrets.mask(value.message) };
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      isSecretKey(key) && item !== undefined && item !== null ? REDACTED : redact(item, secrets, depth + 1);
  }
  return out;
}
