// Deny by default, on every webContents the app ever creates (docs/reliability.md §1.1 items 5, 12–15;
// Mullvad `blockNavigationAndWindowOpen`, `blockPermissionRequests`, `blockRequests`).
import type { App, Session, Shell, WebContents } from 'electron';
import {
  RENDERER_CSP,
  isAllowedExternalUrl,
  isAllowedNavigation,
  isAllowedPermission,
  isAllowedRendererRequest,
} from './policy';

export interface GuardLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface GuardOptions {
  app: Pick<App, 'on'>;
  session: Session;
  shell: Pick<Shell, 'openExternal'>;
  /** Origins the renderer is served from (app://spokesmith and, unpackaged, the dev/test server). */
  trustedOrigins: readonly string[];
  logger: GuardLogger;
}

export function installGuards(options: GuardOptions): void {
  const { app, session, shell, trustedOrigins, logger } = options;

  const openExternally = (url: string, why: string) => {
    if (isAllowedExternalUrl(url)) {
      void shell.openExternal(url).catch(() => logger.warn('Could not open a link externally', { why }));
    } else {
      logger.warn('Refused to open a non-https link', { why, protocol: protocolOf(url) });
    }
  };

  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, openExternally, logger));

  session.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.warn('Permission request denied', { permission });
    callback(isAllowedPermission());
  });
  session.setPermissionCheckHandler(() => isAllowedPermission());
  session.setDevicePermissionHandler(() => isAllowedPermission());

  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRendererRequest(details.url, trustedOrigins);
    if (!allowed) logger.warn('Blocked a renderer request', { protocol: protocolOf(details.url) });
    callback({ cancel: !allowed });
  });

  // app:// responses carry the CSP from the protocol handler; this covers the dev/test server too.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] },
    });
  });
}

export function guardWebContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  openExternally: (url: string, why: string) => void,
  logger: GuardLogger,
): void {
  contents.on('will-navigate', (event, url) => {
    if (isAllowedNavigation()) return;
    event.preventDefault();
    // A plain <a href="https://…"> click is a navigation: the user meant to open the link.
    openExternally(url, 'navigation');
  });
  contents.on('will-redirect', (event) => {
    if (isAllowedNavigation()) return;
    event.preventDefault();
    logger.warn('Blocked a redirect');
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('Blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url, 'window.open');
    return { action: 'deny' };
  });
}

function protocolOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '(unparsable)';
  }
}
