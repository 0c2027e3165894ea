import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  RENDERER_CSP,
  isAllowedExternalUrl,
  isAllowedRendererRequest,
  trustedRendererOrigins,
} from '../../../src/main/electron/policy';
import { createRendererHandler, resolveRendererFile } from '../../../src/main/electron/renderer-files';

describe('link, request and origin policy', () => {
  it('hands only plain https links to the system browser', () => {
    expect(isAllowedExternalUrl('https://acme.service-now.com/nav_to.do')).toBe(true);
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-msdt:/id',
      'https://user:pw@example.com/',
      'not a url',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });

  it('lets the renderer load only its own files (and DevTools), nothing else', () => {
    const trusted = trustedRendererOrigins('http://127.0.0.1:5173/');
    expect(trusted).toEqual([APP_ORIGIN, 'http://127.0.0.1:5173']);
    expect(isAllowedRendererRequest('app://spokesmith/assets/index.js', trusted)).toBe(true);
    expect(isAllowedRendererRequest('http://127.0.0.1:5173/src/main.ts', trusted)).toBe(true);
    expect(isAllowedRendererRequest('devtools://devtools/bundled/inspector.html', trusted)).toBe(true);
    for (const url of [
      'https://acme.service-now.com/api/now/table/sys_user',
      'http://127.0.0.1:5174/',
      'app://spokesmith.evil/x',
      'file:///etc/passwd',
      'ws://127.0.0.1:5173/',
    ]) {
      expect(isAllowedRendererRequest(url, trusted), url).toBe(false);
    }
    // Packaged: no dev server is trusted whatever the environment says.
    expect(trustedRendererOrigins(undefined)).toEqual([APP_ORIGIN]);
    expect(trustedRendererOrigins('file:///tmp/x')).toEqual([APP_ORIGIN]);
  });

  it('the CSP header equals the meta tag of src/renderer/index.html and is strict', () => {
    const html = readFileSync(join(import.meta.dirname, '../../../src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(RENDERER_CSP);
    const directives = Object.fromEntries(
      RENDERER_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|\*/);
  });
});

describe('app:// renderer files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spokesmith-renderer-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>x</title>');
    await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(dir, '..', `${dir.split('/').pop()}-secret.txt`), 'outside');
  });
  afterAll(async () => {
    await rm(join(dir, '..', `${dir.split('/').pop()}-secret.txt`), { force: true });
    await rm(dir, { recursive: true, force: true });
  });

  it('never resolves a path outside the renderer folder', () => {
    expect(resolveRendererFile(dir, '/')).toBe(join(dir, 'index.html'));
    expect(resolveRendererFile(dir, '/assets/app.js')).toBe(join(dir, 'assets', 'app.js'));
    for (const p of ['/../x', '/%2e%2e/x', '/assets/../../x', '/%00', '/%E0%A4%A']) {
      expect(resolveRendererFile(dir, p), p).toBeNull();
    }
  });

  it('serves files with the CSP and nosniff headers, no opener policy, and refuses writes and missing files', async () => {
    const handle = createRendererHandler(dir);
    const page = await handle(new Request('app://spokesmith/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // Left out on purpose (renderer-files.ts): it would start a second renderer process for the first page.
    expect(page.headers.get('cross-origin-opener-policy')).toBeNull();
    const js = await handle(new Request('app://spokesmith/assets/app.js'));
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(await js.text()).toBe('console.log(1)');
    expect((await handle(new Request('app://spokesmith/missing.js'))).status).toBe(404);
    expect((await handle(new Request('app://spokesmith/assets'))).status).toBe(404);
    const traversal = await handle(new Request(`app://spokesmith/%2e%2e/${dir.split('/').pop()}-secret.txt`));
    expect(traversal.status).toBe(404);
    expect(
      (await handle(new Request('app://spokesmith/index.html', { method: 'POST', body: 'x' }))).status,
    ).toBe(405);
  });
});
