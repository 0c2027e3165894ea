import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_STATE,
  clampToDisplays,
  loadWindowState,
  saveWindowState,
} from '../../../src/main/electron/window-state';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const external = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('window state', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'spokesmith-winstate-'))));
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('keeps a position a display can show', () => {
    const state = { x: 1600, y: 100, width: 1200, height: 800, maximized: false };
    expect(clampToDisplays(state, [laptop, external])).toEqual(state);
  });

  it('drops the position when its display is gone, and shrinks to the largest display', () => {
    const onUnplugged = { x: 1600, y: 100, width: 2400, height: 1300, maximized: true };
    expect(clampToDisplays(onUnplugged, [laptop])).toEqual({ width: 1440, height: 900, maximized: true });
  });

  it('pulls a title bar above the top edge back onto the display, and respects the minimum size', () => {
    const above = { x: 100, y: -50, width: 300, height: 200, maximized: false };
    expect(clampToDisplays(above, [laptop], { width: 900, height: 600 })).toEqual({
      x: 100,
      y: 0,
      width: 900,
      height: 600,
      maximized: false,
    });
  });

  it('round-trips through a versioned file and falls back to defaults on a bad one', async () => {
    const file = join(dir, 'window-state.json');
    expect(await loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    await saveWindowState(file, { x: 5, y: 6, width: 1000, height: 700, maximized: false });
    expect(await loadWindowState(file)).toEqual({ x: 5, y: 6, width: 1000, height: 700, maximized: false });
    await writeFile(file, '{ not json');
    expect(await loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
  });
});
