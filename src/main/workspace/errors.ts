// One error type for refused workspace input, with every problem in plain words (path: message).
import type { $ZodType } from 'zod/v4/core';
import { safeParse } from 'zod/mini';

export class WorkspaceInputError extends Error {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
    this.name = 'WorkspaceInputError';
  }
}

/**
 * A save refused because another process changed what it was based on since it was read (an optimistic
 * check made under the file's lock: templates, drafts, instance entries). Nothing was written; retrying
 * the same save would be refused again, so the person has to look at the other version first.
 */
export class WorkspaceConflictError extends WorkspaceInputError {
  constructor(message: string) {
    super(message);
    this.name = 'WorkspaceConflictError';
  }
}

export function parseInput<T>(schema: $ZodType<T>, value: unknown, what: string): T {
  const result = safeParse(schema, value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : what}: ${i.message}`);
  throw new WorkspaceInputError(`${what} is not valid: ${issues.join('; ')}`, issues);
}
