// ANSI styling that collapses to plain text when colour is off (not a TTY, or NO_COLOR set).
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

/**
 * Exactly the SGR sequences createStyle emits (bold, dim, green, yellow, red, cyan and their resets):
 * the only escape sequences terminal-text.ts lets through to the terminal.
 */
// eslint-disable-next-line no-control-regex -- matching our own ANSI escapes is the point
export const STYLE_SEQUENCE = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;

export function createStyle(color: boolean): Style {
  if (!color) {
    const same = (text: string) => text;
    return { bold: same, dim: same, green: same, yellow: same, red: same, cyan: same };
  }
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    red: wrap(31, 39),
    cyan: wrap(36, 39),
  };
}

// eslint-disable-next-line no-control-regex -- matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;
export const visibleLength = (text: string) => text.replace(ANSI, '').length;
