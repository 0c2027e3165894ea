// Issue 9, finding 5: an instance's answer size is untrusted. The client stops an answer at its limit
// while it streams in (or at the headers when Content-Length already says too much) and reports it in
// plain words, instead of buffering 300 MB.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startOversizedInstance, type OversizedInstance } from '../../../src/main/bench/oversized-answer';
import { createServiceNowClient, type ClientOptions } from '../../../src/main/servicenow';
import { failureOf } from './helpers';

const MB = 1024 * 1024;
const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function clientFor(url: string, overrides: Partial<ClientOptions> = {}) {
  const client = createServiceNowClient({
    instanceUrl: url,
    auth: { kind: 'basic', username: 'admin', password: 'pw' },
    retry: { baseDelayMs: 1 },
    env: {},
    ...overrides,
  });
  closers.push(() => client.close());
  return client;
}

async function oversized(options: Parameters<typeof startOversizedInstance>[0]): Promise<OversizedInstance> {
  const instance = await startOversizedInstance(options);
  closers.push(() => instance.close());
  return instance;
}

describe('per-response size limit', () => {
  it('stops a 300 MB chunked answer at the default 32 MB limit, while it streams', async () => {
    const instance = await oversized({ totalBytes: 300 * MB });
    const client = clientFor(instance.url);
    const error = await failureOf(client.list('sys_user'));
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(
      /^127\.0\.0\.1:\d+ answered the request to read sys_user with more than 32 MB, more than the limit of 32 MB/,
    );
    expect(error.message).toContain('SPOKESMITH_MAX_RESPONSE_MB');
    expect(error.failure.ambiguous).toBe(false);
    // The instance was cut off near the limit (socket buffers aside), far from its 300 MB, and a GET that
    // is otherwise retried is not asked again.
    expect(instance.bytesSent()).toBeLessThan(100 * MB);
    expect(instance.requests()).toBe(1);
  });

  it('refuses a declared Content-Length above the limit before reading the body', async () => {
    const instance = await oversized({ totalBytes: 300 * MB, declareLength: true });
    const client = clientFor(instance.url);
    const error = await failureOf(client.list('sys_user'));
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(
      /answered the request to read sys_user with 300 MB, more than the limit of 32 MB/,
    );
    expect(instance.bytesSent()).toBeLessThan(32 * MB);
  });

  it('is configurable by option and by SPOKESMITH_MAX_RESPONSE_MB; the option wins', async () => {
    const instance = await oversized({ totalBytes: 5 * MB });
    const byEnv = await failureOf(
      clientFor(instance.url, { env: { SPOKESMITH_MAX_RESPONSE_MB: '2' } }).list('t'),
    );
    expect(byEnv.message).toMatch(/more than the limit of 2\.0 MB/);
    const byOption = await failureOf(
      clientFor(instance.url, { maxResponseBytes: 1 * MB, env: { SPOKESMITH_MAX_RESPONSE_MB: '2' } }).list(
        't',
      ),
    );
    expect(byOption.message).toMatch(/more than the limit of 1\.0 MB/);
    // Under the limit, the same answer is read normally.
    const rows = await clientFor(instance.url, { maxResponseBytes: 6 * MB }).list('t');
    expect(rows.length).toBeGreaterThan(10_000);
  });

  it('counts a compressed answer at its decompressed size', async () => {
    const body = gzipSync(Buffer.from(`{"result":[${'{"name":"x"},'.repeat(400_000)}{}]}`));
    expect(body.length).toBeLessThan(MB / 10);
    const server = createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': String(body.length),
      });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const error = await failureOf(clientFor(url, { maxResponseBytes: 1 * MB }).list('t'));
    expect(error.code).toBe('too_large');
  });

  it('refuses a limit that is not a positive number of bytes', () => {
    expect(() => clientFor('http://127.0.0.1:1', { maxResponseBytes: 0 })).toThrow(/maxResponseBytes/);
  });
});
