// The storage layer's refusals, each naming the file and the reason in plain words. One base class so a
// front end can print them as expected failures (never "unexpected error" with a stack).
import type { FileProblem } from './json-file';

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
