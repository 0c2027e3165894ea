import { describe, expect, it } from 'vitest';
import { askHidden, canPrompt, confirm } from '../../../src/main/cli/prompt';
import { testIo } from './helpers';

describe('prompts', () => {
  it('can prompt only when stdin is a terminal', () => {
    expect(canPrompt(testIo({ tty: true }))).toBe(true);
    expect(canPrompt(testIo({ tty: false }))).toBe(false);
  });

  it('reads a hidden answer in raw mode and never echoes it', async () => {
    const io = testIo({ tty: true });
    const answer = askHidden(io, 'Password: ');
    io.type('s3cr');
    io.type('et!\u007fX\r');
    // The backspace removed the '!'.
    await expect(answer).resolves.toBe('s3cretX');
    expect(io.stderr.text()).toBe('Password: \n');
    expect(io.stdout.text()).not.toContain('s3cr');
    expect(io.rawModes).toEqual([true, false]);
  });

  it('rejects when Ctrl-C is pressed', async () => {
    const io = testIo({ tty: true });
    const answer = askHidden(io, 'Password: ');
    io.type('ab\u0003');
    await expect(answer).rejects.toThrow('Cancelled');
  });

  it.each([
    ['y\n', true],
    ['YES\n', true],
    ['n\n', false],
    ['\n', false],
    ['maybe\n', false],
  ])('confirm answers %j → %s', async (typed, expected) => {
    const io = testIo({ tty: true });
    const answer = confirm(io, 'Apply?');
    io.type(typed);
    await expect(answer).resolves.toBe(expected);
    expect(io.stderr.text()).toContain('Apply? [y/N] ');
  });
});
