import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_RETRY, requestedDelayMs, sleep } from '../../../src/main/servicenow/retry';

const NOW = Date.parse('2026-03-01T10:00:00Z');

describe('requestedDelayMs', () => {
  it('reads Retry-After seconds', () => {
    expect(requestedDelayMs({ 'retry-after': '7' }, NOW)).toBe(7000);
  });
  it('reads Retry-After as an HTTP date', () => {
    expect(requestedDelayMs({ 'retry-after': 'Sun, 01 Mar 2026 10:00:30 GMT' }, NOW)).toBe(30_000);
  });
  it('falls back to X-RateLimit-Reset (UNIX seconds)', () => {
    expect(requestedDelayMs({ 'x-ratelimit-reset': String(NOW / 1000 + 120) }, NOW)).toBe(120_000);
  });
  it('prefers Retry-After over X-RateLimit-Reset', () => {
    expect(
      requestedDelayMs({ 'retry-after': '2', 'x-ratelimit-reset': String(NOW / 1000 + 3600) }, NOW),
    ).toBe(2000);
  });
  it('returns null when nothing usable is there', () => {
    expect(requestedDelayMs({}, NOW)).toBeNull();
    expect(requestedDelayMs({ 'retry-after': 'soon' }, NOW)).toBeNull();
  });
  it('never returns a negative delay for a past date', () => {
    expect(requestedDelayMs({ 'retry-after': 'Sun, 01 Mar 2026 09:00:00 GMT' }, NOW)).toBe(0);
  });
});

describe('backoffMs', () => {
  const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxBackoffMs: 1000 };
  it('doubles per retry, between half and all of the step', () => {
    expect(backoffMs(1, policy, () => 0)).toBe(50);
    expect(backoffMs(1, policy, () => 1)).toBe(100);
    expect(backoffMs(3, policy, () => 0)).toBe(200);
    expect(backoffMs(3, policy, () => 1)).toBe(400);
  });
  it('is capped', () => {
    expect(backoffMs(20, policy, () => 1)).toBe(1000);
  });
  it('spreads with randomness', () => {
    expect(backoffMs(2, policy, () => 0.25)).not.toBe(backoffMs(2, policy, () => 0.75));
  });
});

describe('sleep', () => {
  it('rejects with the abort reason when cancelled', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});
