// The rules every front end shares, each in one place: which failures mean "the instance is not there
// right now", how old a snapshot is, and how many instances run at once when nobody says.
import type { Snapshot } from '../../shared/domain/snapshot';
import type { ServiceNowErrorCode, ServiceNowFailure } from '../../shared/servicenow/errors';
import { failureOf } from './errors';

/**
 * Failures that mean "not there right now" (offline, hibernating, timing out): worth queueing, or planning
 * offline from the last snapshot. Any other answer, even a refusal, is a real answer from the instance.
 */
export const UNREACHABLE_CODES: readonly ServiceNowErrorCode[] = ['hibernating', 'network', 'timeout'];

export function isUnreachableCode(code: string | null | undefined): code is ServiceNowErrorCode {
  return code !== null && code !== undefined && (UNREACHABLE_CODES as readonly string[]).includes(code);
}

/** The failure when `error` says the instance is not there right now; null for any other error. */
export function unreachableFailure(error: unknown): ServiceNowFailure | null {
  const failure = failureOf(error);
  return failure && isUnreachableCode(failure.code) ? failure : null;
}

/** Whole seconds since the snapshot was discovered (never negative: clocks of two machines differ). */
export function snapshotAgeSeconds(snapshot: Pick<Snapshot, 'discoveredAt'>, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - Date.parse(snapshot.discoveredAt)) / 1000));
}

/** Instances worked on at the same time (apply, plan, drift, queue) when the caller does not say. */
export const DEFAULT_CONCURRENCY = 8;
