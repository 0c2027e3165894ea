// Issue 9, finding 5: an "instance" that answers every call with 300 MB of JSON. A discovery against it
// runs in a child process (the built CLI, exactly as a consultant runs it) and the child's peak RSS is
// reported: the client must stop the answer at its size limit instead of buffering it (it reached 1.3 GB).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { row, type Benchmark, type BenchRow } from './types';

const ANSWER_BYTES = 300 * 1024 * 1024;
const PEAK_RSS_TARGET_MB = 250;

export interface OversizedInstance {
  url: string;
  /** Body bytes written to sockets so far, over all requests. */
  bytesSent(): number;
  /** Requests received. */
  requests(): number;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server whose every answer is a `{"result":[…]}` document of `totalBytes`, produced
 * lazily, one 64 KB chunk per `drain`: it never holds the body in memory, and stops when the client hangs
 * up. With `declareLength` the size is announced in Content-Length, otherwise the answer is chunked.
 */
export async function startOversizedInstance(
  options: { totalBytes?: number; declareLength?: boolean } = {},
): Promise<OversizedInstance> {
  const total = options.totalBytes ?? ANSWER_BYTES;
  const record = `{"sys_id":"${'0'.repeat(32)}","name":"${'x'.repeat(200)}"},`;
  const chunk = Buffer.from(record.repeat(Math.ceil(65_536 / record.length)));
  const head = Buffer.from('{"result":[');
  const tail = Buffer.from('{}]}');
  let sent = 0;
  let requests = 0;

  const stream = (res: ServerResponse) => {
    let remaining = total - head.length - tail.length;
    const pump = () => {
      while (remaining > 0 && !res.destroyed) {
        // The last piece is JSON whitespace, so a document under a client's limit still parses.
        const piece = remaining >= chunk.length ? chunk : Buffer.alloc(remaining, ' ');
        remaining -= piece.length;
        sent += piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      if (!res.destroyed) {
        sent += tail.length;
        res.end(tail);
      }
    };
    sent += head.length;
    res.write(head);
    pump();
  };

  const server = createServer((req, res) => {
    requests++;
    req.resume();
    res.writeHead(200, {
      'content-type': 'application/json;charset=UTF-8',
      ...(options.declareLength ? { 'content-length': String(total) } : {}),
    });
    stream(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bytesSent: () => sent,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `spokesmith discover <url>` in a fresh Node process; resolves with its exit code and peak RSS (MB). */
async function discoverInChild(cli: string, url: string): Promise<{ code: number | null; peakMb: number }> {
  const workspace = await mkdtemp(join(tmpdir(), 'spokesmith-bench-oversize-'));
  // process.resourceUsage().maxRSS is the peak resident set of the process (in KB), read at its end.
  const script =
    `const { main } = require(${JSON.stringify(cli)});` +
    `main(['discover', ${JSON.stringify(url)}]).then((code) =>` +
    ` process.stdout.write(JSON.stringify({ code, maxRssKb: process.resourceUsage().maxRSS })));`;
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', script], {
        env: {
          ...process.env,
          SN_USERNAME: 'admin',
          SN_PASSWORD: 'bench-only',
          SPOKESMITH_WORKSPACE: workspace,
          SPOKESMITH_SECRET_STORE: 'memory',
        },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let out = '';
      child.stdout.on('data', (data: Buffer) => (out += data.toString('utf8')));
      child.on('error', reject);
      child.on('close', () => {
        const last = out.slice(out.lastIndexOf('{"code"'));
        try {
          const parsed = JSON.parse(last) as { code: number; maxRssKb: number };
          resolve({ code: parsed.code, peakMb: parsed.maxRssKb / 1024 });
        } catch {
          reject(new Error(`the child discovery printed no result (${out.slice(-200)})`));
        }
      });
    });
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

async function run(): Promise<BenchRow[]> {
  // The built CLI is beside the built bench (out/cli next to out/main); from the sources there is none.
  const cli = join(dirname(process.argv[1] ?? ''), '..', 'cli', 'spokesmith.cjs');
  const instance = await startOversizedInstance();
  try {
    const { code, peakMb } = await discoverInChild(cli, instance.url);
    const sentMb = instance.bytesSent() / (1024 * 1024);
    const refused = code === 1;
    return [
      row(
        'peak RSS of a CLI discovery against a 300 MB answer',
        Math.round(peakMb),
        'MB',
        `< ${PEAK_RSS_TARGET_MB}`,
        peakMb < PEAK_RSS_TARGET_MB && refused,
      ),
      row(
        'bytes the instance got to send before the client hung up',
        Math.round(sentMb),
        'MB',
        '< 300',
        sentMb < 300,
      ),
    ];
  } finally {
    await instance.close();
  }
}

export const benchmark: Benchmark = { name: 'oversized-answer', run };
