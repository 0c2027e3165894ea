import { describe, expect, it } from 'vitest';
import { createProgressDisplay } from '../../../src/main/cli/output/progress';
import { confirm } from '../../../src/main/cli/prompt';
import { createStyle } from '../../../src/main/cli/output/style';
import { terminalSafe, terminalSafeLine } from '../../../src/main/cli/output/terminal-text';
import { renderTable } from '../../../src/main/cli/output/text-table';
import { captureStream, testIo } from './helpers';

// eslint-disable-next-line no-control-regex -- looking for raw controls is the test
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

describe('terminalSafe', () => {
  it.each([
    ['\u001b[2J', '\\u001b[2J'],
    ['\u001b]0;pwned\u0007', '\\u001b]0;pwned\\u0007'],
    ['\u001b]8;;https://evil.example\u001b\\link', '\\u001b]8;;https://evil.example\\u001b\\link'],
    ['ok\r\n✔ fake status', 'ok\\r\\n✔ fake status'],
    ['bare\rCR', 'bare\\rCR'],
    ['tab\there', 'tab\\there'],
    ['\u009b2J C1 CSI', '\\u009b2J C1 CSI'],
    ['\u009d0;title\u009c', '\\u009d0;title\\u009c'],
    ['NUL\u0000 BS\u0008 DEL\u007f', 'NUL\\u0000 BS\\u0008 DEL\\u007f'],
    ['abc\u202eevil', 'abc\\u202eevil'],
  ])('shows %j escaped', (input, shown) => {
    expect(terminalSafe(input)).toBe(shown);
    expect(terminalSafe(input)).not.toMatch(RAW_CONTROL);
  });

  it('leaves ordinary text, including non-ASCII, alone', () => {
    expect(terminalSafe('ACME — Zürich, 東京 ✔ C:\\path')).toBe('ACME — Zürich, 東京 ✔ C:\\path');
  });
});

describe('terminalSafeLine', () => {
  const style = createStyle(true);

  it('keeps our own colours and escapes everything else', () => {
    const line = `${style.green('+ create')} ${style.bold('x')}\u001b[2J\u001b[8m`;
    expect(terminalSafeLine(line)).toBe(`${style.green('+ create')} ${style.bold('x')}\\u001b[2J\\u001b[8m`);
  });

  it('escapes a line break so a line cannot forge the next one', () => {
    expect(terminalSafeLine('name\n✔ done')).toBe('name\\n✔ done');
  });
});

describe('renderers', () => {
  it('renderTable escapes cells and still aligns them', () => {
    const lines = renderTable(['name', 'x'], [['a\u001b[2J\r\nb', '1']]);
    for (const line of lines) expect(line).not.toMatch(RAW_CONTROL);
    expect(lines[2]).toBe('a\\u001b[2J\\r\\nb  1');
    expect(lines[0]!.lastIndexOf('x')).toBe(lines[2]!.lastIndexOf('1'));
  });

  it('the live progress display escapes instance names and details', () => {
    const stream = captureStream(true);
    const hostile = 'prod\u001b]0;pwned\u0007';
    const display = createProgressDisplay(stream, [hostile], createStyle(false), true);
    display.update({ instance: hostile, state: 'running', detail: 'writing\r\n✔ prod done' });
    display.finish();
    const text = stream.text();
    // Only the display's own cursor moves and line clears remain.
    // eslint-disable-next-line no-control-regex -- the display's own escapes
    const rest = text.replace(/\u001b\[\d*[AK]/g, '').replace(/\n/g, '');
    expect(rest).not.toMatch(RAW_CONTROL);
    expect(text).toContain('prod\\u001b]0;pwned\\u0007');
    expect(text).toContain('writing\\r\\n✔ prod done');
  });
});

describe('questions', () => {
  it('a confirmation cannot be rewritten by the instance name it quotes', async () => {
    const io = testIo({ tty: true });
    const asked = confirm(io, 'Apply 2 creation(s) to prod\r\u001b[2KApply 0 creation(s) to test?');
    io.type('n\n');
    expect(await asked).toBe(false);
    expect(io.stderr.text()).toBe(
      'Apply 2 creation(s) to prod\\r\\u001b[2KApply 0 creation(s) to test? [y/N] ',
    );
  });
});
