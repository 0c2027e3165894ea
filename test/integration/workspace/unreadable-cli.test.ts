// Issue 9 finding 7 through the CLI: an instances.json this version cannot read is named with exit 1,
// never shown as "No saved instances yet" with exit 0, and `instances add` does not write over it.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/harness';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-unreadable-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const NEWER = JSON.stringify({
  kind: 'spokesmith.instances',
  version: 3,
  data: { instances: [{ id: 'acme', name: 'ACME', teammateField: true }] },
});

describe.each([
  ['corrupt', '{"kind":"spokesmith.instances","version":2,"data":{"instan', /not valid JSON/],
  ['from a newer Spokesmith', NEWER, /version 3; .*written by a newer Spokesmith/],
])('an instances.json that is %s', (_what, content, problem) => {
  it('is named with exit 1 by `instances list`, and left as it is', async () => {
    const file = join(dir, 'instances.json');
    await writeFile(file, content);
    const listed = await runCli(['instances', 'list', '--workspace', dir]);
    expect(listed.code).toBe(1);
    expect(listed.stdout).not.toContain('No saved instances yet');
    expect(listed.stderr).toMatch(problem);
    expect(listed.stderr).toContain(`left ${file} as it is`);
    expect(listed.stderr).not.toContain('unexpected error');

    const added = await runCli(
      ['instances', 'add', 'Other', '--url', 'https://other.service-now.com', '--user', 'admin'],
      { env: { SPOKESMITH_WORKSPACE: dir, SN_PASSWORD: 'unused', SPOKESMITH_SECRET_STORE: 'memory' } },
    );
    expect(added.code).toBe(1);
    expect(added.stderr).toContain(`left ${file} as it is`);
    expect(await readFile(file, 'utf8')).toBe(content);
    expect((await readdir(dir)).filter((f) => f.endsWith('.bad'))).toEqual([]);
  });
});
