// The client's session cookies (docs/reliability.md §4.3), in tough-cookie's jar, which is only loaded
// when a cookie is about to be sent. tough-cookie and its public-suffix list (tldts) are a quarter of the
// code an up-to-date apply would load, and that apply sends a single request: the session cookie it
// receives is never sent back, so the library is not needed at all (issue 11: start only what the
// command needs). A cookie received before the jar exists is kept as received and stored, in order, when
// the jar opens: before the next request reads the jar.
//
// Loading the jar takes about 13 ms. When the first answer is slow to come (a real instance, 100 ms and
// more away), the jar is loaded during that wait instead of after it, where it would delay the next
// request. An answer that comes sooner (an instance close by) cancels the warm-up by bringing its cookie.
import type { CookieJar } from 'tough-cookie';

/** What got asks of a cookie jar (its `cookieJar` option). */
export interface GotCookieJar {
  getCookieString(url: string): Promise<string>;
  setCookie(rawCookie: string, url: string): Promise<unknown>;
}

/**
 * How long the first request waits for its answer before the jar is loaded during the wait. The simulator
 * on this machine answers a discovery in 5–10 ms, now and then 30 ms under load; an instance 100 ms or more
 * away leaves the load (13 ms) time to finish before its answer.
 */
export const WARM_AFTER_MS = 60;

export interface DeferredCookieJarOptions {
  /** Loads tough-cookie (the tests count the loads). */
  load?: () => Promise<{ CookieJar: new () => CookieJar }>;
  /** Runs `task` after `ms` without keeping the process alive; answers a cancel (the tests run it). */
  schedule?: (task: () => void, ms: number) => () => void;
}

function unrefTimeout(task: () => void, ms: number): () => void {
  const timer = setTimeout(task, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

export function createDeferredCookieJar(options: DeferredCookieJarOptions = {}): GotCookieJar {
  const load = options.load ?? (() => import('tough-cookie'));
  const schedule = options.schedule ?? unrefTimeout;
  const received: { raw: string; url: string }[] = [];
  let opened: Promise<CookieJar> | undefined;
  let cancelWarm: (() => void) | undefined;
  const open = (): Promise<CookieJar> =>
    (opened ??= (async () => {
      const { CookieJar } = await load();
      const jar = new CookieJar();
      // `received` only grows while `opened` is unset, so this replays every early cookie exactly once.
      for (const { raw, url } of received.splice(0)) await jar.setCookie(raw, url, { ignoreError: true });
      return jar;
    })());
  return {
    async getCookieString(url) {
      if (!opened && received.length === 0) {
        // A failed load stays in `opened` and fails the next request that reads the jar, as it would
        // have without the warm-up; here it is only kept from being reported as unhandled.
        cancelWarm ??= schedule(() => void open().catch(() => undefined), WARM_AFTER_MS);
        return '';
      }
      return (await open()).getCookieString(url);
    },
    async setCookie(raw, url) {
      if (!opened) {
        cancelWarm?.();
        received.push({ raw, url });
        return;
      }
      return (await opened).setCookie(raw, url, { ignoreError: true });
    },
  };
}
