// Issue 11: tough-cookie tests every cookie's domain against a 1.7 kB IPv6 pattern, which V8 compiles on
// its first use (about 12 ms of a fresh apply, between the discovery answer and the first write). The
// build guards that test with a ':' check (STARTUP_PATCHES, electron.vite.config.ts). These tests load the
// built jar (out/cli) and watch which patterns run: the long one must not run for a host name, and must
// still run, and still be right, for an IPv6 address.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../../out/cli/', import.meta.url));

interface Jar {
  setCookie(raw: string, url: string): Promise<unknown>;
  getCookieString(url: string): Promise<string>;
}

let CookieJar: new () => Jar;
/** The length of every pattern run while a test watches (RegExp.prototype.test calls exec). */
const ran: number[] = [];
const exec = RegExp.prototype.exec;

beforeAll(() => {
  expect(existsSync(cli), 'run `npx electron-vite build` first').toBe(true);
  // The build lists each chunk's source files (electron.vite.config.ts, cliBundle).
  const modules = JSON.parse(readFileSync(join(cli, 'modules.json'), 'utf8')) as Record<string, string[]>;
  const chunk = Object.keys(modules).find((name) =>
    modules[name]!.some((source) => source.startsWith('node_modules/tough-cookie/')),
  );
  expect(chunk, 'the built CLI has a tough-cookie chunk').toBeDefined();
  ({ CookieJar } = createRequire(import.meta.url)(join(cli, chunk!)) as { CookieJar: typeof CookieJar });
});

function watchPatterns(): void {
  ran.length = 0;
  RegExp.prototype.exec = function (this: RegExp, value: string) {
    ran.push(this.source.length);
    return exec.call(this, value);
  };
}
afterEach(() => {
  RegExp.prototype.exec = exec;
});

const LONG = 1000;

describe("the built cookie jar's IPv6 check", () => {
  it('does not run the IPv6 pattern for a host name or an IPv4 address, and keeps their cookies', async () => {
    const jar = new CookieJar();
    watchPatterns();
    await jar.setCookie('JSESSIONID=abc; Path=/; HttpOnly', 'https://acme.service-now.com/api/now/v1/batch');
    await jar.setCookie('glide_session=xyz; Path=/', 'http://127.0.0.1:8443/api/now/v1/batch');
    const hostCookies = await jar.getCookieString('https://acme.service-now.com/api/now/table/x');
    const ipCookies = await jar.getCookieString('http://127.0.0.1:8443/api/now/table/x');
    RegExp.prototype.exec = exec;
    expect(ran.length).toBeGreaterThan(0);
    expect(ran.filter((length) => length > LONG)).toEqual([]);
    expect(hostCookies).toBe('JSESSIONID=abc');
    expect(ipCookies).toBe('glide_session=xyz');
  });

  it('still recognises an IPv6 address, so its cookies stay host-only', async () => {
    const jar = new CookieJar();
    watchPatterns();
    await jar.setCookie('JSESSIONID=v6; Path=/', 'http://[::1]:8443/api/now/v1/batch');
    RegExp.prototype.exec = exec;
    expect(ran.some((length) => length > LONG)).toBe(true);
    expect(await jar.getCookieString('http://[::1]:8443/')).toBe('JSESSIONID=v6');
    // A Domain attribute naming the address is accepted only for that address (tough-cookie's IP rule).
    await jar.setCookie('scoped=1; Domain=::1; Path=/', 'http://[::1]:8443/');
    expect(await jar.getCookieString('http://[::1]:8443/')).toContain('scoped=1');
  });
});
