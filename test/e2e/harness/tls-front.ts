// An https front for a simulator: the instance editor accepts only https:// addresses (a consultant types
// the customer's real instance), while the simulator speaks plain http on 127.0.0.1. The front terminates
// TLS with a throwaway self-signed certificate and passes the bytes through untouched, so every request,
// fault and answer is the simulator's own. Main trusts the certificate the way a customer's proxy CA is
// trusted: through SPOKESMITH_EXTRA_CA_CERTS (src/main/servicenow/transport.ts), read when a client is made.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';

interface TestCertificate {
  key: Buffer;
  cert: Buffer;
  certFile: string;
}

let certificate: TestCertificate | null = null;

/** One certificate per test worker, for 127.0.0.1, made with the system's openssl. */
function testCertificate(): TestCertificate {
  if (certificate) return certificate;
  const dir = mkdtempSync(join(tmpdir(), 'spokesmith-e2e-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'pipe' },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `The journeys need openssl on the PATH to make a test certificate for 127.0.0.1: ${String(error)}`,
    );
  }
  certificate = { key: readFileSync(keyFile), cert: readFileSync(certFile), certFile };
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return certificate;
}

/**
 * Makes main (loaded in this worker) trust the test certificate. Main reads the variable each time it
 * creates a client for an instance, so it stays set for the worker's life; it adds trust for this one
 * throwaway certificate and nothing else.
 */
export function trustTestCertificate(): string {
  const { certFile } = testCertificate();
  process.env.SPOKESMITH_EXTRA_CA_CERTS = certFile;
  return certFile;
}

export interface TlsFront {
  /** https://127.0.0.1:<port>, the address to type in the instance editor. */
  url: string;
  close(): Promise<void>;
}

export async function startTlsFront(simulatorUrl: string): Promise<TlsFront> {
  const { key, cert } = testCertificate();
  trustTestCertificate();
  const target = new URL(simulatorUrl);
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  const server = createServer({ key, cert }, (clear: TLSSocket) => {
    const upstream = connect(Number(target.port), target.hostname);
    track(clear);
    track(upstream);
    // A reset on one side (the simulator's "reset" fault) resets the other, as a direct connection would.
    clear.on('error', () => upstream.destroy());
    upstream.on('error', () => clear.destroy());
    clear.pipe(upstream).pipe(clear);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the TLS front has no port');
  return {
    url: `https://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
