// What src/main/engine/run.ts promises of the writes it sends in Batch API requests and of the Entra client
// secret the registry writes carry: only a registry's fields go as typed values
// (sysparm_input_display_value, docs/servicenow.md §8); the secret is reported written only when every
// registry that was to get it was verified with it; a missing secret fails the registry write in plain words;
// a wave the instance keeps failing is tried the attempt limit, no more; a batch's deletes keep their sys_ids.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { applyPlan, applyRollback, journalPath, type RegistrySecret } from '../../../src/main/engine';
import type { Plan } from '../../../src/shared/domain/plan';
import { OAUTH_REGISTRIES } from '../../../src/shared/servicenow/spoke';
import {
  planFor,
  rowsNamed,
  startHarness,
  writesTo,
  type Harness,
  RETRY,
  stepOf,
  CONNECTION,
  entraDesired,
  rollbackPlanOf,
  LOSES_ANSWERS,
} from './harness';

const REGISTRY = 'oauth_entity';
const SECRET = 'batch-test-entra-secret';

/** The default forms and both registries, whose client secret the keychain holds but no registry has yet. */
async function registryPlan(harness: Harness): Promise<Plan> {
  const plan = await planFor(harness, entraDesired(harness), { entraSecret: 'unknown' });
  expect(plan.registries?.map((r) => [r.op, r.secret])).toEqual([
    ['update', 'set'],
    ['update', 'set'],
  ]);
  return plan;
}

/** A keychain holding `secret`, recording each secret the engine reports written. */
function keychain(secret: string | null): RegistrySecret & { reported: string[] } {
  const reported: string[] = [];
  return {
    reported,
    read: async () => secret,
    written: async (s) => void reported.push(s),
  };
}

describe('the registry writes', () => {
  it('alone go with sysparm_input_display_value=true, so the secret is stored encrypted', async () => {
    const h = await startHarness('fresh');
    const plan = await registryPlan(h);
    h.sim.clearLog();
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: RETRY,
      registrySecret: keychain(SECRET),
    });
    expect(record.status).toBe('succeeded');
    const items = h.sim.log.flatMap((e) => e.items ?? []).filter((i) => i.method !== 'GET');
    expect(items.map((i) => [i.method, i.table, i.query['sysparm_input_display_value'] ?? null])).toEqual([
      ['POST', 'oauth_2_0_credentials', null],
      ['POST', 'oauth_2_0_credentials', null],
      ['POST', CONNECTION, null],
      ['POST', CONNECTION, null],
      ['PATCH', REGISTRY, 'true'],
      ['PATCH', REGISTRY, 'true'],
    ]);
  });

  it('report the secret written once every registry that was to get it was verified with it', async () => {
    const h = await startHarness('fresh');
    const plan = await registryPlan(h);
    const secret = keychain(SECRET);
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: RETRY,
      registrySecret: secret,
    });
    expect(record.status).toBe('succeeded');
    expect(secret.reported).toEqual([SECRET]);
  });

  it('do not report the secret written when one registry’s re-read shows no secret', async () => {
    const h = await startHarness('fresh');
    const sim = h.sim;
    const plan = await registryPlan(h);
    const secret = keychain(SECRET);
    const emptied = OAUTH_REGISTRIES.authorization_code.entityName;
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: RETRY,
      registrySecret: secret,
      onProgress: (p) => {
        // Someone empties one registry's secret between the write and the verification's re-read.
        if (p.phase !== 'verifying') return;
        const row = sim.db.find(REGISTRY, (r) => r.name === emptied)!;
        sim.db.update(REGISTRY, row.sys_id!, { client_secret: '' });
      },
    });
    expect(record.records.filter((r) => r.table === REGISTRY).map((r) => [r.name, r.verified])).toEqual([
      [emptied, false],
      [OAUTH_REGISTRIES.client_credentials.entityName, true],
    ]);
    // The next plan must not call the secret `unchanged`: it was not reported written.
    expect(secret.reported).toEqual([]);
  });

  it('without a secret in the keychain are failed unsent, in plain words', async () => {
    const h = await startHarness('fresh');
    const plan = await registryPlan(h);
    const secret = keychain(null);
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: RETRY,
      registrySecret: secret,
    });
    expect(record.status).toBe('failed');
    const registry = plan.registries![0]!;
    expect(stepOf(record, registry.id)).toMatchObject({ status: 'failed', settled: 'Not sent.' });
    expect(stepOf(record, registry.id).error).toEqual({
      code: 'unexpected',
      message: `"${registry.name}" needs the Entra client secret, and none is stored in the keychain for this instance: enter it and apply again.`,
      ambiguous: false,
    });
    expect(writesTo(h.sim, 'PATCH', REGISTRY)).toEqual([]);
    expect(secret.reported).toEqual([]);
  });
});

describe('a wave in one Batch API request', () => {
  it('answered 503 every time is sent the attempt limit, with the backoff between, then failed', async () => {
    const h = await startHarness('fresh', { retry: { limit: 0 } });
    const plan = await planFor(h);
    h.sim.faults.add({ kind: 'status', status: 503, match: { method: 'POST', table: CONNECTION } });
    const waits: number[] = [];
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: { ...RETRY, sleep: async (ms: number) => void waits.push(ms) },
    });
    expect(record.status).toBe('failed');
    // Both connections travel in each batch.
    expect(writesTo(h.sim, 'POST', CONNECTION)).toHaveLength(2 * RETRY.maxAttempts);
    expect(waits).toEqual([1, 2]);
    for (const id of ['connection:main', 'connection:clientCred'])
      expect(stepOf(record, id)).toMatchObject({
        status: 'failed',
        settled: `Not written: a re-read proved the change is not on the instance (after ${RETRY.maxAttempts} attempts).`,
      });
    expect(h.sim.db.rows(CONNECTION).filter((r) => r.name?.startsWith('Exchange_Online'))).toEqual([]);
  });

  it('of deletes reports each step with the sys_id of the record it deleted', async () => {
    const h = await startHarness('fresh');
    const applied = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    expect(applied.status).toBe('succeeded');
    const plan = await rollbackPlanOf(h, applied);
    const sysIds = applied.steps.map((s) => s.sysId);
    expect(sysIds.every((id) => typeof id === 'string')).toBe(true);
    const rollback = await applyRollback({
      client: h.client,
      record: applied,
      plan,
      dir: h.dir,
      retry: RETRY,
    });
    expect(rollback.status).toBe('succeeded');
    expect(writesTo(h.sim, 'DELETE', CONNECTION).every((w) => w.batch !== null)).toBe(true);
    expect(rollback.steps.map((s) => s.sysId).sort()).toEqual([...sysIds].sort());
    expect(rollback.records.map((r) => r.sysId).sort()).toEqual([...sysIds].sort());
    expect(rowsNamed(h.sim, CONNECTION, 'Exchange_Online_Connection')).toEqual([]);
  });

  it('whose answer was lost keeps in the journal how each item was settled, for a resume to repeat', async () => {
    const h = await startHarness('fresh', LOSES_ANSWERS);
    const plan = await planFor(h);
    h.sim.faults.add({ kind: 'hang_after_commit', match: { method: 'POST', table: CONNECTION }, times: 1 });
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    expect(record.status).toBe('succeeded');
    const lines = (await readFile(journalPath(h.dir, record.applyId), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: string; actionId?: string; settled?: string });
    const settled =
      'The answer was lost (timeout), but a re-read found the change on the instance: not sent again.';
    expect(
      lines.filter((l) => l.t === 'done' && l.actionId?.startsWith('connection:')).map((l) => l.settled),
    ).toEqual([settled, settled]);
  });
});
