// The client's deferred cookie jar (src/main/servicenow/cookie-jar.ts): nothing to send before a cookie
// arrived, and the cookies received before the jar opened stored in the order they came, so a later
// Set-Cookie still replaces or expires an earlier one.
import { describe, expect, it } from 'vitest';
import { createDeferredCookieJar } from '../../../src/main/servicenow/cookie-jar';

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
