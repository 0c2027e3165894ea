// JSON-lines logger for the main process. Every line passes through redaction (./redact) before the sink
// sees it, so a caller that passes the wrong field cannot leak a registered secret or a credential key.
import { redact, SecretSet } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;
export type LogSink = (line: string) => void;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Mask this value wherever it appears in any later line of this logger and its children. */
  registerSecret(value: string | undefined | null): void;
  /** A logger that adds `fields` to every line and shares the parent's sink, level and secrets. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Defaults to standard error, so a CLI's standard output stays machine-readable. */
  sink?: LogSink;
  level?: LogLevel;
  /** Clock for the `time` field (tests). */
  now?: () => Date;
}

const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

export function createLogger(options: LoggerOptions = {}): Logger {
  const sink = options.sink ?? stderrSink;
  const threshold = RANK[options.level ?? 'info'];
  const now = options.now ?? (() => new Date());
  const secrets = new SecretSet();

  const make = (bound: LogFields): Logger => {
    const write = (level: LogLevel, message: string, fields?: LogFields): void => {
      if (RANK[level] < threshold) return;
      const entry = redact({ ...bound, ...fields }, secrets) as LogFields;
      const line = JSON.stringify({ time: now().toISOString(), level, msg: secrets.mask(message), ...entry });
      try {
        sink(line);
      } catch {
        // A broken sink (disk full, closed pipe) must never take the operation that logged down with it.
      }
    };
    return {
      debug: (message, fields) => write('debug', message, fields),
      info: (message, fields) => write('info', message, fields),
      warn: (message, fields) => write('warn', message, fields),
      error: (message, fields) => write('error', message, fields),
      registerSecret: (value) => secrets.add(value),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make({});
}

/** A logger that drops everything; the default when a caller does not pass one. */
export function createSilentLogger(): Logger {
  return createLogger({ sink: () => undefined, level: 'error' });
}
