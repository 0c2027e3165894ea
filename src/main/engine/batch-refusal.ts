// Whether an instance takes the Batch API, remembered per client for the run: an instance that refused
// it once is not asked again (each refused batch costs a round trip), and the same calls go one by one.
import { ServiceNowError } from '../servicenow';
import type { EngineClient } from './client';

/**
 * Statuses with which an instance says "no Batch API here" (docs/servicenow.md §7): 400/404/405 where it
 * is missing or restricted, 403 where an ACL guards it. The items of a refused batch never ran.
 */
const BATCH_REFUSED = new Set([400, 403, 404, 405]);

const refusing = new WeakSet<EngineClient>();

/** The batch envelope itself was refused (not one of its items): nothing in it ran. */
export function isBatchRefusal(error: unknown): error is ServiceNowError {
  return (
    error instanceof ServiceNowError &&
    !error.failure.ambiguous &&
    BATCH_REFUSED.has(error.failure.status ?? 0)
  );
}

export function batchRefused(client: EngineClient): boolean {
  return refusing.has(client);
}

export function rememberBatchRefused(client: EngineClient): void {
  refusing.add(client);
}
