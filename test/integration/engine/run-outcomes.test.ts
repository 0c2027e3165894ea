// What an apply reports once its writes are over (src/main/engine/run.ts): how its waves stop, when a write
// goes alone or in a batch, what the re-read after the writes records (for the writes made and for those
// that were not), its status and `verification`, and when the Entra client secret it wrote is remembered.
import { describe, expect, it } from 'vitest';
import {
  applyPlan,
  applyRollback,
  resumeApply,
  type JournalEntry,
  type RegistrySecret,
} from '../../../src/main/engine';
import type { Plan } from '../../../src/shared/domain/plan';
import { OAUTH_REGISTRIES } from '../../../src/shared/servicenow/spoke';
import {
  AT,
  intentEntry,
  leaveJournal,
  planFor,
  RETRY,
  rowsNamed,
  singleRequestHarness,
  startEntry,
  startHarness,
  writesSent,
  writesTo,
  type Harness,
  stepOf,
  recordOf,
  CONNECTION,
  MAIN_CONNECTION,
  CREDENTIALS,
  mainInactive,
  entraDesired,
  provisioned,
  rollbackPlanOf,
} from './harness';

const mainRow = (harness: Harness) => rowsNamed(harness.sim, CONNECTION, MAIN_CONNECTION)[0]!;

/** A keychain stand-in holding the stand-in Entra app's secret, recording what the apply reported written. */
function keychain(
  harness: Harness,
): RegistrySecret & { written: (s: string) => Promise<void>; kept: string[] } {
  const kept: string[] = [];
  return {
    kept,
    read: async () => harness.sim.entraApp.clientSecret,
    written: async (s: string) => void kept.push(s),
  };
}

describe('a single write and a wave of several', () => {
  it('a wave of one write goes as a request of its own, not as a batch of one', async () => {
    const h = await startHarness('fresh');
    await provisioned(h);
    const plan = await planFor(h, mainInactive());
    h.sim.clearLog();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('succeeded');
    expect(writesSent(h.sim)).toEqual([
      { method: 'PATCH', path: `/api/now/table/${CONNECTION}/${mainRow(h).sys_id}`, batch: null },
    ]);
  });
});

describe('a write the instance refuses', () => {
  it('in a batch stops the next wave even when that wave does not depend on it', async () => {
    const h = await startHarness('fresh');
    const full = await planFor(h);
    // Two credentials in one batch, then only the main connection, which needs only the main credential.
    const plan: Plan = { ...full, actions: full.actions.filter((a) => a.id !== 'connection:clientCred') };
    h.sim.faults.add({ kind: 'forbidden', match: { method: 'POST', table: CREDENTIALS }, skip: 1, times: 1 });
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('failed');
    expect(writesTo(h.sim, 'POST', CREDENTIALS).map((w) => w.batch !== null)).toEqual([true, true]);
    expect(stepOf(record, 'credential:main').status).toBe('done');
    expect(stepOf(record, 'credential:clientCred').status).toBe('failed');
    expect(stepOf(record, 'connection:main').status).toBe('not_run');
    expect(writesTo(h.sim, 'POST', CONNECTION)).toEqual([]);
  });

  it('leaves the record re-read as the instance holds it: unverified, no mismatches, the verification ok', async () => {
    const h = await startHarness('fresh');
    await provisioned(h);
    const plan = await planFor(h, mainInactive());
    h.sim.faults.add({ kind: 'forbidden', match: { method: 'PATCH', table: CONNECTION } });
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('failed');
    expect(stepOf(record, 'connection:main').status).toBe('failed');
    const kept = recordOf(record, 'connection:main');
    // The re-read after the writes was made: the record shows the instance unchanged.
    expect(kept.after).toMatchObject({ name: MAIN_CONNECTION, active: 'true' });
    expect(kept.verified).toBe(false);
    // Mismatches are of a write that was made and does not hold: a refused write has none.
    expect(kept.mismatches).toEqual([]);
    // Every write that was made holds (there was none): the failure is the refusal, not the verification.
    expect(record.verification).toMatchObject({ ok: true });
    expect(record.verification?.requests).toBeGreaterThan(0);
  });

  it('keeps the verification ok when the writes made before it hold', async () => {
    const h = await singleRequestHarness();
    h.sim.faults.add({ kind: 'forbidden', match: { method: 'POST', table: CREDENTIALS }, skip: 1 });
    const record = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    expect(record.status).toBe('failed');
    expect(stepOf(record, 'credential:main').status).toBe('done');
    expect(stepOf(record, 'credential:clientCred').status).toBe('failed');
    expect(recordOf(record, 'credential:main').verified).toBe(true);
    expect(record.verification?.ok).toBe(true);
  });
});

describe('a write whose dependency has no sys_id', () => {
  it('is not sent, and says why', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h);
    // An interrupted run journaled the main credential done, but without the sys_id its answer lacked.
    const done: JournalEntry = { t: 'done', actionId: 'credential:main', sysId: null, at: AT };
    await leaveJournal(h.dir, 'a-nosysid', [
      startEntry('a-nosysid', plan),
      intentEntry(plan, 'credential:main'),
      done,
    ]);
    const resumed = await resumeApply({ client: h.client, dir: h.dir, retry: RETRY });
    expect(resumed?.status).toBe('failed');
    expect(stepOf(resumed!, 'connection:main')).toMatchObject({
      status: 'not_run',
      settled: 'Not sent: a record it depends on was not written.',
    });
    expect(writesTo(h.sim, 'POST', CONNECTION)).toEqual([]);
  });
});

describe('a blocked plan', () => {
  it('makes no re-read after, reports no verification, and keeps the before-state the plan saw', async () => {
    const h = await startHarness('fresh');
    await provisioned(h);
    const plan = await planFor(h, mainInactive());
    const update = plan.actions.find((a) => a.id === 'connection:main')!;
    expect(update.op).toBe('update');
    const blocked: Plan = {
      ...plan,
      actions: plan.actions.map((a) =>
        a.id === 'connection:clientCred' ? { ...a, op: 'blocked', reason: 'The name is taken.' } : a,
      ),
    };
    h.sim.clearLog();
    const record = await applyPlan({ client: h.client, plan: blocked, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('failed');
    expect(stepOf(record, 'connection:main').status).toBe('not_run');
    expect(h.sim.log).toEqual([]);
    expect(record.verification).toBeNull();
    expect(recordOf(record, 'connection:main').before).toMatchObject({
      active: 'true',
      name: MAIN_CONNECTION,
    });
  });
});

describe("the record's before-state", () => {
  it('is what the instance held just before the write, not the older snapshot of the plan', async () => {
    const h = await startHarness('fresh');
    await provisioned(h);
    const plan = await planFor(h, mainInactive());
    expect(plan.actions.find((a) => a.id === 'connection:main')?.before?.active).toBe('true');
    // Someone switches it off between the plan and the apply.
    h.sim.db.update(CONNECTION, mainRow(h).sys_id!, { active: 'false' });
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('succeeded');
    expect(recordOf(record, 'connection:main').before).toMatchObject({ active: 'false' });
  });
});

describe('a verification that cannot re-read', () => {
  it("leaves a rollback's deletes unverified: a failed re-read proves no absence", async () => {
    const h = await startHarness('fresh');
    const applied = await provisioned(h);
    const plan = await rollbackPlanOf(h, applied);
    const sim = h.sim;
    const rollback = await applyRollback({
      client: h.client,
      record: applied,
      plan,
      dir: h.dir,
      retry: RETRY,
      onProgress: (p) => {
        if (p.phase === 'verifying') sim.faults.add({ kind: 'status', status: 500, match: {} });
      },
    });
    expect(rollback.steps.every((s) => s.status === 'done')).toBe(true);
    expect(rowsNamed(sim, CONNECTION, MAIN_CONNECTION)).toEqual([]);
    expect(rollback.status).toBe('failed');
    expect(rollback.verification).toBeNull();
    expect(rollback.records.map((r) => r.verified)).toEqual(Array(4).fill(false));
  });
});

describe('a write the apply did not make', () => {
  it('is never verified, even when the instance happens to show its intended state', async () => {
    const h = await singleRequestHarness();
    const applied = await provisioned(h);
    const plan = await rollbackPlanOf(h, applied);
    // The first DELETE is refused: the others are not sent.
    h.sim.faults.add({ kind: 'forbidden', match: { method: 'DELETE' }, times: 1 });
    const sim = h.sim;
    let goneId: string | null = null;
    const rollback = await applyRollback({
      client: h.client,
      record: applied,
      plan,
      dir: h.dir,
      retry: RETRY,
      onProgress: (p) => {
        // Someone else deletes a record the rollback did not get to, before the re-read.
        if (p.phase !== 'verifying') return;
        const row = sim.db.rows(CREDENTIALS)[0]!;
        goneId = row.sys_id!;
        sim.db.delete(CREDENTIALS, goneId);
      },
    });
    expect(rollback.status).toBe('failed');
    const gone = rollback.records.find((r) => r.sysId === goneId)!;
    expect(rollback.steps.find((s) => s.sysId === goneId)?.status).toBe('not_run');
    expect(gone.after).toBeNull();
    expect(gone.verified).toBe(false);
  });
});

describe('an apply with nothing to write', () => {
  it('reports a verification that passed without a request', async () => {
    const h = await startHarness('fresh');
    await provisioned(h);
    const plan = await planFor(h);
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('succeeded');
    expect(record.verification).toEqual({ ok: true, checkedAt: expect.any(String), requests: 0 });
  });
});

describe('the Entra client secret', () => {
  it('is remembered once every registry it went to was re-read and verified', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h, entraDesired(h), { entraSecret: 'unknown' });
    expect(plan.registries?.map((r) => r.secret)).toEqual(['set', 'set']);
    const secret = keychain(h);
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: RETRY,
      registrySecret: secret,
    });
    expect(record.status).toBe('succeeded');
    expect(record.records.filter((r) => r.actionId.startsWith('registry')).map((r) => r.verified)).toEqual([
      true,
      true,
    ]);
    expect(secret.kept).toEqual([h.sim.entraApp.clientSecret]);
  });

  it('is not remembered as written when a registry it went to cannot be re-read', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h, entraDesired(h), { entraSecret: 'unknown' });
    const secret = keychain(h);
    const sim = h.sim;
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: RETRY,
      registrySecret: secret,
      onProgress: (p) => {
        // Someone deletes a registry between its write and the re-read.
        if (p.phase !== 'verifying') return;
        const { entityName } = Object.values(OAUTH_REGISTRIES)[0]!;
        const row = sim.db.find('oauth_entity', (r) => r.name === entityName)!;
        sim.db.delete('oauth_entity', row.sys_id!);
      },
    });
    expect(record.status).toBe('failed');
    const registries = record.records.filter((r) => r.actionId.startsWith('registry'));
    expect(registries.map((r) => r.verified).sort()).toEqual([false, true]);
    expect(secret.kept).toEqual([]);
  });

  it('is not reported written when no write carried it, and an apply without a keychain has no note', async () => {
    const h = await startHarness('fresh');
    for (const { entityName } of Object.values(OAUTH_REGISTRIES)) {
      const row = h.sim.db.find('oauth_entity', (r) => r.name === entityName)!;
      h.sim.db.update('oauth_entity', row.sys_id!, { client_secret: 'entered-by-hand' });
    }
    const plan = await planFor(h, entraDesired(h), { entraSecret: 'missing' });
    expect(plan.registries?.map((r) => r.secret)).toEqual(['unchanged', 'unchanged']);
    const secret = keychain(h);
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: RETRY,
      registrySecret: secret,
    });
    expect(record.status).toBe('succeeded');
    expect(secret.kept).toEqual([]);

    const plain = await applyPlan({
      client: h.client,
      plan: await planFor(h, mainInactive()),
      dir: h.dir,
      retry: RETRY,
    });
    expect(plain.status).toBe('succeeded');
    expect(plain.notes).toBeUndefined();
  });
});
