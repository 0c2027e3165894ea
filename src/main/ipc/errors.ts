// Failures a service raises on purpose, with a code from the IPC contract and a message safe to show.
// Anything else that escapes a service is a bug: the router answers `internal` and logs the details.
import type { IpcErrorCode } from '../../shared/ipc/contract';

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

/** The ServiceNow failure an error carries (one definition, in the operations layer). */
export { failureOf as serviceNowFailureOf } from '../operations/errors';
