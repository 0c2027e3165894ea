// Serves the built renderer (out/renderer) for the `app://spokesmith/` protocol: only files inside that
// folder, GET only, with the CSP and nosniff headers. Plain Node + fetch types, so the e2e harness serves
// the renderer through this very function.
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { RENDERER_CSP } from './policy';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * No Cross-Origin-Opener-Policy. It keeps cross-origin windows out of the page's browsing context group, and
 * this window can have none: it cannot navigate, open windows or host webviews (guards.ts), and nothing opens
 * it. The header is not free: the window's first, empty document has no such policy, so Chromium switches
 * browsing context group for the document that sets it, and commits it in a renderer process started for it.
 * In the browser harness that was about 100 ms of every first render (median 265–275 → 162–164 ms in paired
 * runs of 9 loads; issue 11, README.md "Benchmarks").
 */
export const RENDERER_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** The file a request path maps to, or null when it would leave the renderer folder. */
export function resolveRendererFile(rendererDir: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = resolve(rendererDir);
  const file = resolve(root, relative);
  return file.startsWith(root + sep) ? file : null;
}

export function createRendererHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return text(400, 'Bad request');
    }
    const file = resolveRendererFile(rendererDir, url.pathname);
    if (!file) return text(404, 'Not found');
    try {
      if (!(await stat(file)).isFile()) return text(404, 'Not found');
      const body = await readFile(file);
      const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...RENDERER_HEADERS, 'Content-Type': type },
      });
    } catch {
      return text(404, 'Not found');
    }
  };
}

function text(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { ...RENDERER_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}
