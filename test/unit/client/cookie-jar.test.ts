// The client's deferred cookie jar (src/main/servicenow/cookie-jar.ts): nothing to send before a cookie
// arrived, and the cookies received before the jar opened stored in the order they came, so a later
// Set-Cookie still replaces or expires an earlier one.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createDeferredCookieJar,
  WARM_AFTER_MS,
  type DeferredCookieJarOptions,
} from '../../../src/main/servicenow/cookie-jar';

const URL_ = 'https://acme.service-now.com/api/now/table/sys_alias';

describe('deferred cookie jar', () => {
  it('sends no cookie before the instance set one', async () => {
    expect(await createDeferredCookieJar().getCookieString(URL_)).toBe('');
  });

  it('sends back what the instance set, a later value replacing an earlier one', async () => {
    const jar = createDeferredCookieJar();
    await jar.setCookie('JSESSIONID=first; Path=/; HttpOnly; Secure', URL_);
    await jar.setCookie('glide_user_route=glide.abc; Path=/; Secure', URL_);
    await jar.setCookie('JSESSIONID=second; Path=/; HttpOnly; Secure', URL_);
    const cookies = (await jar.getCookieString(URL_)).split('; ').sort();
    expect(cookies).toEqual(['JSESSIONID=second', 'glide_user_route=glide.abc']);
  });

  it('drops a cookie the instance expired before the jar opened', async () => {
    const jar = createDeferredCookieJar();
    await jar.setCookie('JSESSIONID=old; Path=/', URL_);
    await jar.setCookie('JSESSIONID=gone; Path=/; Max-Age=0', URL_);
    expect(await jar.getCookieString(URL_)).toBe('');
  });

  it('keeps cookies set after it opened, and answers concurrent readers alike', async () => {
    const jar = createDeferredCookieJar();
    await jar.setCookie('a=1; Path=/', URL_);
    const [one, two] = await Promise.all([jar.getCookieString(URL_), jar.getCookieString(URL_)]);
    expect([one, two]).toEqual(['a=1', 'a=1']);
    await jar.setCookie('b=2; Path=/', URL_);
    expect(await jar.getCookieString(URL_)).toBe('a=1; b=2');
  });

  it('never sends a cookie to another host', async () => {
    const jar = createDeferredCookieJar();
    await jar.setCookie('JSESSIONID=x; Path=/', URL_);
    expect(await jar.getCookieString('https://other.service-now.com/api/now/table/sys_alias')).toBe('');
  });
});

/** A jar whose loads of tough-cookie are counted and whose warm-up timer the test runs by hand. */
function watchedJar() {
  const loads: number[] = [];
  const timers: { ms: number; run: () => void; cancelled: boolean }[] = [];
  const options: DeferredCookieJarOptions = {
    load: () => {
      loads.push(1);
      return import('tough-cookie');
    },
    schedule: (run, ms) => {
      const timer = { ms, run, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
  };
  return { jar: createDeferredCookieJar(options), loads, timers };
}

describe('deferred cookie jar, warmed while the first answer is slow', () => {
  it('loads tough-cookie during the wait once, and the cookies then received are sent back', async () => {
    const { jar, loads, timers } = watchedJar();
    expect(await jar.getCookieString(URL_)).toBe('');
    expect(timers.map((t) => t.ms)).toEqual([WARM_AFTER_MS]);
    expect(loads).toHaveLength(0);
    timers[0]!.run();
    expect(loads).toHaveLength(1);
    await jar.setCookie('JSESSIONID=warm; Path=/', URL_);
    expect(await jar.getCookieString(URL_)).toBe('JSESSIONID=warm');
    expect(loads).toHaveLength(1);
    expect(timers).toHaveLength(1);
  });

  it('is cancelled by an answer that brings its cookie first, and never loads for that answer alone', async () => {
    const { jar, loads, timers } = watchedJar();
    await jar.getCookieString(URL_);
    await jar.setCookie('JSESSIONID=fast; Path=/', URL_);
    expect(timers.map((t) => t.cancelled)).toEqual([true]);
    expect(loads).toHaveLength(0);
    // The next request needs the jar: it opens then, with the cookie already received.
    expect(await jar.getCookieString(URL_)).toBe('JSESSIONID=fast');
    expect(loads).toHaveLength(1);
  });

  it('leaves a failed warm-up to the request that reads the jar, naming the failure there', async () => {
    const timers: (() => void)[] = [];
    const jar = createDeferredCookieJar({
      load: () => Promise.reject(new Error('tough-cookie could not be loaded')),
      schedule: (run) => (timers.push(run), () => undefined),
    });
    await jar.getCookieString(URL_);
    timers[0]!();
    await jar.setCookie('JSESSIONID=x; Path=/', URL_).catch(() => undefined);
    await expect(jar.getCookieString(URL_)).rejects.toThrow('tough-cookie could not be loaded');
  });
});

describe("deferred cookie jar's own timer", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('loads the jar WARM_AFTER_MS after the first request, or never once the first cookie came', async () => {
    vi.useFakeTimers();
    const loads: string[] = [];
    const load = () => {
      loads.push('load');
      return import('tough-cookie');
    };
    const slow = createDeferredCookieJar({ load });
    await slow.getCookieString(URL_);
    await vi.advanceTimersByTimeAsync(WARM_AFTER_MS - 1);
    expect(loads).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(loads).toEqual(['load']);

    const fast = createDeferredCookieJar({ load });
    await fast.getCookieString(URL_);
    await fast.setCookie('JSESSIONID=fast; Path=/', URL_);
    await vi.advanceTimersByTimeAsync(WARM_AFTER_MS * 2);
    expect(loads).toEqual(['load']);
  });
});
