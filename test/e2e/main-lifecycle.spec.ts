// The harness loads a fresh copy of the REAL built main for each test, all in one process
// (harness/load-main.ts). A main that has quit must leave nothing listening on the process's signals:
// each copy's signal-exit adds a listener to every signal, and past ten Node prints a leak warning for
// each signal on every test after it, which buries any warning that matters.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { loadMain } from './harness/load-main';

test('a main that has quit leaves no listener on the process signals', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'spokesmith-e2e-lifecycle-'));
  const before = process.listenerCount('SIGTERM');
  try {
    for (let round = 0; round < 2; round++) {
      const main = await loadMain({
        userDataDir: dir,
        documentsDir: dir,
        rendererUrl: '',
        env: { SPOKESMITH_SECRET_STORE: 'memory' },
      });
      // The premise: a running main listens (signal-exit, through proper-lockfile). Should that ever stop,
      // the harness's undo in load-main.ts has nothing left to do and can go with this test.
      expect(process.listenerCount('SIGTERM')).toBeGreaterThan(before);
      await main.quit();
      expect(process.listenerCount('SIGTERM')).toBe(before);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
