// The requests src/main/engine/run.ts sends for a write that goes on its own and whose answer is lost: the
// write and the re-read that settles it are made in the scope discovery read the record in (an admin of
// a sub-domain must reach a record of another domain, docs/servicenow.md §3.7), an update is re-read by
// its sys_id and a create by its own name, and nothing is sent again once the re-read finds the change.
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/main/engine';
import {
  CONNECTION,
  MAIN_CONNECTION,
  mainInactive,
  planFor,
  provisioned,
  RETRY,
  rowsNamed,
  singleRequestHarness,
  stepOf,
  writesTo,
  type Harness,
  LOSES_ANSWERS,
} from './harness';

const LOST = (code: string) =>
  `The answer was lost (${code}), but a re-read found the change on the instance: not sent again.`;

/** The simulator's log of requests to `path`, in order, as method and query. */
const requestsTo = (harness: Harness, path: string) =>
  harness.sim.log.filter((e) => e.path === path).map((e) => ({ method: e.method, query: e.query }));

describe('an update sent on its own whose answer was lost after it ran', () => {
  it('is sent and re-read by its sys_id across domains, found written, and not sent again', async () => {
    const h = await singleRequestHarness(LOSES_ANSWERS);
    await provisioned(h);
    const sysId = rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)[0]!.sys_id!;
    const plan = await planFor(h, mainInactive());
    h.sim.clearLog();
    h.sim.faults.add({ kind: 'hang_after_commit', match: { method: 'PATCH', table: CONNECTION }, times: 1 });
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });

    expect(stepOf(record, 'connection:main')).toMatchObject({ status: 'done', settled: LOST('timeout') });
    const calls = requestsTo(h, `/api/now/table/${CONNECTION}/${sysId}`);
    expect(calls.map((c) => c.method)).toEqual(['PATCH', 'GET']);
    for (const c of calls) expect(c.query.sysparm_query_no_domain).toBe('true');
    expect(rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)[0]?.active).toBe('false');
  });
});

describe('a create sent on its own whose answer was lost after it ran', () => {
  it('is re-read by its own name across domains, found written, and not sent again', async () => {
    const h = await singleRequestHarness(LOSES_ANSWERS);
    const plan = await planFor(h);
    h.sim.clearLog();
    h.sim.faults.add({ kind: 'hang_after_commit', match: { method: 'POST', table: CONNECTION }, times: 1 });
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });

    expect(stepOf(record, 'connection:main')).toMatchObject({ status: 'done', settled: LOST('timeout') });
    expect(writesTo(h.sim, 'POST', CONNECTION)).toHaveLength(2);
    // After the pre-write read of both connections (nameIN…), the settling re-read of this one alone (then
    // the closing verification's read by sys_id).
    const lists = requestsTo(h, `/api/now/table/${CONNECTION}`).filter((c) => c.method === 'GET');
    expect(lists.slice(0, 2).map((c) => c.query.sysparm_query)).toEqual([
      `nameIN${MAIN_CONNECTION},${MAIN_CONNECTION}_clientCred`,
      `name=${MAIN_CONNECTION}`,
    ]);
    expect(lists[1]?.query).toMatchObject({ sysparm_query_no_domain: 'true', sysparm_limit: '10' });
    expect(rowsNamed(h.sim, CONNECTION, MAIN_CONNECTION)).toHaveLength(1);
  });
});
