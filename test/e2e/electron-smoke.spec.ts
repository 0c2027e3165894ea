// The real Electron app, launched by Playwright where an Electron binary exists (CI on GitHub runners).
// This machine has none: the test is skipped there and says so.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { ROOT } from './harness/paths';

/**
 * The binary the electron package installed, found the way its index.js does, but without requiring it:
 * electron 45's index.js tries to download a missing binary, which must never happen in a test.
 */
function electronBinary(): string | null {
  const pkg = join(ROOT, 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = override ? join(override, relative) : join(pkg, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();

test('the packaged-layout app starts in Electron and lists the demo instance', async () => {
  test.skip(!binary, 'skipped: no Electron binary on this machine');
  const userData = await mkdtemp(join(tmpdir(), 'spokesmith-electron-'));
  const app = await electron.launch({
    executablePath: binary!,
    args: [join(ROOT, 'out', 'main', 'index.js')],
    // SPOKESMITH_DEV: the switches count only in a development run (src/main/electron/dev-switches.ts).
    env: {
      ...process.env,
      SPOKESMITH_DEV: '1',
      SPOKESMITH_USER_DATA: userData,
      SPOKESMITH_SECRET_STORE: 'memory',
    },
  });
  try {
    const window = await app.firstWindow();
    await expect(window).toHaveTitle('Spokesmith');
    expect(window.url()).toBe('app://spokesmith/index.html');
    const list = await window.evaluate(async () => {
      const api = (
        globalThis as unknown as {
          api: { instancesList(): Promise<{ ok: boolean; value: { isDemo: boolean }[] }> };
        }
      ).api;
      return api.instancesList();
    });
    expect(list.ok).toBe(true);
    expect(list.value.some((i) => i.isDemo)).toBe(true);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    // Sandboxed, isolated renderer: no Node in the page.
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
      'undefined',
    );
  } finally {
    await app.close();
    await rm(userData, { recursive: true, force: true });
  }
});
