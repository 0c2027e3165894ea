import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { parseFault, simulatorOptions } from '../../../src/main/cli/commands/sim-options';
import { CliFailure } from '../../../src/main/cli/exit-codes';

describe('sim options', () => {
  it.each([
    ['latency:200', { kind: 'latency', ms: 200 }],
    ['rate_limit', { kind: 'rate_limit', retryAfterSeconds: null }],
    ['rate_limit:5', { kind: 'rate_limit', retryAfterSeconds: 5 }],
    ['status:503', { kind: 'status', status: 503 }],
    ['hibernate', { kind: 'hibernate' }],
  ])('parses --fault %s', (text, expected) => {
    expect(parseFault(text)).toEqual(expected);
  });

  it.each(['latency', 'status:200', 'bogus', 'reset:1'])('refuses --fault %s with a message', (text) => {
    expect(typeof parseFault(text)).toBe('string');
  });

  it('defaults to the fresh scenario on port 8080, loopback only', () => {
    expect(simulatorOptions({}, '/tmp', resolve)).toEqual({
      scenario: 'fresh',
      port: 8080,
      host: '127.0.0.1',
      latencyMs: 0,
      faults: [],
    });
  });

  it('lists every bad option at once', () => {
    try {
      simulatorOptions({ port: 'x', scenario: 'nope', fault: ['bogus'] }, '/tmp', resolve);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CliFailure);
      const lines = (error as CliFailure).lines.join('\n');
      expect(lines).toContain('--port');
      expect(lines).toContain('--scenario');
      expect(lines).toContain('bogus');
      expect((error as CliFailure).exitCode).toBe(2);
    }
  });
});
