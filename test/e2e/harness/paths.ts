// Where the built app lives: the harness always drives the build in out/, never the sources.
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const OUT_MAIN = join(ROOT, 'out', 'main');
export const OUT_MAIN_ENTRY = join(OUT_MAIN, 'index.js');
export const OUT_PRELOAD = join(ROOT, 'out', 'preload', 'index.cjs');
export const OUT_RENDERER = join(ROOT, 'out', 'renderer');
