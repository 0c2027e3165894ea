// What the one discovery batch asks the instance for. A customer instance holds thousands of rows in the
// tables discovery reads (connections, properties, flows, roles), and its answers are untrusted in size:
// each read names the fields it compares and is capped, and a read of a table that holds more than the
// spoke's records asks for those records by name, so the cap never cuts them off and the answer stays small.
// The simulator answers an unnarrowed read just as well, so only the request itself shows the difference.
import { describe, expect, it } from 'vitest';
import { discover } from '../../../src/main/engine';
import type { RequestLogEntry } from '../../../src/main/simulator';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import {
  ALIASES,
  OAUTH_REGISTRIES,
  SPOKE_SCOPE,
  TABLES,
  WALKUP_FLOWS,
} from '../../../src/shared/servicenow/spoke';
import { startHarness } from './harness';

type BatchItem = NonNullable<RequestLogEntry['items']>[number];

/** The items of the discovery batch, by table (each table is read once), and the user it signed in as. */
async function discoveryReads(): Promise<{ reads: Map<string, BatchItem>; userName: string }> {
  const h = await startHarness('fresh');
  const outcome = await discover(h.client, {
    desired: defaultDesiredState(),
    userName: h.sim.users.admin.userName,
  });
  expect(outcome.ok).toBe(true);
  const batches = h.sim.log.filter((e) => e.items);
  expect(batches).toHaveLength(1);
  const items = batches[0]!.items!;
  expect(items.every((i) => i.method === 'GET')).toBe(true);
  return { reads: new Map(items.map((i) => [i.table ?? i.path, i])), userName: h.sim.users.admin.userName };
}

describe('the reads of the discovery batch', () => {
  it('each names the fields it reads and asks for a bounded number of rows', async () => {
    const { reads } = await discoveryReads();
    expect(reads.size).toBeGreaterThanOrEqual(12);
    for (const [table, item] of reads) {
      const fields = item.query.sysparm_fields?.split(',').filter(Boolean) ?? [];
      expect(fields.length, `${table}: sysparm_fields`).toBeGreaterThan(0);
      expect(Number(item.query.sysparm_limit), `${table}: sysparm_limit`).toBeGreaterThan(0);
    }
    // The user's own record is one row.
    expect(reads.get(TABLES.user)?.query.sysparm_limit).toBe('1');
  });

  it("asks for the spoke's own records by name where the table holds others", async () => {
    const { reads, userName: user } = await discoveryReads();
    const query = (table: string) => reads.get(table)?.query.sysparm_query ?? '';
    const names = (table: string, expected: readonly string[]) => {
      for (const name of expected) expect(query(table), `${table} asks for ${name}`).toContain(name);
    };
    names(TABLES.alias, [ALIASES.main.id, ALIASES.clientCred.id]);
    expect(query('sys_scope')).toBe(`scope=${SPOKE_SCOPE}`);
    const registries = Object.values(OAUTH_REGISTRIES).map((r) => r.entityName);
    names(TABLES.oauthEntity, registries);
    names(TABLES.oauthProfile, registries);
    // Only each registry's default profile: the one the spoke's credentials are bound to.
    expect(query(TABLES.oauthProfile)).toContain('default=true');
    names(TABLES.flow, WALKUP_FLOWS);
    names(TABLES.property, ['glide.buildtag']);
    expect(query(TABLES.user)).toBe(`user_name=${user}`);
    // Only the roles the user holds now: an inactive grant gives no right to write.
    expect(query(TABLES.userRole)).toBe(`user.user_name=${user}^state=active`);
  });
});
