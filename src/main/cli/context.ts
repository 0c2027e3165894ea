// What every command receives: the streams, the services and the output style.
import type { CliIo } from './io';
import { useColor, writeLine } from './io';
import { createStyle, type Style } from './output/style';
import { terminalSafeLine } from './output/terminal-text';
import type { CliServices } from './services';

export interface CommandContext {
  io: CliIo;
  services: CliServices;
  style: Style;
  out(line?: string): void;
  err(line?: string): void;
  /** Prints a value as one JSON document on stdout. */
  json(value: unknown): void;
}

export function createContext(io: CliIo, services: CliServices): CommandContext {
  return {
    io,
    services,
    style: createStyle(useColor(io)),
    // Text lines may quote an instance or a shared file: no control character reaches the terminal raw.
    out: (line = '') => writeLine(io.stdout, terminalSafeLine(line)),
    err: (line = '') => writeLine(io.stderr, terminalSafeLine(line)),
    json: (value) => writeLine(io.stdout, JSON.stringify(value, null, 2)),
  };
}

/** Options every instance command accepts. */
export interface CommonOptions {
  workspace?: string;
  config?: string;
  json?: boolean;
}
