// Remembers the window's size and position between runs (a versioned JSON file in userData) and puts it
// back only where a display can show it: a monitor that was unplugged must not leave the window off-screen.
import { z } from 'zod';
import { readVersioned, writeVersioned, type FileSpec } from '../storage/json-file';

export const WindowStateSchema = z
  .object({
    x: z.number().int().optional(),
    y: z.number().int().optional(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    maximized: z.boolean(),
  })
  .strict();
export type WindowState = z.infer<typeof WindowStateSchema>;

export const windowStateSpec: FileSpec<WindowState> = {
  kind: 'spokesmith.window-state',
  version: 1,
  schema: WindowStateSchema,
};

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };

/** How much of the window (px each way) must lie on a display for the saved position to be kept. */
const MIN_VISIBLE = 100;

export function clampToDisplays(
  state: WindowState,
  workAreas: readonly Rect[],
  min: { width: number; height: number } = { width: 0, height: 0 },
): WindowState {
  if (workAreas.length === 0) return state;
  const largest = workAreas.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  const width = Math.max(min.width, Math.min(state.width, largest.width));
  const height = Math.max(min.height, Math.min(state.height, largest.height));
  const sized: WindowState = { ...state, width, height };
  if (state.x === undefined || state.y === undefined) return withoutPosition(sized);
  const rect = { x: state.x, y: state.y, width, height };
  const visible = workAreas.find(
    (area) => overlap(rect, area) >= MIN_VISIBLE * Math.min(MIN_VISIBLE, height),
  );
  if (!visible) return withoutPosition(sized);
  // Keep the title bar reachable: its top edge inside the display that shows the window.
  const y = Math.min(Math.max(rect.y, visible.y), visible.y + visible.height - MIN_VISIBLE);
  return { ...sized, x: rect.x, y };
}

function withoutPosition(state: WindowState): WindowState {
  const { x: _x, y: _y, ...rest } = state;
  return rest;
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

export async function loadWindowState(file: string): Promise<WindowState> {
  try {
    const result = await readVersioned(file, windowStateSpec);
    return result.ok ? result.value : DEFAULT_WINDOW_STATE;
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
}

export function saveWindowState(file: string, state: WindowState): Promise<void> {
  return writeVersioned(file, windowStateSpec, state);
}

/** The part of a BrowserWindow the tracker needs. */
export interface TrackableWindow {
  on(event: 'resize' | 'move' | 'close', listener: () => void): unknown;
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isDestroyed(): boolean;
}

/** Saves the bounds shortly after the user stops moving/resizing, and once more on close. */
export function trackWindowState(
  window: TrackableWindow,
  file: string,
  onError: (error: unknown) => void,
  delayMs = 500,
): () => Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: WindowState | undefined;
  const capture = () => {
    if (window.isDestroyed()) return;
    const b = window.getNormalBounds();
    last = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: window.isMaximized() };
  };
  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (last) await saveWindowState(file, last).catch(onError);
  };
  const schedule = () => {
    capture();
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void flush(), delayMs);
  };
  window.on('resize', schedule);
  window.on('move', schedule);
  window.on('close', () => {
    capture();
    void flush();
  });
  return flush;
}
