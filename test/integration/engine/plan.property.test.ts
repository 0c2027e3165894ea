// The planner's central property against the simulator (its business rules and field handling included):
// for random forms on each seeded instance, applying the plan and discovering again gives a plan with
// nothing left to do, and a blocked plan writes nothing. Pure variants with random snapshots are in
// test/unit/domain/planner.property.test.ts. fast-check prints the seed of a failing run.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan, buildPlan, discover } from '../../../src/main/engine';
import { validateDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import { isBlocked } from '../../../src/shared/domain/plan';
import type { ScenarioName } from '../../../src/main/simulator';
import { isWrite, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('fresh');
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
