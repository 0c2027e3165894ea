// The client's side of the one instance URL rule (src/shared/workspace/instance-id.ts): what the client
// accepts is exactly what the workspace stores, and it never treats a DNS name as loopback.
import { describe, expect, it } from 'vitest';
import { createServiceNowClient, isLoopbackHost, normalizeInstanceUrl } from '../../../src/main/servicenow';
import { normalizeWorkspaceUrl } from '../../../src/shared/workspace/instance-id';

describe('normalizeInstanceUrl', () => {
  it.each([
    ['acme', 'https://acme.service-now.com'],
    ['  ACME  ', 'https://acme.service-now.com'],
    ['acme.service-now.com', 'https://acme.service-now.com'],
    ['https://acme.service-now.com/', 'https://acme.service-now.com'],
    ['https://acme.service-now.com/now/nav/ui/classic?x=1#top', 'https://acme.service-now.com'],
    ['servicenow.example.org', 'https://servicenow.example.org'],
    ['https://sn.test:8443', 'https://sn.test:8443'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    ['http://127.255.0.9:4010', 'http://127.255.0.9:4010'],
    ['http://localhost:4010/', 'http://localhost:4010'],
    ['http://LOCALHOST:4010/', 'http://localhost:4010'],
    ['http://[::1]:4010', 'http://[::1]:4010'],
    ['http://[0:0:0:0:0:0:0:1]:4010', 'http://[::1]:4010'],
    ['https://evil.localhost', 'https://evil.localhost'],
  ])('accepts %j as %s', (input, expected) => {
    expect(normalizeInstanceUrl(input)).toEqual({ ok: true, url: expected });
  });

  it.each([
    ['', /Enter the instance/],
    ['http://acme.service-now.com', /https/],
    ['ftp://acme.service-now.com', /Unsupported scheme/],
    ['https://admin:pw@acme.service-now.com', /Remove the user name and password/],
    ['https://exa mple.com', /not a valid/],
    // Names that only look like loopback: DNS decides where they go, so plain http is refused.
    ['http://evil.localhost', /https/],
    ['http://app.localhost:4010', /https/],
    ['http://localhost.evil.com', /https/],
    ['http://127.0.0.1.nip.io', /https/],
    ['http://10.0.0.1', /https/],
  ])('refuses %j', (input, message) => {
    const result = normalizeInstanceUrl(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('never echoes a password typed into the URL', () => {
    const result = normalizeInstanceUrl('https://admin:S3cret!@acme.service-now.com');
    expect(JSON.stringify(result)).not.toContain('S3cret');
  });
});

describe('isLoopbackHost', () => {
  it.each(['localhost', '127.0.0.1', '127.10.0.2', '[::1]', '::1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each([
    'acme.service-now.com',
    '10.0.0.1',
    '128.0.0.1',
    '127.0.0.256',
    'localhost.example.com',
    'evil.localhost',
    'app.localhost',
    '127.0.0.1.nip.io',
  ])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('the client and the workspace share one rule', () => {
  const auth = { kind: 'basic', username: 'admin', password: 'pw' } as const;

  it.each([
    'http://evil.localhost:4010',
    'http://localhost.evil.com',
    'http://127.0.0.1.nip.io',
    'http://acme.service-now.com',
  ])('the client refuses %s before any request, as the workspace does', (url) => {
    expect(() => createServiceNowClient({ instanceUrl: url, auth })).toThrow(/https/);
    expect(normalizeWorkspaceUrl(url)).toBeNull();
  });

  it.each(['http://127.0.0.1:4010', 'http://localhost:4010', 'http://[::1]:4010', 'acme'])(
    'the client and the workspace agree on %s',
    (url) => {
      const client = createServiceNowClient({ instanceUrl: url, auth });
      try {
        expect(client.instanceUrl).toBe(normalizeWorkspaceUrl(url));
      } finally {
        client.close();
      }
    },
  );
});
