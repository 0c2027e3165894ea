// The storage layer's refusals, each naming the file and the reason in plain words. One base class so a
// front end can print them as expected failures (never "unexpected error" with a stack).

/** A file that cannot be used, as the readers report it (json-file.ts) and FileProblemError carries it. */
export interface FileProblem {
  file: string;
  reason: 'corrupt' | 'unknown_version' | 'invalid' | 'wrong_kind';
  message: string;
  /** Where the unusable file was moved to; null when it was left in place (every workspace file). */
  movedTo: string | null;
}

export class StorageError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/**
 * A file this version cannot use (corrupt, invalid, from a newer Spokesmith). It is left in place and
 * never written over: it may be a teammate's newer data (issue 9 finding 7).
 */
export class FileProblemError extends StorageError {
  constructor(readonly problem: FileProblem) {
    super(
      problem.file,
      `${problem.message} Spokesmith left ${problem.file} as it is and will not write over it: ` +
        (problem.reason === 'unknown_version'
          ? 'use the Spokesmith version that wrote it, or restore an older copy (e.g. from git).'
          : 'fix it or restore it (e.g. from git), then try again.'),
    );
    this.name = 'FileProblemError';
  }
}
