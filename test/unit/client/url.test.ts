import { describe, expect, it } from 'vitest';
import { isLoopbackHost, normalizeInstanceUrl } from '../../../src/main/servicenow/url';

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
    ['http://localhost:4010/', 'http://localhost:4010'],
    ['http://[::1]:4010', 'http://[::1]:4010'],
  ])('accepts %j as %s', (input, expected) => {
    expect(normalizeInstanceUrl(input)).toEqual({ ok: true, url: expected });
  });

  it.each([
    ['', /Enter the instance/],
    ['http://acme.service-now.com', /https/],
    ['ftp://acme.service-now.com', /Unsupported scheme/],
    ['https://admin:pw@acme.service-now.com', /Remove the user name and password/],
    ['https://exa mple.com', /not a valid/],
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
  it.each(['localhost', '127.0.0.1', '127.10.0.2', '[::1]', 'app.localhost'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['acme.service-now.com', '10.0.0.1', '128.0.0.1', 'localhost.example.com'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
