// The CLI's one output sanitizer. Names and messages in text output come from instances and shared
// workspace files, which are not ours: a credential named "\u001b[2J" would clear the screen, an OSC
// sequence ("\u001b]0;…\u0007") retitles the terminal, and "\r\n" plus a fake status line forges output.
// Every control character is therefore shown escaped, visibly and in the JSON spelling (`\u001b`, `\r`,
// `\n`), which makes every ESC/CSI/OSC/DCS sequence inert because each one starts with a control
// character (C0 ESC or a C1 introducer such as U+009B). Bidirectional overrides are escaped too: they
// reorder what the terminal shows (the "Trojan Source" trick) without being controls.
// `--json` output needs none of this: JSON.stringify already escapes every C0 control.
import { STYLE_SEQUENCE } from './style';

// eslint-disable-next-line no-control-regex -- finding control characters is this module's job
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Text from outside (an instance, a shared file) made safe to print: every control shown escaped. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (ch) => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A line about to be written: terminalSafe everywhere except the colour sequences style.ts itself
 * produces, which are kept so our own styling still works. This is the last guard at the stream (see
 * io.ts writeLine); renderers still pass instance text through terminalSafe BEFORE styling it, so a name
 * cannot smuggle even one of our colour sequences.
 */
export function terminalSafeLine(line: string): string {
  let out = '';
  let last = 0;
  for (const match of line.matchAll(STYLE_SEQUENCE)) {
    out += terminalSafe(line.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + terminalSafe(line.slice(last));
}
