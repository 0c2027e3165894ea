// Issue 9 finding 8: instances.json with 130,000 entries made every listing die with "Maximum call stack
// size exceeded" (a Math.max(...cells) spread in the CLI's table), naming no file. Such a workspace is
// valid, so it loads and lists. A file beyond MAX_FILE_BYTES: test/integration/workspace/file-size-limit.test.ts.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/workspace';
import { runCli } from '../cli/harness';

const COUNT = 130_000;
let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-large-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeLargeList(): Promise<void> {
  const instances = Array.from({ length: COUNT }, (_, i) => ({
    authMethod: 'basic',
    createdAt: '2026-01-01T00:00:00.000Z',
    id: `customer-${i}`,
    isDemo: false,
    name: `Customer ${String(i).padStart(6, '0')}`,
    updatedAt: '2026-01-01T00:00:00.000Z',
    url: `https://customer-${i}.service-now.com`,
    username: 'admin',
  }));
  const data = { instances: instances.sort((a, b) => a.id.localeCompare(b.id)) };
  await writeFile(
    join(dir, 'instances.json'),
    JSON.stringify({ kind: 'spokesmith.instances', version: 2, data }),
  );
}

describe('a workspace of 130,000 instances', () => {
  it('opens, lists through the CLI, and takes one more instance', { timeout: 240_000 }, async () => {
    await writeLargeList();
    const listed = await runCli(['instances', 'list', '--workspace', dir]);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('Customer 129999');
    expect(listed.stdout.trimEnd().split('\n')).toHaveLength(COUNT + 2); // header, rule, one per instance

    const ws = await openWorkspace(dir);
    expect(ws.problems).toEqual([]);
    await ws.instances.save({
      name: 'One more',
      url: 'https://one-more.service-now.com',
      authMethod: 'basic',
      username: 'admin',
    });
    const stored = JSON.parse(await readFile(join(dir, 'instances.json'), 'utf8')) as {
      data: { instances: unknown[] };
    };
    expect(stored.data.instances).toHaveLength(COUNT + 1);
  });
});
