/** The envelope every IPC handler and engine entry point answers with; only data crosses process lines. */
export type Result<T, C extends string = string> =
  { ok: true; value: T } | { ok: false; code: C; message: string; details?: unknown };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <C extends string>(code: C, message: string, details?: unknown): Result<never, C> => ({
  ok: false,
  code,
  message,
  ...(details === undefined ? {} : { details }),
});
