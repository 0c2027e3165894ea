import { describe, expect, it } from 'vitest';
import { FaultRegistry } from '../../../src/main/simulator/faults/registry';

const get = { method: 'GET', table: 'sys_alias', path: '/api/now/table/sys_alias' };
const post = { method: 'POST', table: 'http_connection', path: '/api/now/table/http_connection' };

describe('FaultRegistry', () => {
  it('answers with the first matching fault and sums latencies', () => {
    const faults = new FaultRegistry(5);
    faults.add({ kind: 'latency', ms: 10 });
    faults.add({ kind: 'status', status: 503, match: { method: 'post' } });
    faults.add({ kind: 'hibernate' });
    expect(faults.select(get)).toEqual({ latencyMs: 15, answer: { kind: 'hibernate' } });
    expect(faults.select(post).answer).toMatchObject({ kind: 'status', status: 503 });
  });

  it('matches on table and path', () => {
    const faults = new FaultRegistry(0);
    faults.add({ kind: 'reset', match: { table: 'http_connection' } });
    faults.add({ kind: 'hang', match: { pathIncludes: 'sys_alias' } });
    expect(faults.select(post).answer?.kind).toBe('reset');
    expect(faults.select(get).answer?.kind).toBe('hang');
    expect(faults.select({ method: 'GET', table: null, path: '/oauth_token.do' }).answer).toBeNull();
  });

  it('skips the first N matches and expires after `times` uses', () => {
    const faults = new FaultRegistry(0);
    faults.add({ kind: 'unauthorized', skip: 1, times: 2 });
    const kinds = [1, 2, 3, 4].map(() => faults.select(get).answer?.kind ?? null);
    expect(kinds).toEqual([null, 'unauthorized', 'unauthorized', null]);
    expect(faults.list()).toEqual([]);
  });

  it('removes one fault, clears all, and sets the base latency', () => {
    const faults = new FaultRegistry(0);
    const remove = faults.add({ kind: 'hibernate' });
    faults.add({ kind: 'quota_cancel' });
    remove();
    expect(faults.list().map((f) => f.spec.kind)).toEqual(['quota_cancel']);
    faults.clear();
    faults.setLatency(42);
    expect(faults.select(get)).toEqual({ latencyMs: 42, answer: null });
  });

  it('does not count a request against a fault that a previous fault already answered', () => {
    const faults = new FaultRegistry(0);
    faults.add({ kind: 'hibernate', times: 1 });
    faults.add({ kind: 'forbidden', times: 1 });
    expect(faults.select(get).answer?.kind).toBe('hibernate');
    expect(faults.select(get).answer?.kind).toBe('forbidden');
    expect(faults.select(get).answer).toBeNull();
  });
});
