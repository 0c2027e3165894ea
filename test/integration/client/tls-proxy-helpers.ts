// Boundaries these tests own: a TLS front for the simulator (the test CA's certificate) and a tiny
// CONNECT proxy that terminates TLS for any host and forwards to the simulator.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer as createTlsServer, TLSSocket, type Server as TlsServer } from 'node:tls';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/tls/${name}`, import.meta.url));
export const CA_FILE = fixture('ca.pem');
const key = readFileSync(fixture('server-key.pem'));
const cert = readFileSync(fixture('server.pem'));

function pipeTo(target: { host: string; port: number }, socket: Socket): void {
  const upstream = connect(target.port, target.host);
  socket.pipe(upstream).pipe(socket);
  const end = (): void => {
    socket.destroy();
    upstream.destroy();
  };
  socket.on('error', end);
  upstream.on('error', end);
  socket.on('close', end);
  upstream.on('close', end);
}

function origin(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}

function listen(server: HttpServer | TlsServer): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function closer(server: HttpServer | TlsServer, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

/** https://localhost:<port> in front of `backendUrl`. */
export async function startTlsFront(backendUrl: string): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key, cert }, (socket) => {
    sockets.add(socket);
    pipeTo(origin(backendUrl), socket);
  });
  server.on('tlsClientError', () => undefined);
  const port = await listen(server);
  return { port, close: closer(server, sockets) };
}

export interface TestProxy {
  url: string;
  /** CONNECT targets seen, e.g. `sn.test:8443`. */
  connects: string[];
  close(): Promise<void>;
}

/** A CONNECT proxy; with `requireAuth` it answers 407 unless Proxy-Authorization carries it. */
export async function startConnectProxy(
  backendUrl: string,
  requireAuth?: { user: string; password: string },
): Promise<TestProxy> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((_req, res) => {
    res.writeHead(405).end();
  });
  const expected = requireAuth
    ? `Basic ${Buffer.from(`${requireAuth.user}:${requireAuth.password}`).toString('base64')}`
    : null;
  server.on('connect', (req, socket: Socket) => {
    sockets.add(socket);
    connects.push(req.url ?? '');
    if (expected && req.headers['proxy-authorization'] !== expected) {
      socket.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    const secure = new TLSSocket(socket, { isServer: true, key, cert });
    secure.on('error', () => socket.destroy());
    pipeTo(origin(backendUrl), secure as unknown as Socket);
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, connects, close: closer(server, sockets) };
}
