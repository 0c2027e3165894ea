// Whose lock an operation waits for (src/main/operations/lock.ts, withInstanceLock): a holder that is a
// process of this computer which has exited is waited for until its lock goes stale, then taken over; a
// holder that is alive, or on another computer (whose processes this one cannot see), is refused at once as
// busy. The lock folder and its holder file are written here as a process that held them would have left them.
import { spawnSync } from 'node:child_process';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { OperationError, withInstanceLock } from '../../../src/main/operations';
import { instanceLockHolderPath, instanceLockPath } from '../../../src/main/storage/instance-lock';
import { startHarness } from '../engine/harness';

const STALE_MS = 2_000;

/** A pid that was a process of this computer and has exited. */
function exitedPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

/**
 * The lock a holder left: its folder, refreshed `ageMs` ago, and its holder file. A takeover must wait
 * STALE_MS - ageMs for it to go stale; the test asserts what happens, not how long it took.
 */
async function leftLock(dir: string, holder: { pid: number; host: string }, ageMs: number) {
  await mkdir(instanceLockPath(dir), { recursive: true });
  const refreshed = new Date(Date.now() - ageMs);
  await utimes(instanceLockPath(dir), refreshed, refreshed);
  await writeFile(
    instanceLockHolderPath(dir),
    JSON.stringify({ ...holder, startedAt: refreshed.toISOString(), what: 'apply' }),
  );
}

describe('withInstanceLock', () => {
  it('waits for the lock of a process of this computer that has exited to go stale, then takes it over', async () => {
    const h = await startHarness('fresh');
    await leftLock(h.dir, { pid: exitedPid(), host: hostname() }, STALE_MS - 1_000);

    const ran = await withInstanceLock(h.dir, 'apply', async () => 'ran', { staleMs: STALE_MS, waitMs: 0 });

    expect(ran).toBe('ran');
  });

  it('refuses at once a holder on another computer, even one whose pid is free here', async () => {
    const h = await startHarness('fresh');
    await leftLock(h.dir, { pid: exitedPid(), host: 'build-agent-7' }, 0);
    let ran = false;

    const error = await withInstanceLock(h.dir, 'apply', async () => (ran = true), {
      staleMs: STALE_MS,
      waitMs: 0,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OperationError);
    expect(error).toMatchObject({ code: 'busy', details: { host: 'build-agent-7', what: 'apply' } });
    expect((error as Error).message).toContain('on host build-agent-7 (another computer)');
    expect(ran).toBe(false);
  });

  it('refuses at once a holder of this computer that is still running', async () => {
    const h = await startHarness('fresh');
    await leftLock(h.dir, { pid: process.ppid, host: hostname() }, 0);

    const error = await withInstanceLock(h.dir, 'apply', async () => 'ran', {
      staleMs: STALE_MS,
      waitMs: 0,
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'busy', details: { pid: process.ppid } });
  });
});
