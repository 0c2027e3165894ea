// Is the instance answering? One cheap authenticated GET. A hibernating instance, a network failure or a
// timeout means "not reachable" (wait and try again); any other answer, even a refusal, means the
// instance is there and an apply would get a real answer, so it should run (and fail loudly) now.
// Which failures mean "not reachable" is one rule, in src/main/operations/rules.ts.
import { TABLES } from '../../shared/servicenow/spoke';
import type { ServiceNowErrorCode } from '../../shared/servicenow/errors';
import { unreachableFailure } from '../operations';
import type { ServiceNowClient } from '../servicenow';

export type Reachability =
  { reachable: true } | { reachable: false; code: ServiceNowErrorCode | 'offline'; message: string };

export async function probeInstance(client: ServiceNowClient): Promise<Reachability> {
  try {
    await client.list(TABLES.property, { limit: 1, fields: ['sys_id'] });
    return { reachable: true };
  } catch (error) {
    const failure = unreachableFailure(error);
    return failure ? { reachable: false, code: failure.code, message: failure.message } : { reachable: true };
  }
}

/** Exponential backoff with jitter, capped: attempt 0 → ~initial, doubling up to max. */
export function backoffDelay(
  attempt: number,
  options: { initialMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt));
  // ±20 % so many queued instances coming back together do not probe in lock-step.
  return Math.round(base * (0.8 + 0.4 * random()));
}
