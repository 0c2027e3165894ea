// The security decisions of the Electron shell as plain functions (no Electron import), so unit tests
// can check every rule; guards.ts and protocol.ts only apply them.

/** The scheme and host the renderer is served from in the app (docs/reliability.md §1.1 item 18). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'spokesmith';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The renderer's Content Security Policy. Identical to the meta tag in src/renderer/index.html (a test
 * keeps them equal); sent as a response header too, which also covers what a meta tag cannot
 * (`frame-ancestors`). The renderer never talks to ServiceNow, so `connect-src 'self'` costs nothing.
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Links the app hands to the system browser: https only (`shell.openExternal` can run commands). */
export function isAllowedExternalUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '';
}

/**
 * Requests the renderer's session may make: its own files (app://spokesmith, or the trusted dev/test
 * server) and DevTools. Everything else is cancelled (Mullvad `blockRequests`).
 */
export function isAllowedRendererRequest(url: string, trustedOrigins: readonly string[]): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (parsed.protocol === 'devtools:' || parsed.protocol === 'data:') return true;
  const origin = originOfParsed(parsed);
  return origin !== null && trustedOrigins.some((t) => sameOrigin(t, origin));
}

/** The renderer never navigates: it is a single-page app. */
export function isAllowedNavigation(): boolean {
  return false;
}

/** Every permission (camera, notifications, clipboard-read, …) is refused. */
export function isAllowedPermission(): boolean {
  return false;
}

/** Origins the app trusts: always its own scheme, plus the dev/test renderer server when not packaged. */
export function trustedRendererOrigins(devRendererUrl: string | undefined): string[] {
  const origins = [APP_ORIGIN];
  const dev = devRendererUrl ? parse(devRendererUrl) : null;
  const devOrigin = dev ? originOfParsed(dev) : null;
  if (devOrigin && (dev!.protocol === 'http:' || dev!.protocol === 'https:')) origins.push(devOrigin);
  return origins;
}

function sameOrigin(a: string, b: string): boolean {
  const pa = parse(a);
  return pa !== null && originOfParsed(pa) === b;
}

function originOfParsed(u: URL): string | null {
  return u.host ? `${u.protocol}//${u.host}`.toLowerCase() : null;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
