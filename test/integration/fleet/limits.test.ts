// The fleet's limits, counted rather than timed: every call a target's client makes is counted while it is
// in flight against its simulator, and the test asserts on the highest count seen. Each simulator answers
// after a small latency so calls that may overlap do overlap.
import { afterEach, describe, expect, it } from 'vitest';
import { limitWrites, runMany } from '../../../src/main/fleet';
import type { ServiceNowClient } from '../../../src/main/servicenow';
import { startFleet, type Fleet } from './helpers';

let fleet: Fleet | null = null;
afterEach(async () => {
  await fleet?.close();
  fleet = null;
});

const WRITES = new Set(['create', 'update', 'remove']);

/** Counts in-flight calls of a client, per instance and in total. */
class InFlight {
  private readonly perInstance = new Map<string, number>();
  private writes = new Map<string, number>();
  private readonly peak = new Map<string, number>();
  maxInstances = 0;
  maxWritesPerInstance = 0;

  /** The most calls (reads and writes) that were in flight at once on one instance. */
  maxInFlight(id: string): number {
    return this.peak.get(id) ?? 0;
  }

  wrap(instanceId: string, client: ServiceNowClient): ServiceNowClient {
    return new Proxy(client, {
      get: (target, prop, receiver) => {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function' || prop === 'close') return value;
        return (...args: unknown[]) => {
          // The engine sends a wave of writes as one Batch API request: a batch with a write item is a write.
          const isWrite =
            WRITES.has(String(prop)) ||
            (prop === 'batch' &&
              Array.isArray(args[0]) &&
              (args[0] as { method?: string }[]).some((item) => item.method !== 'GET'));
          this.enter(instanceId, isWrite);
          const settle = () => this.leave(instanceId, isWrite);
          try {
            const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
            if (result instanceof Promise) return result.finally(settle);
            settle();
            return result;
          } catch (error) {
            settle();
            throw error;
          }
        };
      },
    });
  }

  private enter(id: string, isWrite: boolean) {
    const now = (this.perInstance.get(id) ?? 0) + 1;
    this.perInstance.set(id, now);
    this.peak.set(id, Math.max(this.peak.get(id) ?? 0, now));
    this.maxInstances = Math.max(
      this.maxInstances,
      [...this.perInstance.values()].filter((n) => n > 0).length,
    );
    if (isWrite) {
      const n = (this.writes.get(id) ?? 0) + 1;
      this.writes.set(id, n);
      this.maxWritesPerInstance = Math.max(this.maxWritesPerInstance, n);
    }
  }

  private leave(id: string, isWrite: boolean) {
    this.perInstance.set(id, (this.perInstance.get(id) ?? 1) - 1);
    if (isWrite) this.writes.set(id, (this.writes.get(id) ?? 1) - 1);
  }
}

async function slowFleet(count: number): Promise<Fleet> {
  const f = await startFleet(count);
  for (const sim of f.sims) sim.faults.add({ kind: 'latency', ms: 15 });
  return f;
}

describe('runMany limits', () => {
  for (const concurrency of [1, 2]) {
    it(`works on at most ${concurrency} instance(s) at a time, and uses every slot`, async () => {
      fleet = await slowFleet(4);
      const counter = new InFlight();
      const targets = fleet.targets().map((t) => ({ ...t, client: counter.wrap(t.instanceId, t.client) }));
      const result = await runMany({ targets, concurrency, workspace: fleet.workspace });
      expect(result.failed).toEqual([]);
      expect(counter.maxInstances).toBe(concurrency);
    });
  }

  it('never has more writes in flight on one instance than allowed', async () => {
    fleet = await slowFleet(2);
    const counter = new InFlight();
    const targets = fleet.targets().map((t) => ({ ...t, client: counter.wrap(t.instanceId, t.client) }));
    const result = await runMany({
      targets,
      concurrency: 2,
      writesPerInstance: 1,
      workspace: fleet.workspace,
    });
    expect(result.succeeded).toHaveLength(2);
    expect(counter.maxWritesPerInstance).toBe(1);
  });
});

describe('limitWrites', () => {
  for (const allowed of [1, 2] as const) {
    it(`lets ${allowed} write(s) through at a time on one instance; reads are not held back`, async () => {
      fleet = await slowFleet(1);
      const counter = new InFlight();
      const client = limitWrites(counter.wrap('one', fleet.clients[0]!), allowed);
      await Promise.all(
        Array.from({ length: 5 }, (_, i) => client.create('oauth_2_0_credentials', { name: `cred-${i}` })),
      );
      expect(counter.maxWritesPerInstance).toBe(allowed);
      expect(fleet.sims[0]!.db.rows('oauth_2_0_credentials').map((r) => r.name)).toHaveLength(5);

      const reads = Array.from({ length: 4 }, () => client.list('sys_alias', { limit: 1 }));
      const blockers = Array.from({ length: 2 }, (_, i) =>
        client.create('oauth_2_0_credentials', { name: `more-${i}` }),
      );
      await Promise.all([...reads, ...blockers]);
      // Reads went out beside the writes: more calls than the write limit were in flight on the instance.
      expect(counter.maxInFlight('one')).toBeGreaterThan(allowed);
    });
  }
});
