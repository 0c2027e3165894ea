// Issue 9, finding 9, on the REAL built main (through the Electron stand-in): the development switches
// change nothing unless the run was started for development (SPOKESMITH_DEV=1). The stand-in reports
// itself unpackaged, so this is the `npm start` case; a packaged build ignores them even with the flag
// (unit-tested in test/unit/security/dev-switches.test.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { APP_ENTRY_URL } from '../../src/main/electron/policy';
import { loadMain } from './harness/load-main';

async function startedWith(userDataDir: string, env: Record<string, string>) {
  const main = await loadMain({ userDataDir, documentsDir: userDataDir, rendererUrl: '', env });
  try {
    const window = main.recorder.windows[0];
    return {
      url: main.url,
      userData: main.electron.app.getPath('userData'),
      menu: JSON.stringify(main.recorder.menuTemplate),
      devTools: (window?.options.webPreferences as { devTools?: boolean } | undefined)?.devTools,
    };
  } finally {
    await main.quit();
  }
}

test('the built main honours the development switches only when started with SPOKESMITH_DEV=1', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'spokesmith-e2e-dev-'));
  const elsewhere = join(dir, 'elsewhere');
  const switches = {
    SPOKESMITH_RENDERER_URL: 'http://127.0.0.1:9/',
    SPOKESMITH_USER_DATA: elsewhere,
    SPOKESMITH_SECRET_STORE: 'memory',
  };
  try {
    const plain = await startedWith(dir, switches);
    expect(plain.url).toBe(APP_ENTRY_URL);
    expect(plain.userData).toBe(dir);
    expect(plain.menu).not.toContain('toggleDevTools');
    expect(plain.devTools).toBe(false);

    const dev = await startedWith(dir, { ...switches, SPOKESMITH_DEV: '1' });
    expect(dev.url).toBe('http://127.0.0.1:9/');
    expect(dev.userData).toBe(elsewhere);
    expect(dev.menu).toContain('toggleDevTools');
    expect(dev.devTools).toBe(true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
