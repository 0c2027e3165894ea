import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileSink, createLogger, REDACTED } from '../../../src/main/log';

function capture(level?: 'debug' | 'info' | 'warn' | 'error') {
  const lines: string[] = [];
  const logger = createLogger({
    sink: (line) => lines.push(line),
    ...(level ? { level } : {}),
    now: () => new Date(0),
  });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const { logger, parsed } = capture();
    logger.info('hello', { status: 200 });
    expect(parsed()).toEqual([
      { time: '1970-01-01T00:00:00.000Z', level: 'info', msg: 'hello', status: 200 },
    ]);
  });

  it('drops lines below the level', () => {
    const { logger, lines } = capture('warn');
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['c', 'd']);
  });

  it('masks keys named like secrets, at any depth', () => {
    const { logger, lines, parsed } = capture();
    logger.info('x', {
      password: 'p1',
      clientSecret: 'p2',
      nested: { access_token: 'p3', headers: { Authorization: 'Basic p4', Cookie: 'JSESSIONID=p5' } },
      list: [{ refresh_token: 'p6' }],
      user: 'admin',
    });
    const text = lines.join('\n');
    for (const secret of ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']) expect(text).not.toContain(secret);
    expect(parsed()[0]).toMatchObject({ password: REDACTED, user: 'admin' });
  });

  it('masks registered secret values wherever they appear, in children too', () => {
    const { logger, lines } = capture();
    logger.registerSecret('hunter2');
    const child = logger.child({ instance: 'acme' });
    child.warn('failed for hunter2', { url: 'https://x/?p=hunter2', note: ['a hunter2 b'] });
    expect(lines.join('\n')).not.toContain('hunter2');
    expect(lines[0]).toContain('"instance":"acme"');
  });

  it('masks the longer of two overlapping secrets whole', () => {
    const { logger, lines } = capture();
    logger.registerSecret('abc');
    logger.registerSecret('abcdef');
    logger.info('v=abcdef');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ msg: `v=${REDACTED}` });
  });

  it('logs an Error as name and message only', () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error('boom'), { options: { password: 'zzz-secret-zzz' } });
    logger.error('failed', { err: error });
    expect(lines[0]).toContain('boom');
    expect(lines[0]).not.toContain('zzz-secret-zzz');
  });

  it('survives a sink that throws', () => {
    const logger = createLogger({
      sink: () => {
        throw new Error('disk full');
      },
    });
    expect(() => logger.error('x')).not.toThrow();
  });
});

describe('createFileSink', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('appends lines to a 0600 file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'spokesmith-log-'));
    const path = join(dir, 'logs', 'spokesmith.log');
    const first = createFileSink(path);
    createLogger({ sink: first }).info('one');
    first.close();
    const second = createFileSink(path);
    createLogger({ sink: second }).info('two');
    second.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['one', 'two']);
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});
