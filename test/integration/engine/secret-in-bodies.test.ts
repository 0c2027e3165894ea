// The Entra client secret travels only where it is stored: in the body of the two Application Registry
// writes (oauth_entity), never in a credential's or a connection's, though they leave in the same batch.
// The instance would drop an unknown field, so only the request shows it (the simulator logs each batch
// item's field names, never their values).
import { describe, expect, it } from 'vitest';
import { applyPlan, buildPlan, discover } from '../../../src/main/engine';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import { RETRY, startHarness } from './harness';

describe('the Entra client secret in the writes of an apply', () => {
  it('is in the registries’ bodies only', async () => {
    const h = await startHarness('fresh');
    const desired: DesiredState = {
      ...defaultDesiredState(),
      entra: { tenant: h.sim.entraApp.tenantId, clientId: h.sim.entraApp.clientId },
    };
    const outcome = await discover(h.client, { desired });
    if (!outcome.ok) throw new Error(outcome.message);
    const plan = buildPlan(outcome.snapshot, desired, new Date(), { entraSecret: 'unknown' });
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: RETRY,
      registrySecret: { read: async () => h!.sim.entraApp.clientSecret, written: async () => {} },
    });
    expect(record.status).toBe('succeeded');
    const writes = h.sim.log.flatMap((e) => e.items ?? []).filter((i) => i.method !== 'GET');
    const carrying = writes.filter((i) => i.fields.includes('client_secret')).map((i) => i.table);
    expect(carrying).toEqual(['oauth_entity', 'oauth_entity']);
    // The connections left in the same batch as the registries.
    expect(writes.filter((i) => i.table === 'http_connection')).toHaveLength(2);
  });
});
