// Append-only log file in the app's data folder, readable by the user only (0600): even redacted lines
// name instances and users.
import { chmodSync, closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogSink } from './logger';

export type FileSink = LogSink & { close(): void };

export function createFileSink(path: string): FileSink {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let fd: number | null = openSync(path, 'a', 0o600);
  try {
    // The mode above applies only when the file is created; tighten a file an older build left open.
    chmodSync(path, 0o600);
  } catch {
    // Windows has no POSIX modes; the file lives in the per-user data folder there.
  }
  // Synchronous appends: lines are small, and a crash right after an error must not lose that error.
  const sink = ((line: string) => {
    if (fd !== null) writeSync(fd, `${line}\n`);
  }) as FileSink;
  sink.close = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
  };
  return sink;
}
