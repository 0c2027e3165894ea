// The re-read an apply makes of every record it touches before its first write (src/main/engine/touched.ts),
// stated through applyPlan: it finds records by names an IN query cannot carry, it survives an instance
// that starts refusing the Batch API after the plan, and a refused re-read stops the apply before any write.
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/main/engine';
import { ServiceNowError } from '../../../src/main/servicenow';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import { planFor, rowsNamed, startHarness, writesSent, RETRY, CONNECTION } from './harness';

describe('the pre-write re-read', () => {
  it('finds a record whose name holds a comma: created by someone else since the plan, it is not duplicated', async () => {
    const h = await startHarness('fresh');
    const desired = defaultDesiredState();
    const name = 'Exchange Online, Contoso';
    desired.main = { ...desired.main, name };
    const plan = await planFor(h, desired);
    expect(plan.actions.find((a) => a.id === 'connection:main')).toMatchObject({ op: 'create', name });
    h.sim.db.insert(CONNECTION, { name, connection_url: 'https://graph.microsoft.com' });
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('failed');
    expect(record.steps.find((s) => s.actionId === 'connection:main')?.error?.message).toMatch(
      /exists on the instance now/,
    );
    expect(rowsNamed(h.sim, CONNECTION, name)).toHaveLength(1);
  });

  it('goes one read per table when the instance starts refusing the Batch API after the plan', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h);
    h.sim.faults.add({ kind: 'forbidden', match: { pathIncludes: '/batch' } });
    h.sim.clearLog();
    // A fresh process's client, which has not yet learnt that the instance refuses the Batch API.
    const record = await applyPlan({ client: h.newClient(), plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('succeeded');
    expect(writesSent(h.sim).filter((w) => w.batch === null)).toHaveLength(4);
    // Refused once, the Batch API is not asked again in this run.
    expect(h.sim.log.filter((e) => e.path.includes('/batch'))).toHaveLength(1);
  });

  it('refused by the instance stops the apply before any write, with the instance’s message', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h);
    h.sim.faults.add({
      kind: 'forbidden',
      message: 'No access to http_connection',
      match: { method: 'GET', table: CONNECTION },
    });
    h.sim.clearLog();
    const error = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceNowError);
    expect((error as ServiceNowError).message).toContain('No access to http_connection');
    expect(writesSent(h.sim)).toEqual([]);
  });
});

describe('a pre-write re-read whose batch fails with a server error', () => {
  it('stops the apply before any write: a server error is no refusal to fall back from', async () => {
    const h = await startHarness('fresh', { retry: { limit: 0 } });
    const plan = await planFor(h);
    h.sim.faults.add({ kind: 'status', status: 500, match: { pathIncludes: '/batch' } });
    h.sim.clearLog();
    await expect(applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY })).rejects.toBeInstanceOf(
      ServiceNowError,
    );
    expect(writesSent(h.sim)).toEqual([]);
    expect(h.sim.log.filter((e) => !e.path.includes('/batch'))).toEqual([]);
  });
});
