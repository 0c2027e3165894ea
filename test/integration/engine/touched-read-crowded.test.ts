// The pre-write re-read (src/main/engine/touched.ts) asks for exactly the records the apply touches — by
// sys_id, and new ones by name — so it finds them on an instance whose table holds more records than one
// read returns: a broader query would get a page of someone else's records and miss them.
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/main/engine';
import {
  planFor,
  rowsNamed,
  startHarness,
  writesSent,
  type Harness,
  RETRY,
  CONNECTION,
  MAIN_CONNECTION,
  mainInactive,
} from './harness';

/** More records of someone else's than one read of the table returns (the re-read asks for 100). */
function crowd(harness: Harness) {
  for (let i = 0; i < 150; i += 1)
    harness.sim.db.insert(CONNECTION, {
      name: `Other_Connection_${String(i).padStart(3, '0')}`,
      connection_url: 'https://example.com',
    });
}

describe('the pre-write re-read on a crowded table', () => {
  it('finds the record an update touches by its sys_id, and the update is sent', async () => {
    const h = await startHarness('fresh');
    crowd(h);
    expect(
      (await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY })).status,
    ).toBe('succeeded');
    crowd(h);
    const plan = await planFor(h, mainInactive());
    h.sim.clearLog();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('succeeded');
    expect(writesSent(h.sim).map((w) => w.method)).toEqual(['PATCH']);
    expect(rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)[0]?.active).toBe('false');
  });

  it('finds by name a record created by someone else since the plan: not duplicated', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h);
    crowd(h);
    h.sim.db.insert(CONNECTION, { name: MAIN_CONNECTION, connection_url: 'https://graph.microsoft.com' });
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('failed');
    expect(record.steps.find((s) => s.actionId === 'connection:main')?.error?.message).toMatch(
      /exists on the instance now/,
    );
    expect(rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)).toHaveLength(1);
  });
});
