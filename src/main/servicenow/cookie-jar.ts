// The client's session cookies (docs/reliability.md §4.3), in tough-cookie's jar, which is only loaded
// when a cookie is about to be sent. tough-cookie and its public-suffix list (tldts) are a quarter of the
// code an up-to-date apply would load, and that apply sends a single request: the session cookie it
// receives is never sent back, so the library is not needed at all (issue 11: start only what the
// command needs). A cookie received before the jar exists is kept as received and stored, in order, when
// the jar opens: before the next request reads the jar.
import type { CookieJar } from 'tough-cookie';

/** What got asks of a cookie jar (its `cookieJar` option). */
export interface GotCookieJar {
  getCookieString(url: string): Promise<string>;
  setCookie(rawCookie: string, url: string): Promise<unknown>;
}

export function createDeferredCookieJar(): GotCookieJar {
  const received: { raw: string; url: string }[] = [];
  let opened: Promise<CookieJar> | undefined;
  const open = (): Promise<CookieJar> =>
    (opened ??= (async () => {
      const { CookieJar } = await import('tough-cookie');
      const jar = new CookieJar();
      // `received` only grows while `opened` is unset, so this replays every early cookie exactly once.
      for (const { raw, url } of received.splice(0)) await jar.setCookie(raw, url, { ignoreError: true });
      return jar;
    })());
  return {
    async getCookieString(url) {
      if (!opened && received.length === 0) return '';
      return (await open()).getCookieString(url);
    },
    async setCookie(raw, url) {
      if (!opened) {
        received.push({ raw, url });
        return;
      }
      return (await opened).setCookie(raw, url, { ignoreError: true });
    },
  };
}
