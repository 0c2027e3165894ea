// What an apply reads before it writes, and when it reads the Entra client secret (src/main/engine/run.ts):
// nothing when there is nothing to write or the plan is blocked; the touched records again unless the plan
// carries a before-state this process just discovered; the keychain only when a registry write carries
// the secret (a keychain may ask the user to unlock it: it is not opened for nothing). And the apply's id.
import { describe, expect, it } from 'vitest';
import { applyPlan, type ProgressListener, type RegistrySecret } from '../../../src/main/engine';
import { newApplyId } from '../../../src/main/engine/run';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import type { Plan } from '../../../src/shared/domain/plan';
import { OAUTH_REGISTRIES } from '../../../src/shared/servicenow/spoke';
import { planFor, RETRY, startHarness, writeCount, type Harness, entraDesired } from './harness';

/** A keychain stand-in that counts how often the apply asked for the secret. */
function countingSecret(h: Harness): RegistrySecret & { reads: number } {
  const secret = {
    reads: 0,
    read: async () => {
      secret.reads += 1;
      return h.sim.entraApp.clientSecret;
    },
    written: async () => {},
  };
  return secret;
}

function phases(): { seen: string[]; onProgress: ProgressListener } {
  const seen: string[] = [];
  return { seen, onProgress: (p) => void seen.push(p.phase) };
}

/** Both registries already hold a client secret (someone entered it by hand). */
function registriesHoldASecret(harness: Harness): void {
  for (const { entityName } of Object.values(OAUTH_REGISTRIES)) {
    const row = harness.sim.db.find('oauth_entity', (r) => r.name === entityName)!;
    harness.sim.db.update('oauth_entity', row.sys_id!, { client_secret: 'entered-by-hand' });
  }
}

describe('the Entra client secret', () => {
  it('is not read when the registry updates keep the secret the registries hold', async () => {
    const h = await startHarness('fresh');
    registriesHoldASecret(h);
    const plan = await planFor(h, entraDesired(h), { entraSecret: 'missing' });
    // The registries get their client ID and endpoints, not a secret.
    expect(plan.registries?.map((r) => [r.op, r.secret])).toEqual([
      ['update', 'unchanged'],
      ['update', 'unchanged'],
    ]);
    const secret = countingSecret(h);
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: RETRY,
      registrySecret: secret,
    });
    expect(record.status).toBe('succeeded');
    expect(secret.reads).toBe(0);
  });

  it('is read once when a registry write sets it', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h, entraDesired(h), { entraSecret: 'unknown' });
    expect(plan.registries?.map((r) => r.secret)).toEqual(['set', 'set']);
    const secret = countingSecret(h);
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: RETRY,
      registrySecret: secret,
    });
    expect(record.status).toBe('succeeded');
    expect(secret.reads).toBe(1);
  });

  it('is not read, and nothing is sent, when the plan is blocked', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h, entraDesired(h), { entraSecret: 'unknown' });
    // A connection the plan cannot write (e.g. its name is taken on another alias) blocks the whole plan.
    const blocked: Plan = {
      ...plan,
      actions: plan.actions.map((a, i) =>
        i === plan.actions.length - 1 ? { ...a, op: 'blocked', reason: 'The name is taken.' } : a,
      ),
    };
    h.sim.clearLog();
    const secret = countingSecret(h);
    const { seen, onProgress } = phases();
    const record = await applyPlan({
      client: h.client,
      plan: blocked,
      dir: h.dir,
      retry: RETRY,
      registrySecret: secret,
      onProgress,
    });
    expect(record.status).not.toBe('succeeded');
    expect(secret.reads).toBe(0);
    expect(h.sim.log).toEqual([]);
    expect(seen).not.toContain('discovering');
  });
});

describe('the pre-write re-read', () => {
  it('is not made, and nothing is sent, by an apply with nothing to write', async () => {
    const h = await startHarness('fresh');
    await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    const upToDate = await planFor(h);
    expect(upToDate.actions.every((a) => a.op === 'noop')).toBe(true);
    h.sim.clearLog();
    const { seen, onProgress } = phases();
    const record = await applyPlan({
      client: h.client,
      plan: upToDate,
      dir: h.dir,
      retry: RETRY,
      onProgress,
    });
    expect(record.status).toBe('succeeded');
    expect(seen).not.toContain('discovering');
    // Only the verification's re-read, if any: no write, and no read of the touched records first.
    expect(writeCount(h.sim)).toBe(0);
    expect(h.sim.log.length).toBeLessThanOrEqual(1);
  });

  it('is made for a plan from this run whose writes lack their before-state, never trusting it', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h);
    const withoutBefore: Plan = {
      ...plan,
      actions: plan.actions.map((a, i) => {
        if (i !== 0) return a;
        const { before: _before, ...rest } = a;
        return rest as typeof a;
      }),
    };
    const { seen, onProgress } = phases();
    const record = await applyPlan({
      client: h.client,
      plan: withoutBefore,
      dir: h.dir,
      retry: RETRY,
      freshPlan: true,
      onProgress,
    });
    expect(record.status).toBe('succeeded');
    expect(seen[0]).toBe('discovering');
  });

  it("is skipped for a fresh plan, whose before-state then goes into the apply's record", async () => {
    const h = await startHarness('fresh');
    await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    const desired = defaultDesiredState();
    desired.main = { ...desired.main, active: false };
    const plan = await planFor(h, desired);
    const update = plan.actions.find((a) => a.op === 'update')!;
    expect(update.before?.active).toBe('true');
    const { seen, onProgress } = phases();
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: RETRY,
      freshPlan: true,
      onProgress,
    });
    expect(record.status).toBe('succeeded');
    expect(seen).not.toContain('discovering');
    const kept = record.records.find((r) => r.sysId === update.sysId);
    expect(kept?.before).toMatchObject({ active: 'true', name: update.name });
  });
});

describe("an apply's id", () => {
  it('is its start time to the second in UTC, then six random hex digits: sortable, and a safe file name', () => {
    const at = new Date('2026-03-01T10:00:07.123Z');
    const id = newApplyId(at);
    expect(id).toMatch(/^20260301T100007Z-[0-9a-f]{6}$/);
    expect(newApplyId(new Date('2026-03-01T10:00:07.000Z'))).toMatch(/^20260301T100007Z-/);
  });
});
