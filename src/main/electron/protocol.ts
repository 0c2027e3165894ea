// The renderer is served from `app://spokesmith/` instead of file:// (pages on file:// can read every
// file on the machine: docs/reliability.md §1.1 item 18), with the CSP as a response header.
import type { Protocol } from 'electron';
import { APP_SCHEME } from './policy';
import { createRendererHandler } from './renderer-files';

/** Must run before `app` is ready. `standard` + `secure` give the scheme an origin and module scripts. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, createRendererHandler(rendererDir));
}
