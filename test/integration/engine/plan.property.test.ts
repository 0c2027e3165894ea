// The planner's central properties against the simulator (its business rules and field handling included):
// for random forms on each seeded instance, applying the plan and discovering again gives a plan with
// nothing left to do, and a blocked plan writes nothing; the apply changes no row outside the two aliases'
// connections and the forms' credentials; its rollback gives every row back field by field. Pure variants
// with random snapshots are in test/unit/domain/planner.property.test.ts. fast-check prints the seed of a
// failing run.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan, applyRollback, buildPlan, discover, planRollback } from '../../../src/main/engine';
import { validateDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import { isBlocked } from '../../../src/shared/domain/plan';
import type { ScenarioName, Simulator } from '../../../src/main/simulator';
import { isWrite, openHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await openHarness('fresh');
});
afterAll(() => h.close());

const NAMES = [
  'Exchange_Online_Connection',
  'Exchange_Online_Connection_clientCred',
  'MS Graph 1',
  'Ops Connection',
];
const CREDENTIALS = [
  'Exchange_Online_Credentials',
  'Exchange_Online_Credentials_clientCred',
  'MS Graph 2',
  'Ops Credential',
];
const SCENARIOS: ScenarioName[] = ['fresh', 'credentials', 'wcs', 'domains'];

const formArb = (alias: string) =>
  fc
    .record({
      name: fc.constantFrom(...NAMES),
      credential: fc.constantFrom(...CREDENTIALS),
      connectionUrl: fc.constantFrom('https://graph.microsoft.com', 'https://graph.microsoft.com/v1.0'),
      active: fc.boolean(),
      domain: fc.constantFrom('global', 'INITECH'),
      grant: fc.constantFrom('authorization_code' as const, 'client_credentials' as const),
      mid: fc.constantFrom('none', 'auto', 'mid-demo-01'),
    })
    .map((f) => ({
      alias,
      name: f.name,
      credential: f.credential,
      urlBuilder: false,
      connectionUrl: f.connectionUrl,
      useMid: f.mid !== 'none',
      ...(f.mid === 'auto' ? { midSelection: 'auto' as const } : {}),
      ...(f.mid === 'mid-demo-01' ? { midSelection: 'server' as const, midServer: f.mid } : {}),
      midCapabilities: [],
      active: f.active,
      domain: f.domain,
      grant: f.grant,
    }));

const desiredArb: fc.Arbitrary<DesiredState> = fc
  .record({
    main: formArb('Microsoft_Exchange_Online'),
    clientCred: formArb('Microsoft_Exchange_Online_clientCred'),
  })
  .map((input) => validateDesiredState(input).desired)
  .filter((d): d is DesiredState => d !== undefined);

async function planOn(desired: DesiredState) {
  const outcome = await discover(h.client, { desired });
  if (!outcome.ok) throw new Error(outcome.message);
  return buildPlan(outcome.snapshot, desired, new Date());
}

describe('plan → apply → discover → plan, on the simulator', () => {
  it('leaves nothing to do; a blocked plan writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SCENARIOS), desiredArb, async (scenario, desired) => {
        h.sim.reset(scenario);
        const plan = await planOn(desired);
        const dir = await mkdtemp(join(tmpdir(), 'spokesmith-prop-'));
        try {
          h.sim.clearLog();
          if (isBlocked(plan)) {
            const record = await applyPlan({ client: h.client, plan, dir });
            expect(record.status).toBe('failed');
            expect(h.sim.log.filter((e) => isWrite(e.method))).toEqual([]);
            return;
          }
          const record = await applyPlan({ client: h.client, plan, dir });
          expect(record.status, JSON.stringify(record.steps)).toBe('succeeded');
          const again = await planOn(desired);
          expect(again.actions.map((a) => `${a.id} ${a.op}`)).toEqual(
            again.actions.map((a) => `${a.id} noop`),
          );
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 30 },
    );
  });
});

// Bookkeeping the instance itself keeps on every write; a rollback cannot (and need not) give it back.
const AUDIT_FIELDS = new Set(['sys_updated_on', 'sys_updated_by', 'sys_mod_count']);

/** Every row of the instance by table and sys_id, without the instance's own bookkeeping. */
function rowsOf(sim: Simulator): Map<string, Record<string, string>> {
  const rows = new Map<string, Record<string, string>>();
  for (const [table, tableRows] of Object.entries(sim.db.dump())) {
    for (const row of tableRows) {
      const fields = Object.fromEntries(Object.entries(row).filter(([k]) => !AUDIT_FIELDS.has(k)));
      rows.set(`${table}/${row.sys_id}`, fields);
    }
  }
  return rows;
}

/** Keys of the rows added, removed or changed between two states. */
function changedRows(
  before: Map<string, Record<string, string>>,
  after: Map<string, Record<string, string>>,
) {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => JSON.stringify(before.get(k)) !== JSON.stringify(after.get(k)));
}

describe('what an apply and its rollback change, on the simulator', () => {
  it("touches only the two aliases' connections and the forms' credentials; the rollback restores every row", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SCENARIOS), desiredArb, async (scenario, desired) => {
        h.sim.reset(scenario);
        const discovered = await discover(h.client, { desired });
        if (!discovered.ok) throw new Error(discovered.message);
        const plan = buildPlan(discovered.snapshot, desired, new Date());
        fc.pre(!isBlocked(plan));
        const dir = await mkdtemp(join(tmpdir(), 'spokesmith-prop-'));
        try {
          const before = rowsOf(h.sim);
          const record = await applyPlan({ client: h.client, plan, dir });
          expect(record.status, JSON.stringify(record.steps)).toBe('succeeded');
          const after = rowsOf(h.sim);

          const aliasIds = new Set(
            [discovered.snapshot.aliases.main?.sysId, discovered.snapshot.aliases.clientCred?.sysId].filter(
              (id) => id !== undefined,
            ),
          );
          const credentialNames = new Set([desired.main.credential, desired.clientCred.credential]);
          for (const key of changedRows(before, after)) {
            const row = after.get(key) ?? before.get(key)!;
            const [table] = key.split('/');
            if (table === 'oauth_2_0_credentials') {
              expect(credentialNames.has(row.name ?? ''), `${key} ${row.name}`).toBe(true);
            } else {
              expect(table, key).toBe('http_connection');
              // The connection belongs to one of the two aliases before or after the apply.
              const owners = [before.get(key)?.connection_alias, after.get(key)?.connection_alias];
              expect(
                owners.some((id) => id !== undefined && aliasIds.has(id)),
                `${key} ${row.name}`,
              ).toBe(true);
            }
          }

          const fresh = await discover(h.client, { desired });
          if (!fresh.ok) throw new Error(fresh.message);
          const rollbackPlan = planRollback(record, fresh.snapshot);
          expect(rollbackPlan.actions.filter((a) => a.op === 'blocked')).toEqual([]);
          const rollback = await applyRollback({ client: h.client, record, plan: rollbackPlan, dir });
          expect(rollback.status, JSON.stringify(rollback.steps)).toBe('succeeded');
          const restored = rowsOf(h.sim);
          expect(changedRows(before, restored).map((k) => [k, before.get(k), restored.get(k)])).toEqual([]);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 25 },
    );
  });
});
