// Builds the app once when out/ is missing (npm test builds first; a bare `npx playwright test` may not).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { OUT_MAIN_ENTRY, OUT_PRELOAD, OUT_RENDERER, ROOT } from './paths';

export default function globalSetup(): void {
  if ([OUT_MAIN_ENTRY, OUT_PRELOAD, OUT_RENDERER].every((p) => existsSync(p))) return;
  const result = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('electron-vite build failed: the browser tests need out/.');
}
