// Who may call an IPC handler: only the main frame of a window we created, showing our own renderer
// (Electron checklist item 17; VS Code `validatedIpcMain` checks the same three things).

/** The parts of Electron's IpcMainInvokeEvent the check reads; plain data so tests need no Electron. */
export interface IpcSenderInfo {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export type SenderVerdict = { ok: true } | { ok: false; reason: string };

export interface SenderCheckOptions {
  /** True for the webContents of a window this app created. */
  isOurWebContents(id: number): boolean;
  /** Origins the renderer is served from, e.g. `app://spokesmith` (and the dev/test server). */
  trustedOrigins: readonly string[];
}

export function createSenderCheck(options: SenderCheckOptions): (event: IpcSenderInfo) => SenderVerdict {
  const trusted = new Set(options.trustedOrigins.map(originOf).filter((o): o is string => o !== null));
  return (event) => {
    if (!options.isOurWebContents(event.sender.id)) return { ok: false, reason: 'not one of our windows' };
    const frame = event.senderFrame;
    // A destroyed or navigated-away frame has no senderFrame: refuse rather than guess.
    if (!frame) return { ok: false, reason: 'sender frame is gone' };
    if (frame.parent !== null) return { ok: false, reason: 'sent from a subframe' };
    const origin = originOf(frame.url);
    if (origin === null || !trusted.has(origin)) {
      return { ok: false, reason: `untrusted origin ${origin ?? '(unparsable URL)'}` };
    }
    return { ok: true };
  };
}

/**
 * The origin of a URL, compared as parsed values, never by string prefix (`https://a.com.evil.net`
 * starts with `https://a.com`). Custom schemes have an opaque `origin` ("null"), so build it from
 * protocol and host.
 */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (!u.host) return null;
    return `${u.protocol}//${u.host}`.toLowerCase();
  } catch {
    return null;
  }
}
