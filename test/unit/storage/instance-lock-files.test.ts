// The instance lock's file names and holder-file limits, which other processes rely on: every Spokesmith
// version running at once (and a person clearing a lock by hand, as the messages tell them) must find the
// lock folder and its holder file under the same names, and read the same holder fields.
//
// The module is imported inside the test, not at the top: its constants are then covered by this test in
// the mutation run, which otherwise sees them as covered only by the CLI tests that load it lazily
// (stryker.config.mjs, ignoreStatic).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';

let dir = '';
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'spokesmith-lock-files-')), 'acme-dev');
  await mkdir(dir);
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

it('keeps the lock and its holder under fixed names, and reads holder fields up to their limits', async () => {
  const lock = await import('../../../src/main/storage/instance-lock');
  expect(lock.instanceLockPath(dir)).toBe(join(dir, 'instance.lock'));
  expect(lock.instanceLockHolderPath(dir)).toBe(join(dir, 'instance.lock.holder.json'));

  const longest = { pid: 1, host: 'h'.repeat(255), startedAt: 't'.repeat(64), what: 'w'.repeat(200) };
  await writeFile(join(dir, 'instance.lock.holder.json'), JSON.stringify(longest));
  expect(await lock.readLockHolder(dir)).toEqual({ holder: longest, problem: null });
  const short = { pid: 2, host: 'h', startedAt: '', what: 'apply' };
  await writeFile(join(dir, 'instance.lock.holder.json'), JSON.stringify(short));
  expect((await lock.readLockHolder(dir)).holder).toEqual(short);
  for (const tooLong of [
    { ...longest, host: 'h'.repeat(256) },
    { ...longest, startedAt: 't'.repeat(65) },
    { ...longest, what: 'w'.repeat(201) },
    { ...longest, pid: 1.5 },
  ]) {
    await writeFile(join(dir, 'instance.lock.holder.json'), JSON.stringify(tooLong));
    expect((await lock.readLockHolder(dir)).holder).toBeNull();
  }
});
