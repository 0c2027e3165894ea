import { describe, expect, it } from 'vitest';
import { createSenderCheck, originOf, type IpcSenderInfo } from '../../../src/main/ipc/sender';

const OUR_ID = 7;
const check = createSenderCheck({
  isOurWebContents: (id) => id === OUR_ID,
  trustedOrigins: ['app://spokesmith', 'http://127.0.0.1:5173/'],
});
const event = (url: string, parent: unknown = null, id = OUR_ID): IpcSenderInfo => ({
  sender: { id },
  senderFrame: { url, parent },
});

describe('IPC sender check', () => {
  it('accepts the main frame of our window on our origins', () => {
    expect(check(event('app://spokesmith/index.html'))).toEqual({ ok: true });
    expect(check(event('http://127.0.0.1:5173/#/instances'))).toEqual({ ok: true });
  });

  it('refuses another window, a subframe, a vanished frame and foreign origins, saying why', () => {
    expect(check(event('app://spokesmith/index.html', null, 8))).toEqual({
      ok: false,
      reason: 'not one of our windows',
    });
    expect(check(event('app://spokesmith/index.html', { url: 'app://spokesmith/' }))).toEqual({
      ok: false,
      reason: 'sent from a subframe',
    });
    expect(check({ sender: { id: OUR_ID }, senderFrame: null })).toMatchObject({ ok: false });
    for (const url of [
      'https://evil.example/',
      'app://spokesmith.evil/index.html',
      'http://127.0.0.1:5174/',
      'https://127.0.0.1:5173/',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(check(event(url)).ok, url).toBe(false);
    }
  });

  it('compares parsed origins, not string prefixes', () => {
    expect(originOf('app://spokesmith/x')).toBe('app://spokesmith');
    expect(originOf('app://spokesmith.evil.net/')).toBe('app://spokesmith.evil.net');
    expect(originOf('HTTP://127.0.0.1:5173/a')).toBe('http://127.0.0.1:5173');
    expect(originOf('file:///x')).toBeNull();
  });
});
