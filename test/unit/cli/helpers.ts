// Test doubles for the CLI's streams: writable streams that remember what was written, and a stdin that
// can pretend to be a terminal. (Streams are a boundary we do not own; nothing of ours is faked.)
import { PassThrough, Writable } from 'node:stream';
import type { CliIo, InStream, OutStream } from '../../../src/main/cli/io';

export interface CapturedStream extends OutStream {
  text(): string;
}

export function captureStream(isTTY = false): CapturedStream {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      callback();
    },
  }) as CapturedStream;
  stream.isTTY = isTTY;
  stream.columns = 120;
  stream.text = () => chunks.join('');
  return stream;
}

export interface TestIo extends CliIo {
  stdout: CapturedStream;
  stderr: CapturedStream;
  stdin: InStream & PassThrough;
  /** Types into stdin. */
  type(text: string): void;
  rawModes: boolean[];
}

export function testIo(
  options: { tty?: boolean; env?: Record<string, string | undefined>; cwd?: string } = {},
): TestIo {
  const tty = options.tty ?? false;
  const stdin = new PassThrough() as InStream & PassThrough;
  const rawModes: boolean[] = [];
  stdin.isTTY = tty;
  if (tty) {
    stdin.setRawMode = (mode: boolean) => {
      rawModes.push(mode);
      return stdin;
    };
  }
  return {
    stdout: captureStream(tty),
    stderr: captureStream(tty),
    stdin,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    type: (text) => stdin.write(text),
    rawModes,
  };
}
