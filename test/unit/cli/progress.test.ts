import { describe, expect, it } from 'vitest';
import { createProgressDisplay } from '../../../src/main/cli/output/progress';
import { createStyle } from '../../../src/main/cli/output/style';
import { captureStream } from './helpers';

describe('many-instance progress display', () => {
  it('writes one JSON line per change without a terminal', () => {
    const out = captureStream(false);
    const display = createProgressDisplay(out, ['a', 'b'], createStyle(false), false);
    display.update({ instance: 'a', state: 'running', detail: 'discovering' });
    // A repeated report of the same state adds no line.
    display.update({ instance: 'a', state: 'running', detail: 'discovering' });
    display.update({ instance: 'b', state: 'failed', detail: 'boom' });
    display.finish();
    const lines = out
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      event: 'progress',
      instance: 'a',
      state: 'running',
      detail: 'discovering',
    });
    expect(lines[1]).toMatchObject({ instance: 'b', state: 'failed' });
  });

  it('redraws one line per instance on a terminal', () => {
    const out = captureStream(true);
    const display = createProgressDisplay(out, ['alpha', 'beta'], createStyle(false), true);
    display.update({ instance: 'beta', state: 'succeeded', detail: 'done' });
    const text = out.text();
    // First frame: two lines; the redraw moves the cursor up two lines and rewrites both.
    expect(text).toContain('\u001b[2A');
    const lastFrame = text.slice(text.lastIndexOf('\u001b[2A'));
    expect(lastFrame).toContain('alpha');
    expect(lastFrame).toMatch(/✔ beta\s+done/);
  });
});
