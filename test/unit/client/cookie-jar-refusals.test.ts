// A cookie the jar must refuse (one for another domain) is dropped quietly, before and after the jar opens:
// an instance's odd Set-Cookie never fails the call that received it (docs/reliability.md §4.3).
import { describe, expect, it } from 'vitest';
import { createDeferredCookieJar } from '../../../src/main/servicenow/cookie-jar';

const URL_ = 'https://acme.service-now.com/api/now/table/sys_alias';
const FOREIGN = 'tracker=1; Domain=other.example; Path=/';

describe('a cookie for another domain', () => {
  it('received before the jar opened: dropped, the session cookie kept', async () => {
    const jar = createDeferredCookieJar();
    await jar.setCookie(FOREIGN, URL_);
    await jar.setCookie('JSESSIONID=s1; Path=/', URL_);
    expect(await jar.getCookieString(URL_)).toBe('JSESSIONID=s1');
  });

  it('received after it opened: dropped without an error', async () => {
    const jar = createDeferredCookieJar();
    await jar.setCookie('JSESSIONID=s1; Path=/', URL_);
    expect(await jar.getCookieString(URL_)).toBe('JSESSIONID=s1');
    await expect(jar.setCookie(FOREIGN, URL_)).resolves.toBeUndefined();
    expect(await jar.getCookieString(URL_)).toBe('JSESSIONID=s1');
  });
});
