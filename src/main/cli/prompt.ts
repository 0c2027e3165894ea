// Questions on the terminal: a hidden password prompt (never echoed) and a y/N confirmation.
// Without a TTY neither can be asked; callers turn that into exit 2 with a message.
import type { CliIo } from './io';
import { terminalSafeLine } from './output/terminal-text';

export function canPrompt(io: CliIo): boolean {
  return Boolean(io.stdin.isTTY) && Boolean(io.stderr.isTTY ?? io.stdout.isTTY);
}

/** Reads one line; nothing typed is echoed. Ctrl-C rejects. */
export function askHidden(io: CliIo, question: string): Promise<string> {
  return readLine(io, question, { echo: false });
}

/** A visible one-line question (a user name): the terminal's own echo shows what is typed. */
export function askVisible(io: CliIo, question: string): Promise<string> {
  return readLine(io, question, { echo: true });
}

/** y/N: only an explicit yes counts. */
export async function confirm(io: CliIo, question: string): Promise<boolean> {
  const answer = await readLine(io, `${question} [y/N] `, { echo: true });
  return /^(y|yes)$/i.test(answer.trim());
}

function readLine(io: CliIo, question: string, options: { echo: boolean }): Promise<string> {
  const { stdin, stderr } = io;
  // Questions name the instance (from a shared workspace or the instance): a name must not rewrite them.
  stderr.write(terminalSafeLine(question));
  const raw = !options.echo && typeof stdin.setRawMode === 'function';
  if (raw) stdin.setRawMode?.(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let buffer = '';
    const finish = (error: Error | null) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      if (raw) stdin.setRawMode?.(false);
      stdin.pause();
      if (!options.echo) stderr.write('\n');
      if (error) reject(error);
      else resolve(buffer);
    };
    const onEnd = () => finish(null);
    const onData = (chunk: Buffer | string) => {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      for (const ch of text) {
        if (ch === '\u0003') return finish(new Error('Cancelled.'));
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(null);
        if (ch === '\u007f' || ch === '\b') buffer = buffer.slice(0, -1);
        else buffer += ch;
      }
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
  });
}
