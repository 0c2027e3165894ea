// Workspace files may live in a git repository, so the same content must always serialize to the same
// bytes: object keys sorted, arrays kept in their (meaningful) order.
import { createHash } from 'node:crypto';

export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => sortKeysDeep(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeysDeep(v);
    }
    return out as T;
  }
  return value;
}

/** Deep equality of JSON data, used to skip writes (and timestamp bumps) when nothing changed. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeysDeep(a)) === JSON.stringify(sortKeysDeep(b));
}

/**
 * The identity of a stored value's content (not its key order): what an editor reads with the value and
 * sends back as `basedOn`, so a save can be refused when another process changed the value since. A
 * short hash is enough: it only has to tell two versions of one file's entry apart.
 */
export function revisionOf(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(sortKeysDeep(value)))
    .digest('hex')
    .slice(0, 16);
}
