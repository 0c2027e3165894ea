// Failures a service raises on purpose, with a code from the IPC contract and a message safe to show.
// Anything else that escapes a service is a bug: the router answers `internal` and logs the details.
import type { IpcErrorCode } from '../../shared/ipc/contract';
import { SERVICENOW_ERROR_CODES, type ServiceNowFailure } from '../../shared/servicenow/errors';

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: Exclude<IpcErrorCode, 'internal'>,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (message: string) => new AppError('not_found', message);
export const invalidInput = (message: string, details?: unknown) =>
  new AppError('invalid_input', message, details);

/**
 * The ServiceNow client throws `ServiceNowError` carrying `failure`. Recognised by shape rather than by
 * class so this boundary does not depend on the client module (and keeps working across bundles).
 */
export function serviceNowFailureOf(error: unknown): ServiceNowFailure | null {
  if (typeof error !== 'object' || error === null || !('failure' in error)) return null;
  const failure = (error as { failure: unknown }).failure;
  if (typeof failure !== 'object' || failure === null) return null;
  const { code, message } = failure as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return null;
  if (!(SERVICENOW_ERROR_CODES as readonly unknown[]).includes(code)) return null;
  return failure as ServiceNowFailure;
}
