// Issue 9 finding 8: a file beyond MAX_FILE_BYTES is refused with its name and size, never read, and left
// as it is. Kept apart from the 130,000-instance test in large-workspace.test.ts, which is too slow to run
// for every mutant (vitest.mutation.config.ts), while this one states a rule of the storage code.
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/workspace';
import { MAX_FILE_BYTES } from '../../../src/main/storage/json-file';
import { runCli } from '../cli/harness';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-size-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a file larger than Spokesmith reads', () => {
  it('is refused with its name and size, and left as it is', async () => {
    const file = join(dir, 'instances.json');
    await writeFile(file, '');
    await truncate(file, MAX_FILE_BYTES + 2 ** 20); // Sparse: no 65 MB actually written.
    const ws = await openWorkspace(dir);
    expect(ws.problems).toHaveLength(1);
    expect(ws.problems[0]!.message).toBe(
      'instances.json is 65.0 MB, more than the 64.0 MB Spokesmith reads from one file; it was not read.',
    );
    const listed = await runCli(['instances', 'list', '--workspace', dir]);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain(`instances.json is 65.0 MB`);
    expect(listed.stderr).toContain(file);
  });
});
