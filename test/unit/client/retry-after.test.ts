// How long the instance asks us to wait, at the edges of each header form: Retry-After in seconds
// (fractions too), Retry-After as an HTTP date, X-RateLimit-Reset in seconds (or milliseconds), all in
// milliseconds from an injected now, so the cap is always compared in one unit.
import { describe, expect, it } from 'vitest';
import { requestedDelayMs } from '../../../src/main/servicenow/retry';

const NOW = Date.parse('2026-03-01T10:00:00.000Z');

describe('requestedDelayMs edges', () => {
  it('seconds become milliseconds, fractions included; 0 means now', () => {
    expect(requestedDelayMs({ 'retry-after': '0' }, NOW)).toBe(0);
    expect(requestedDelayMs({ 'retry-after': '1.5' }, NOW)).toBe(1500);
    expect(requestedDelayMs({ 'retry-after': ' 30 ' }, NOW)).toBe(30_000);
  });

  it('an HTTP date is measured from the injected now, whatever the wall clock says', () => {
    const date = 'Sun, 01 Mar 2026 10:00:45 GMT';
    expect(requestedDelayMs({ 'retry-after': date }, NOW)).toBe(45_000);
    expect(requestedDelayMs({ 'retry-after': date }, NOW + 45_000)).toBe(0);
    expect(requestedDelayMs({ 'retry-after': date }, NOW + 60_000)).toBe(0);
  });

  it('a negative or signed number is not a number of seconds', () => {
    expect(requestedDelayMs({ 'retry-after': '-5' }, NOW)).not.toBe(-5000);
    expect(requestedDelayMs({ 'retry-after': '+5' }, NOW)).not.toBe(5000);
  });

  it('X-RateLimit-Reset: UNIX seconds, or milliseconds when it is that large; never negative', () => {
    expect(requestedDelayMs({ 'x-ratelimit-reset': String(NOW / 1000 + 10) }, NOW)).toBe(10_000);
    expect(requestedDelayMs({ 'x-ratelimit-reset': String(NOW + 2500) }, NOW)).toBe(2500);
    expect(requestedDelayMs({ 'x-ratelimit-reset': String(NOW / 1000 - 10) }, NOW)).toBe(0);
    expect(requestedDelayMs({ 'x-ratelimit-reset': 'soon' }, NOW)).toBeNull();
  });

  it('a repeated header: the first value counts', () => {
    expect(requestedDelayMs({ 'retry-after': ['3', '600'] }, NOW)).toBe(3000);
  });

  it('an unusable Retry-After falls through to X-RateLimit-Reset', () => {
    expect(
      requestedDelayMs({ 'retry-after': 'later', 'x-ratelimit-reset': String(NOW / 1000 + 7) }, NOW),
    ).toBe(7000);
  });
});
