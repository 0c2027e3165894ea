// Discovery of the Walk-up pieces (issue 10): the two Application Registries and the two Walk-up flows
// come in the same batch as everything else; the client secret is never read back, only whether it is set;
// an instance without them is still discoverable.
import { describe, expect, it } from 'vitest';
import { discover } from '../../../src/main/engine';
import type { RecordBeforeAfter } from '../../../src/shared/domain/apply';
import { hasWrites } from '../../../src/shared/domain/plan';
import { buildPlan } from '../../../src/shared/domain/planner';
import { planRollback } from '../../../src/shared/domain/rollback-planner';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import { flowId, secretState, spokeIds } from '../../../src/main/simulator';
import { WALKUP_FLOWS } from '../../../src/shared/servicenow/spoke';
import { call } from '../simulator/http';
import { startHarness } from './harness';

const SECRET = 'Walkup~Entra-Secret_42';
const withEntra = (): DesiredState => ({
  ...defaultDesiredState(),
  entra: { tenant: '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e', clientId: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f' },
});

describe('discover: Application Registries and Walk-up flows', () => {
  it('reads both registries and both flows in the one discovery batch', async () => {
    const h = await startHarness('fresh');
    h.sim.clearLog();
    const outcome = await discover(h.client, { userName: h.sim.users.admin.userName });
    expect(outcome.ok).toBe(true);
    expect(h.sim.log).toHaveLength(1);
    expect(h.sim.log[0]?.path).toContain('/batch');
    const s = outcome.snapshot;
    expect(s.registries).toEqual({
      authorization_code: {
        sysId: spokeIds.entity('authorization_code'),
        name: 'Microsoft Exchange Online',
        values: {
          client_id: '',
          default_grant_type: 'authorization_code',
          auth_url: '',
          token_url: '',
          redirect_url: '',
        },
        secretSet: false,
      },
      client_credentials: {
        sysId: spokeIds.entity('client_credentials'),
        name: 'Microsoft Exchange Online_clientCredentials',
        values: {
          client_id: '',
          default_grant_type: 'client_credentials',
          auth_url: '',
          token_url: '',
          redirect_url: '',
        },
        secretSet: false,
      },
    });
    expect(s.flows).toEqual(
      WALKUP_FLOWS.map((name) => ({ sysId: flowId(name), name, active: false, status: 'published' })),
    );
  });

  it('knows that a secret is set without ever holding it', async () => {
    const h = await startHarness('fresh');
    const id = spokeIds.entity('client_credentials');
    const written = await call(
      h.sim,
      'PATCH',
      `/api/now/table/oauth_entity/${id}?sysparm_input_display_value=true`,
      {
        body: { client_secret: SECRET, client_id: 'abc' },
      },
    );
    expect(written.status).toBe(200);
    const outcome = await discover(h.client, { desired: withEntra() });
    const cc = outcome.snapshot.registries?.client_credentials;
    expect(cc?.secretSet).toBe(true);
    expect(cc?.values.client_id).toBe('abc');
    expect(cc?.values).not.toHaveProperty('client_secret');
    expect(outcome.snapshot.registries?.authorization_code?.secretSet).toBe(false);
    const text = JSON.stringify(outcome.snapshot);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('********');
  });

  it('sees an activated flow', async () => {
    const h = await startHarness('fresh');
    const name = WALKUP_FLOWS[1];
    h.sim.db.update('sys_hub_flow', flowId(name), { active: 'true' }, { user: 'admin' });
    const outcome = await discover(h.client);
    expect(outcome.snapshot.flows?.find((f) => f.name === name)?.active).toBe(true);
  });

  it('an instance without the spoke or Walk-up is still discoverable: registries null, no flows', async () => {
    const h = await startHarness('no-spoke');
    const outcome = await discover(h.client);
    expect(outcome.ok).toBe(false);
    expect(outcome.snapshot.registries).toEqual({ authorization_code: null, client_credentials: null });
    expect(outcome.snapshot.flows).toEqual([]);
  });

  it('without the Batch API: registries read by a plain GET when the desired state has an Entra app', async () => {
    const h = await startHarness('fresh');
    h.sim.faults.add({ kind: 'forbidden', match: { pathIncludes: '/batch' } });
    const outcome = await discover(h.client, { desired: withEntra() });
    expect(outcome.ok).toBe(true);
    expect(outcome.snapshot.registries?.authorization_code?.name).toBe('Microsoft Exchange Online');
    // Flows are not needed for a plan: left out, and said so.
    expect(outcome.snapshot).not.toHaveProperty('flows');
    expect(outcome.snapshot.unread).toContain('sys_hub_flow: not read (the instance refuses the Batch API)');
  });

  it('a refused registry read leaves registries out (the planner then asks to discover again)', async () => {
    const h = await startHarness('fresh');
    h.sim.faults.add({ kind: 'forbidden', match: { pathIncludes: '/batch' } });
    h.sim.faults.add({ kind: 'forbidden', match: { table: 'oauth_entity' } });
    const outcome = await discover(h.client, { desired: withEntra() });
    expect(outcome.ok).toBe(true);
    expect(outcome.snapshot).not.toHaveProperty('registries');
    expect(outcome.snapshot.unread?.some((u) => u.startsWith('oauth_entity: '))).toBe(true);
  });
});

describe('registry plan round trip against the simulator (what apply will do next session)', () => {
  it('plan → write → re-discover: the same secret plans nothing; rollback restores the shipped values', async () => {
    const h = await startHarness('fresh');
    const sim = h.sim;
    const desired = withEntra();
    const first = await discover(h.client, { desired });
    const plan = buildPlan(first.snapshot, desired, new Date('2026-12-06T12:00:00Z'), {
      entraSecret: 'unknown',
    });
    expect(plan.registries?.map((r) => `${r.op} ${r.secret}`)).toEqual(['update set', 'update set']);

    // Write each registry as apply will: the planned body plus the secret, as an encrypted field.
    const records: RecordBeforeAfter[] = [];
    for (const r of plan.registries ?? []) {
      const written = await call(
        sim,
        'PATCH',
        `/api/now/table/oauth_entity/${r.sysId}?sysparm_input_display_value=true`,
        {
          body: { ...r.body, client_secret: SECRET },
        },
      );
      expect(written.status).toBe(200);
      expect(secretState(sim.db.get('oauth_entity', r.sysId ?? '')?.client_secret)).toBe('usable');
      records.push({
        actionId: r.id,
        table: r.table,
        sysId: r.sysId,
        name: r.name,
        op: 'update',
        before: r.before,
        after: { ...(r.before ?? {}), ...r.body },
        verified: true,
        mismatches: [],
      });
    }

    const second = await discover(h.client, { desired });
    const again = buildPlan(second.snapshot, desired, new Date('2026-12-06T12:05:00Z'), {
      entraSecret: 'unchanged',
    });
    expect(again.registries?.map((r) => `${r.op} ${r.secret}`)).toEqual(['noop unchanged', 'noop unchanged']);
    expect(hasWrites({ ...again, actions: [] })).toBe(false);

    const rollback = planRollback(
      {
        version: 1,
        applyId: 'a1',
        kind: 'apply',
        instanceUrl: sim.url,
        startedAt: '2026-12-06T12:00:00.000Z',
        finishedAt: '2026-12-06T12:00:01.000Z',
        status: 'succeeded',
        plan,
        steps: records.map((r) => ({
          actionId: r.actionId,
          table: r.table,
          name: r.name,
          op: 'update',
          status: 'done',
          sysId: r.sysId,
        })),
        records,
        verification: null,
        nextSteps: [],
        requests: 0,
      },
      second.snapshot,
    );
    for (const r of rollback.registries ?? []) {
      expect(r.body).not.toHaveProperty('client_secret');
      const restored = await call(sim, 'PATCH', `/api/now/table/oauth_entity/${r.sysId}`, { body: r.body });
      expect(restored.status).toBe(200);
    }
    const third = await discover(h.client, { desired });
    expect(third.snapshot.registries?.authorization_code?.values).toEqual(
      first.snapshot.registries?.authorization_code?.values,
    );
    expect(third.snapshot.registries?.client_credentials?.values).toEqual(
      first.snapshot.registries?.client_credentials?.values,
    );
  });
});
