// Whether an instance answered, recorded wherever main talks to one (plan, apply, discover, fleet runs)
// into the offline queue's network state: the header shows an instance as unreachable the moment main
// knows it, not only after the queue's next probe, and as answering again as soon as anything reaches it.
import type { ServiceNowErrorCode } from '../../shared/servicenow/errors';
import { serviceNowFailureOf } from '../ipc/errors';
import { UNREACHABLE } from './fleet-client';
import type { AppDeps } from './ports';

/** The instance answered (a refusal is an answer too). */
export function reportAnswered(deps: Pick<AppDeps, 'queue'>, instanceId: string): void {
  deps.queue.report(instanceId, { reachable: true });
}

/** The instance did not answer for this reason. */
export function reportUnreachable(
  deps: Pick<AppDeps, 'queue'>,
  instanceId: string,
  code: ServiceNowErrorCode,
  message: string,
): void {
  deps.queue.report(instanceId, { reachable: false, code, message });
}

/**
 * Records what a failed call says about the instance: unreachable for a network failure, a timeout or a
 * hibernating instance; answering for any other ServiceNow answer; nothing for errors of our own (no
 * credentials, busy…), which say nothing about the instance.
 */
export function reportFailure(deps: Pick<AppDeps, 'queue'>, instanceId: string, error: unknown): void {
  const failure = serviceNowFailureOf(error);
  if (!failure) return;
  if (UNREACHABLE.has(failure.code)) reportUnreachable(deps, instanceId, failure.code, failure.message);
  else reportAnswered(deps, instanceId);
}

/** One sentence for an apply that waits in the queue: who, why, and that it runs by itself. */
export function queuedMessage(name: string, code: string | null): string {
  const why =
    code === 'hibernating'
      ? 'is hibernating'
      : code === 'timeout'
        ? 'did not answer in time'
        : 'could not be reached';
  return `${name} ${why}: the apply is queued and runs when it answers.`;
}
