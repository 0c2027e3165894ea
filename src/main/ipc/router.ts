// The Electron-free IPC router: one entry point per channel that runs
//   sender check → zod parse → service → { ok: true, value } | { ok: false, code, message }.
// Errors never cross as exceptions (Electron keeps only `message`); stacks and secrets never cross at all.
import type { z } from 'zod';
import {
  CHANNELS,
  CHANNEL_NAMES,
  isChannelName,
  type ChannelName,
  type ChannelOutput,
  type ChannelParsedInput,
  type ChannelResult,
  type IpcErrorCode,
} from '../../shared/ipc/contract';
import { AppError, serviceNowFailureOf } from './errors';
import type { IpcSenderInfo, SenderVerdict } from './sender';

/** One function per channel: receives the zod-parsed input, returns the channel's value or throws. */
export type IpcServices = {
  [C in ChannelName]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>>;
};

/** The logging the router needs; fields are plain data and never hold secrets. */
export interface IpcLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface IpcRouterOptions {
  services: IpcServices;
  isTrustedSender(event: IpcSenderInfo): SenderVerdict;
  logger: IpcLogger;
}

export interface IpcRouter {
  readonly channels: readonly ChannelName[];
  handle<C extends ChannelName>(channel: C, event: IpcSenderInfo, raw: unknown): Promise<ChannelResult<C>>;
}

const INTERNAL_MESSAGE = 'Something went wrong inside Spokesmith. The details are in the log file.';

export function createIpcRouter(options: IpcRouterOptions): IpcRouter {
  const { services, isTrustedSender, logger } = options;

  async function handle<C extends ChannelName>(
    channel: C,
    event: IpcSenderInfo,
    raw: unknown,
  ): Promise<ChannelResult<C>> {
    if (!isChannelName(channel)) {
      logger.warn('IPC refused: unknown channel', { channel: String(channel).slice(0, 80) });
      return failure('invalid_input', 'Unknown request.');
    }
    const verdict = safeVerdict(() => isTrustedSender(event));
    if (!verdict.ok) {
      logger.warn('IPC refused: untrusted sender', { channel, reason: verdict.reason });
      return failure('forbidden_sender', 'This request did not come from the Spokesmith window.');
    }
    const schema: z.ZodType = CHANNELS[channel].input;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => ({
        path: i.path.map(String).join('.'),
        message: i.message,
      }));
      // Only paths and zod's messages are logged, never the payload: it may carry a password.
      logger.warn('IPC refused: invalid input', { channel, issues: fields });
      const message = fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join(' ');
      return { ok: false, code: 'invalid_input', message: message || 'Invalid request.', details: fields };
    }
    try {
      const service = services[channel] as (input: unknown) => Promise<ChannelOutput<C>>;
      const value = await service(parsed.data);
      return { ok: true, value };
    } catch (error) {
      return toFailure(channel, error);
    }
  }

  function toFailure<C extends ChannelName>(channel: C, error: unknown): ChannelResult<C> {
    if (error instanceof AppError) {
      logger.warn('IPC request failed', { channel, code: error.code, message: error.message });
      return error.details === undefined
        ? failure(error.code, error.message)
        : { ok: false, code: error.code, message: error.message, details: error.details };
    }
    const sn = serviceNowFailureOf(error);
    if (sn) {
      logger.warn('IPC request failed at the instance', { channel, code: sn.code, status: sn.status });
      return failure(sn.code, sn.message);
    }
    logger.error('IPC handler crashed', {
      channel,
      error:
        error instanceof Error
          ? { name: error.name, message: error.message, stack: error.stack }
          : String(error),
    });
    return failure('internal', INTERNAL_MESSAGE);
  }

  function safeVerdict(check: () => SenderVerdict): SenderVerdict {
    try {
      return check();
    } catch {
      return { ok: false, reason: 'sender check failed' };
    }
  }

  return { channels: CHANNEL_NAMES, handle };
}

function failure(code: IpcErrorCode, message: string): { ok: false; code: IpcErrorCode; message: string } {
  return { ok: false, code, message };
}
