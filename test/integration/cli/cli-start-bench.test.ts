// The start-up benchmark runs the built command and returns well-formed rows. No timing assertion: speed
// belongs to `npm run bench`, not to tests.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCliStartBenchmark } from '../../../src/main/bench/cli-start';
import { registeredBenchmarks } from '../../../src/main/bench/registry';

const built = fileURLToPath(new URL('../../../out/cli/spokesmith.cjs', import.meta.url));

describe('cli-start benchmark', () => {
  it('is registered', () => {
    expect(registeredBenchmarks().map((b) => b.name)).toContain('cli-start');
  });

  it('times each command against bare node and gives each target its row', async () => {
    expect(existsSync(built), 'run `npx electron-vite build` first').toBe(true);
    const rows = await createCliStartBenchmark({ rounds: 1 }).run();
    for (const row of rows) {
      expect(Number.isFinite(row.value) && row.value > 0, row.metric).toBe(true);
      expect(row.unit).toMatch(/^(ms|×|requests)$/);
    }
    expect(rows.filter((r) => r.unit === '×').map((r) => [r.metric, r.target])).toEqual([
      ['--version ÷ bare node', '≤ 2'],
      ['--help ÷ bare node', '≤ 2'],
      ['up-to-date re-apply at 0 ms ÷ bare node', '≤ 3'],
      ['fresh apply at 100 ms ÷ (bare node + requests × 100 ms), same round (median)', '≤ 1.3'],
    ]);
    // The fresh apply really provisioned through the Batch API: four requests, not a usage error.
    expect(rows.find((r) => r.metric === 'fresh apply: requests sent')?.value).toBe(4);
    expect(rows.find((r) => r.metric === 'up-to-date re-apply: requests sent')?.value).toBe(1);
  });
});
