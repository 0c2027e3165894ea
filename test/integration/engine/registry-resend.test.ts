// A registry update that changes nothing but the client secret leaves no trace a re-read can see (the
// secret is never read back), so src/main/engine/run.ts sends it again when its answer is lost instead of
// taking the re-read for proof — and, when every answer is lost, says the secret is unconfirmed, not that
// a re-read proved it absent (docs/reliability.md §4.6).
import { describe, expect, it } from 'vitest';
import { applyPlan, type RegistrySecret } from '../../../src/main/engine';
import { planFor, singleRequestHarness, writesSent, RETRY, entraDesired, LOSES_ANSWERS } from './harness';

const REGISTRY = 'oauth_entity';

const keychain = (secret: string): RegistrySecret => ({
  read: async () => secret,
  written: async () => undefined,
});

describe('a registry update that only replaces the client secret', () => {
  it('whose every answer is lost is sent the attempt limit and reported unconfirmed, not absent', async () => {
    const h = await singleRequestHarness(LOSES_ANSWERS);
    const first = await applyPlan({
      client: h.client,
      plan: await planFor(h, entraDesired(h), { entraSecret: 'unknown' }),
      dir: h.dir,
      retry: RETRY,
      registrySecret: keychain('first-secret'),
    });
    expect(first.status).toBe('succeeded');
    const plan = await planFor(h, entraDesired(h), { entraSecret: 'replace' });
    const registry = plan.registries![0]!;
    expect([registry.op, registry.secret, registry.body]).toEqual(['update', 'replace', {}]);
    h.sim.faults.add({ kind: 'hang_after_commit', match: { method: 'PATCH', table: REGISTRY } });
    h.sim.clearLog();
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: RETRY,
      registrySecret: keychain('second-secret'),
    });
    expect(record.status).toBe('failed');
    // Sent again although the re-read found the registry: nothing it can read says the secret landed.
    expect(
      writesSent(h.sim).filter((w) => w.path === `/api/now/table/${REGISTRY}/${registry.sysId}`),
    ).toHaveLength(RETRY.maxAttempts);
    expect(record.steps.find((s) => s.actionId === registry.id)).toMatchObject({
      status: 'failed',
      settled: `Not confirmed: the client secret cannot be read back, and it was sent ${RETRY.maxAttempts} attempts without an answer. The next apply sends it again.`,
    });
  });
});
