// Serves the built renderer on 127.0.0.1 through the protocol handler the real main registered for
// `app://spokesmith/` (so the CSP header and the path checks under test are main's own).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

export interface RendererServer {
  url: string;
  close(): Promise<void>;
}

export async function startRendererServer(
  getHandler: () => ((request: Request) => Promise<Response>) | undefined,
): Promise<RendererServer> {
  const server: Server = createServer((req, res) => {
    const handler = getHandler();
    if (!handler) {
      res.writeHead(503).end('main has not registered the app protocol yet');
      return;
    }
    const request = new Request(`app://spokesmith${req.url ?? '/'}`, { method: req.method ?? 'GET' });
    handler(request)
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
        if (response.body) Readable.fromWeb(response.body as NodeReadableStream).pipe(res);
        else res.end();
      })
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
