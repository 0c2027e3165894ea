export { createLogger, createSilentLogger } from './logger';
export type { Logger, LoggerOptions, LogLevel, LogFields, LogSink } from './logger';
export { createFileSink } from './file-sink';
export type { FileSink } from './file-sink';
export { redact, SecretSet, isSecretKey, REDACTED } from './redact';
