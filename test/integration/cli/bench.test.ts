// The round-trip benchmark runs and returns well-formed rows. No timing assertion: speed belongs to
// `npm run bench`, not to tests.
import { describe, expect, it } from 'vitest';
import { registeredBenchmarks } from '../../../src/main/bench/registry';
import { createRoundTripBenchmark } from '../../../src/main/bench/round-trips';

describe('round-trip benchmark', () => {
  it('is registered', () => {
    expect(registeredBenchmarks().map((b) => b.name)).toContain('round-trips');
  });

  it('runs against the simulator and returns well-formed rows', async () => {
    const rows = await createRoundTripBenchmark({ latencyMs: 0, latencyRuns: 1 }).run();
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) {
      expect(typeof row.metric).toBe('string');
      expect(Number.isFinite(row.value)).toBe(true);
      expect(row.unit).toMatch(/^(requests|records|ms|×)$/);
      expect(typeof row.target).toBe('string');
      expect(typeof row.pass).toBe('boolean');
    }
    const metrics = rows.map((r) => r.metric);
    expect(metrics).toEqual(
      expect.arrayContaining([
        'fresh: engine discovery requests',
        'fresh: naive baseline round trips',
        'up-to-date: engine writes',
      ]),
    );
    const value = (metric: string) => rows.find((r) => r.metric === metric)!.value;
    // Both sides really provisioned: four records written each, the engine's in two Batch API requests.
    expect(value('fresh: engine records written')).toBe(4);
    expect(value('fresh: engine write requests')).toBe(2);
    expect(value('fresh: naive baseline writes')).toBe(4);
    expect(value('fresh: requests per apply (discovery + apply)')).toBe(4);
    expect(value('fresh: requests per apply without freshPlan (pre-write re-read)')).toBe(5);
    expect(value('up-to-date: requests per apply')).toBe(1);
  });
});
