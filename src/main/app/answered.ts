// Whether an instance answered, recorded wherever main talks to one (plan, apply, discover, fleet runs)
// into the offline queue's network state: the header shows an instance as unreachable the moment main
// knows it, not only after the queue's next probe, and as answering again as soon as anything reaches it.
import type { ServiceNowErrorCode } from '../../shared/servicenow/errors';
import { failureOf, isUnreachableCode } from '../operations';
import type { AppDeps } from './deps';

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
  const failure = failureOf(error);
  if (!failure) return;
  if (isUnreachableCode(failure.code)) reportUnreachable(deps, instanceId, failure.code, failure.message);
  else reportAnswered(deps, instanceId);
}
