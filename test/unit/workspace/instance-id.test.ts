import { describe, expect, it } from 'vitest';
import { instanceIdFromUrl, normalizeWorkspaceUrl } from '../../../src/shared/workspace/instance-id';
import { defaultWorkspaceDir } from '../../../src/main/workspace/paths';

describe('instanceIdFromUrl', () => {
  it.each([
    ['https://acme.service-now.com', 'acme'],
    ['https://ACME.service-now.com/nav_to.do?uri=x', 'acme'],
    ['acme', 'acme'],
    ['acme-dev.service-now.com', 'acme-dev'],
    ['http://127.0.0.1:8080', '127-0-0-1-8080'],
    ['http://localhost:3000/', 'localhost-3000'],
    ['https://servicenow.example.co.uk', 'servicenow-example-co-uk'],
  ])('%s → %s', (url, id) => {
    expect(instanceIdFromUrl(url)).toBe(id);
  });

  it('refuses text that is not an instance URL', () => {
    expect(() => instanceIdFromUrl('')).toThrow(/not an instance URL/);
    expect(() => instanceIdFromUrl('ftp://acme.example.com')).toThrow(/not an instance URL/);
  });
});

describe('normalizeWorkspaceUrl', () => {
  it('keeps the origin only and lowercases it', () => {
    expect(normalizeWorkspaceUrl('https://Acme.Service-Now.com/now/nav/ui')).toBe(
      'https://acme.service-now.com',
    );
  });
  it('allows plain http only for loopback', () => {
    expect(normalizeWorkspaceUrl('http://127.0.0.1:9000')).toBe('http://127.0.0.1:9000');
    expect(normalizeWorkspaceUrl('http://acme.service-now.com')).toBeNull();
  });
  it.each([
    'http://evil.localhost',
    'http://localhost.evil.com',
    'http://127.0.0.1.nip.io',
    'http://127.0.0.300',
  ])('refuses plain http to %s, which only looks like loopback', (url) => {
    expect(normalizeWorkspaceUrl(url)).toBeNull();
  });
  it.each([
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
    ['http://127.9.8.7', 'http://127.9.8.7'],
  ])('accepts plain http to the loopback host %s', (url, origin) => {
    expect(normalizeWorkspaceUrl(url)).toBe(origin);
  });
  it('refuses a URL carrying a user name and password (the client would refuse it too)', () => {
    expect(normalizeWorkspaceUrl('https://admin:S3cret@acme.service-now.com')).toBeNull();
  });
});

describe('defaultWorkspaceDir', () => {
  it('uses SPOKESMITH_WORKSPACE when set', () => {
    expect(defaultWorkspaceDir({ SPOKESMITH_WORKSPACE: '/team/ws' }, 'linux', '/home/u')).toBe('/team/ws');
    // As pasted into a shell profile, surrounding spaces and all; blank means not set.
    expect(defaultWorkspaceDir({ SPOKESMITH_WORKSPACE: ' /team/ws \n' }, 'linux', '/home/u')).toBe(
      '/team/ws',
    );
    expect(defaultWorkspaceDir({ SPOKESMITH_WORKSPACE: '  ' }, 'linux', '/home/u')).toBe(
      '/home/u/.config/Spokesmith',
    );
  });
  it('matches Electron userData per platform', () => {
    expect(defaultWorkspaceDir({}, 'linux', '/home/u')).toBe('/home/u/.config/Spokesmith');
    expect(defaultWorkspaceDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/Spokesmith');
    expect(defaultWorkspaceDir({ XDG_CONFIG_HOME: ' /x ' }, 'linux', '/home/u')).toBe('/x/Spokesmith');
    expect(defaultWorkspaceDir({ XDG_CONFIG_HOME: ' ' }, 'linux', '/home/u')).toBe(
      '/home/u/.config/Spokesmith',
    );
    expect(defaultWorkspaceDir({}, 'darwin', '/Users/u')).toBe(
      '/Users/u/Library/Application Support/Spokesmith',
    );
    expect(defaultWorkspaceDir({ APPDATA: 'D:\\Profiles\\u\\Roaming' }, 'win32', 'C:\\Users\\u')).toMatch(
      /^D:\\Profiles\\u\\Roaming[\\/]Spokesmith$/,
    );
    // Without APPDATA (a service account, a stripped environment): the folder APPDATA would name.
    expect(defaultWorkspaceDir({}, 'win32', 'C:\\Users\\u')).toMatch(
      /^C:\\Users\\u[\\/]AppData[\\/]Roaming[\\/]Spokesmith$/,
    );
  });
  it('ignores a blank override and trims a padded one', () => {
    expect(defaultWorkspaceDir({ SPOKESMITH_WORKSPACE: '   ' }, 'linux', '/home/u')).toBe(
      '/home/u/.config/Spokesmith',
    );
    expect(defaultWorkspaceDir({ SPOKESMITH_WORKSPACE: ' /team/ws ' }, 'linux', '/home/u')).toBe('/team/ws');
    expect(defaultWorkspaceDir({ XDG_CONFIG_HOME: '  ' }, 'linux', '/home/u')).toBe(
      '/home/u/.config/Spokesmith',
    );
    expect(defaultWorkspaceDir({ XDG_CONFIG_HOME: ' /x ' }, 'linux', '/home/u')).toBe('/x/Spokesmith');
  });
  it('on Windows without APPDATA, falls back to the roaming folder under home', () => {
    // path.join here is POSIX: the separators differ from Windows, the folders do not.
    expect(defaultWorkspaceDir({}, 'win32', '/c/Users/u')).toBe('/c/Users/u/AppData/Roaming/Spokesmith');
    expect(defaultWorkspaceDir({ APPDATA: '/d/roaming' }, 'win32', '/c/Users/u')).toBe(
      '/d/roaming/Spokesmith',
    );
  });
});
