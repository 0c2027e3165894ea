// The one error type of the operations layer. Each front end turns it into its own answer: the app into
// its IPC AppError (src/main/ipc/errors.ts, same codes), the CLI into an exit code (cli/exit-codes.ts).
// Operations never import either: they say WHAT went wrong, the front end says it its way.
import { SERVICENOW_ERROR_CODES, type ServiceNowFailure } from '../../shared/servicenow/errors';

export type OperationErrorCode =
  /** No such instance (or apply record) in this workspace. */
  | 'not_found'
  /** The input is wrong; `details` name the fields. Nothing was sent. */
  | 'invalid_input'
  /** The instance cannot take this operation yet (discover first, resume first, spoke missing…). */
  | 'not_ready'
  /** Another operation (in this or another process) holds the instance; `details` names the holder. */
  | 'busy'
  /** Credentials are missing from the keychain, or cannot be stored there. */
  | 'keychain'
  /**
   * Another process changed what the save was based on since it was read (an instance entry): nothing
   * was written, the keychain included. Saving again means reading the other version first.
   */
  | 'conflict'
  /** The instance did not answer; the apply waits in the offline queue. */
  | 'queued';

export interface FieldProblem {
  path: string;
  message: string;
}

export class OperationError extends Error {
  override readonly name = 'OperationError';
  constructor(
    readonly code: OperationErrorCode,
    message: string,
    /** invalid_input: the fields (FieldProblem[] or the workspace's lines); busy: the holder; queued: the entry. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const fieldError = (field: string, message: string) =>
  new OperationError('invalid_input', message, [{ path: field, message }]);

/**
 * The plain-words failure inside an error thrown by the client or the engine, if it carries one.
 * Recognised by shape rather than by class, so it keeps working across bundles.
 */
export function failureOf(error: unknown): ServiceNowFailure | null {
  if (typeof error !== 'object' || error === null || !('failure' in error)) return null;
  const failure = (error as { failure: unknown }).failure;
  if (typeof failure !== 'object' || failure === null) return null;
  const { code, message } = failure as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return null;
  if (!(SERVICENOW_ERROR_CODES as readonly unknown[]).includes(code)) return null;
  return failure as ServiceNowFailure;
}
