// The many-instance progress display. On a terminal: one line per instance, redrawn in place. Without
// one (a pipe, CI): one JSON object per line and event, which scripts can follow.
import type { OutStream } from '../io';
import type { Style } from './style';

export type InstanceState = 'queued' | 'running' | 'succeeded' | 'failed' | 'not_ready' | 'skipped';

export interface InstanceProgress {
  instance: string;
  state: InstanceState;
  /** What it is doing now, in a few words (`discovering`, `writing 2/4`, `verifying`). */
  detail: string;
}

export interface ProgressDisplay {
  update(progress: InstanceProgress): void;
  /** Leaves the last frame on screen. */
  finish(): void;
}

export function createProgressDisplay(
  stream: OutStream,
  instances: string[],
  style: Style,
  live: boolean,
): ProgressDisplay {
  return live ? ttyDisplay(stream, instances, style) : jsonLinesDisplay(stream);
}

function jsonLinesDisplay(stream: OutStream): ProgressDisplay {
  // The engine reports phases several times (written, then the next step's writing…): a line is written
  // only when an instance's state or detail actually changes, so scripts follow a short, honest stream.
  const last = new Map<string, string>();
  return {
    update: (p) => {
      const key = `${p.state}\u0000${p.detail}`;
      if (last.get(p.instance) === key) return;
      last.set(p.instance, key);
      stream.write(`${JSON.stringify({ event: 'progress', ...p, at: new Date().toISOString() })}\n`);
    },
    finish: () => {},
  };
}

const STATE_MARK: Record<InstanceState, (style: Style) => string> = {
  queued: (s) => s.dim('·'),
  running: (s) => s.cyan('›'),
  succeeded: (s) => s.green('✔'),
  failed: (s) => s.red('✘'),
  not_ready: (s) => s.yellow('!'),
  skipped: (s) => s.dim('-'),
};

function ttyDisplay(stream: OutStream, instances: string[], style: Style): ProgressDisplay {
  const rows = new Map<string, InstanceProgress>(
    instances.map((instance) => [instance, { instance, state: 'queued', detail: 'waiting' }]),
  );
  const width = instances.reduce((w, i) => Math.max(w, i.length), 8); // No spread: see text-table.ts.
  let drawn = 0;
  const draw = () => {
    // Move up over the previous frame and clear each line before rewriting it.
    let frame = drawn ? `\u001b[${drawn}A` : '';
    const columns = stream.columns ?? 100;
    for (const row of rows.values()) {
      const text = `${STATE_MARK[row.state](style)} ${row.instance.padEnd(width)}  ${row.detail}`;
      frame += `\u001b[2K${truncate(text, columns + (text.length - plainLength(text)))}\n`;
    }
    drawn = rows.size;
    stream.write(frame);
  };
  draw();
  return {
    update(progress) {
      rows.set(progress.instance, progress);
      draw();
    },
    finish() {
      draw();
    },
  };
}

// eslint-disable-next-line no-control-regex -- counting visible characters means skipping ANSI escapes
const plainLength = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '').length;
const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
