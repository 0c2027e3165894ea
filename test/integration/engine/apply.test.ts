import { describe, expect, it } from 'vitest';
import {
  applyPlan,
  applyRollback,
  buildPlan,
  createApplyStore,
  discover,
  planRollback,
  resumeApply,
  tokenStatus,
} from '../../../src/main/engine';
import { readFile } from 'node:fs/promises';
import { journalPath, readJournal } from '../../../src/main/engine/journal';
import { recordPath } from '../../../src/main/engine/apply-store';
import { renderReport } from '../../../src/main/engine/report';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import type { Plan } from '../../../src/shared/domain/plan';
import type { ServiceNowClient } from '../../../src/main/servicenow';
import { rowsNamed, startHarness, writeCount, writesSent, type Harness } from './harness';

async function planFor(
  client: ServiceNowClient,
  desired: DesiredState = defaultDesiredState(),
): Promise<Plan> {
  const outcome = await discover(client, { desired });
  if (!outcome.ok) throw new Error(outcome.message);
  return buildPlan(outcome.snapshot, desired, new Date());
}

const NAMES = [
  ['oauth_2_0_credentials', 'Exchange_Online_Credentials'],
  ['oauth_2_0_credentials', 'Exchange_Online_Credentials_clientCred'],
  ['http_connection', 'Exchange_Online_Connection'],
  ['http_connection', 'Exchange_Online_Connection_clientCred'],
] as const;

function expectExactlyOneEach(sim: Harness['sim']) {
  for (const [table, name] of NAMES) expect(rowsNamed(sim, table, name), `${table} ${name}`).toHaveLength(1);
}

describe('apply against the simulator', () => {
  it('fresh: one write per created record, verified in ≤ 2 GETs, a second apply writes nothing', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h.client);
    h.sim.clearLog();
    const phases: string[] = [];
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      onProgress: (p) => phases.push(p.phase),
    });

    expect(record.status).toBe('succeeded');
    expect(record.steps.map((s) => `${s.op}:${s.status}`)).toEqual(Array(4).fill('create:done'));
    const writes = writesSent(h.sim);
    expect(writes).toHaveLength(4);
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      'POST /api/now/table/oauth_2_0_credentials',
      'POST /api/now/table/oauth_2_0_credentials',
      'POST /api/now/table/http_connection',
      'POST /api/now/table/http_connection',
    ]);
    // One Batch API request per wave: the credentials, then the connections that need their sys_ids.
    expect(writes[0]?.batch).not.toBeNull();
    expect(writes[1]?.batch).toBe(writes[0]?.batch);
    expect(writes[3]?.batch).toBe(writes[2]?.batch);
    expect(writes[2]?.batch).not.toBe(writes[0]?.batch);
    expect(record.verification?.ok).toBe(true);
    // Both tables re-read in one batch.
    expect(record.verification?.requests).toBe(1);
    // Pre-write re-read, two write batches, verification.
    expect(record.requests).toBe(4);
    expect(phases).toContain('verifying');
    expect(phases.at(-1)).toBe('done');
    expectExactlyOneEach(h.sim);

    // The connection references the credential the plan created.
    const cred = rowsNamed(h.sim, 'oauth_2_0_credentials', 'Exchange_Online_Credentials')[0];
    const conn = rowsNamed(h.sim, 'http_connection', 'Exchange_Online_Connection')[0];
    expect(conn?.credential).toBe(cred?.sys_id);
    expect(conn?.connection_url).toBe('https://graph.microsoft.com');
    expect(conn?.active).toBe('true');

    // Before/after of every field of every touched record.
    const connRecord = record.records.find((r) => r.actionId === 'connection:main');
    expect(connRecord?.before).toBeNull();
    expect(connRecord?.after?.name).toBe('Exchange_Online_Connection');
    expect(connRecord?.after?.sys_created_on).toBeTruthy();
    expect(connRecord?.verified).toBe(true);

    // Next steps: credential URLs, oauth_initiator for the Authorization Code credential.
    const main = record.nextSteps.find((n) => n.credentialName === 'Exchange_Online_Credentials');
    expect(main?.credentialUrl).toBe(`${h.sim.url}/oauth_2_0_credentials.do?sys_id=${cred?.sys_id}`);
    expect(main?.authorizeUrl).toContain('/oauth_initiator.do?oauth_requestor_context=oauth_2_0_credentials');
    expect(main?.authorizeUrl).toContain(`oauth_requestor=${cred?.sys_id}`);
    expect(record.nextSteps.find((n) => n.grant === 'client_credentials')?.authorizeUrl).toBeNull();

    // Stored, and the journal is finished.
    const store = createApplyStore(h.dir);
    expect((await store.latestRecord())?.applyId).toBe(record.applyId);
    expect(await store.unfinished()).toBeNull();
    const journal = await readJournal(journalPath(h.dir, record.applyId));
    expect(journal.entries.at(-1)).toMatchObject({ t: 'finished', status: 'succeeded' });

    // No secret reaches the journal, the stored record or the report.
    const files = [
      await readFile(journalPath(h.dir, record.applyId), 'utf8'),
      await readFile(recordPath(h.dir, record.applyId), 'utf8'),
      renderReport(record, { format: 'html', instanceName: 'sim' }),
    ].join('\n');
    expect(files).not.toContain(h.sim.users.admin.password);
    expect(files).not.toContain(Buffer.from(`admin:${h.sim.users.admin.password}`).toString('base64'));

    // Again: all noop, zero writes, zero requests from apply.
    const again = await planFor(h.client);
    expect(again.actions.every((a) => a.op === 'noop')).toBe(true);
    h.sim.clearLog();
    const second = await applyPlan({ client: h.client, plan: again, dir: h.dir });
    expect(second.status).toBe('succeeded');
    expect(writeCount(h.sim)).toBe(0);
    expect(h.sim.log).toHaveLength(0);

    // Tokens: none yet, read-only.
    const tokens = await tokenStatus(
      h.client,
      record.nextSteps.map((n) => ({ name: n.credentialName, sysId: n.credentialSysId })),
    );
    expect(tokens.map((t) => t.hasToken)).toEqual([false, false]);
  });

  it('credentials scenario: only the two connections are written', async () => {
    const h = await startHarness('credentials');
    const plan = await planFor(h.client);
    h.sim.clearLog();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir });
    expect(record.status).toBe('succeeded');
    expect(writeCount(h.sim)).toBe(2);
    expectExactlyOneEach(h.sim);
  });

  it('wcs: adopts MS Graph 1/2 (renamed, re-pointed), no second connection; rollback restores them', async () => {
    const h = await startHarness('wcs');
    const plan = await planFor(h.client);
    const before = h.sim.db.filter('http_connection', () => true).length;
    const record = await applyPlan({ client: h.client, plan, dir: h.dir });
    expect(record.status).toBe('succeeded');
    expect(h.sim.db.filter('http_connection', () => true)).toHaveLength(before);
    expect(rowsNamed(h.sim, 'http_connection', 'MS Graph 1')).toHaveLength(0);
    expectExactlyOneEach(h.sim);
    const adopted = record.records.find((r) => r.actionId === 'connection:main');
    expect(adopted?.before?.name).toBe('MS Graph 1');
    expect(adopted?.after?.name).toBe('Exchange_Online_Connection');

    // Rollback: restore the names and credentials, delete the two credentials the apply created.
    const fresh = await discover(h.client);
    const rollbackPlan = planRollback(record, fresh.snapshot);
    expect(rollbackPlan.actions.map((a) => `${a.op}:${a.table}`)).toEqual([
      'update:http_connection',
      'update:http_connection',
      'delete:oauth_2_0_credentials',
      'delete:oauth_2_0_credentials',
    ]);
    const rb = await applyRollback({ client: h.client, dir: h.dir, record, plan: rollbackPlan });
    expect(rb.kind).toBe('rollback');
    expect(rb.status).toBe('succeeded');
    expect(rowsNamed(h.sim, 'http_connection', 'MS Graph 1')).toHaveLength(1);
    expect(rowsNamed(h.sim, 'http_connection', 'MS Graph 1')[0]?.credential).toBe(
      rowsNamed(h.sim, 'oauth_2_0_credentials', 'MS Graph 1')[0]?.sys_id,
    );
    expect(rowsNamed(h.sim, 'oauth_2_0_credentials', 'Exchange_Online_Credentials')).toHaveLength(0);
    expect(rowsNamed(h.sim, 'http_connection', 'Exchange_Online_Connection')).toHaveLength(0);
  });

  it('fresh rollback deletes everything the apply created, connections first', async () => {
    const h = await startHarness('fresh');
    const record = await applyPlan({ client: h.client, plan: await planFor(h.client), dir: h.dir });
    const snap = await discover(h.client);
    const plan = planRollback(record, snap.snapshot);
    expect(plan.actions.map((a) => `${a.op}:${a.kind}`)).toEqual([
      'delete:connection',
      'delete:connection',
      'delete:credential',
      'delete:credential',
    ]);
    h.sim.clearLog();
    const rb = await applyRollback({ client: h.client, dir: h.dir, record, plan });
    expect(rb.status).toBe('succeeded');
    const deletes = writesSent(h.sim);
    expect(deletes.map((d) => `${d.method} ${d.path.split('/')[4]}`)).toEqual([
      'DELETE http_connection',
      'DELETE http_connection',
      'DELETE oauth_2_0_credentials',
      'DELETE oauth_2_0_credentials',
    ]);
    // No delete needs another's sys_id: one batch, run in plan order (connections first).
    expect(new Set(deletes.map((d) => d.batch)).size).toBe(1);
    for (const [table, name] of NAMES) expect(rowsNamed(h.sim, table, name)).toHaveLength(0);
    expect((await createApplyStore(h.dir).listRecords()).map((r) => r.kind)).toEqual(['rollback', 'apply']);
  });

  it('freshPlan: a fresh apply is 4 requests (discovery, credentials, connections, verification)', async () => {
    const h = await startHarness('fresh');
    h.sim.clearLog();
    const plan = await planFor(h.client);
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, freshPlan: true });
    expect(record.status).toBe('succeeded');
    expect(record.verification?.ok).toBe(true);
    expect(h.sim.log.map((e) => e.path)).toEqual(Array(4).fill('/api/now/v1/batch'));
    expect(record.requests).toBe(3);
    expectExactlyOneEach(h.sim);
    // The before-state comes from the plan, and is journaled as always.
    expect(record.records.every((r) => r.before === null)).toBe(true);
    const journal = await readJournal(journalPath(h.dir, record.applyId));
    expect(journal.entries.find((e) => e.t === 'before')).toMatchObject({
      records: Object.fromEntries(plan.actions.map((a) => [a.id, null])),
    });
  });

  it('without freshPlan the same apply re-reads first: 5 requests', async () => {
    const h = await startHarness('fresh');
    h.sim.clearLog();
    const record = await applyPlan({ client: h.client, plan: await planFor(h.client), dir: h.dir });
    expect(record.status).toBe('succeeded');
    expect(h.sim.log).toHaveLength(5);
  });

  it("freshPlan with updates: the before-state is the plan's, and nothing is re-read before writing", async () => {
    const h = await startHarness('fresh');
    await applyPlan({ client: h.client, plan: await planFor(h.client), dir: h.dir });
    const desired = defaultDesiredState();
    desired.main.connectionUrl = 'https://graph.microsoft.us';
    desired.clientCred.connectionUrl = 'https://graph.microsoft.us';
    const plan = await planFor(h.client, desired);
    expect(plan.actions.filter((a) => a.op === 'update').map((a) => a.kind)).toEqual([
      'connection',
      'connection',
    ]);
    h.sim.clearLog();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir, freshPlan: true });
    expect(record.status).toBe('succeeded');
    // One batch of both PATCHes, one verification batch.
    expect(h.sim.log).toHaveLength(2);
    expect(writesSent(h.sim).map((w) => w.method)).toEqual(['PATCH', 'PATCH']);
    const conn = record.records.find((r) => r.actionId === 'connection:main');
    expect(conn?.before).toEqual(plan.actions.find((a) => a.id === 'connection:main')?.before);
    expect(conn?.before?.['connection_url']).toBe('https://graph.microsoft.com');
    expect(conn?.after?.['connection_url']).toBe('https://graph.microsoft.us');
  });

  it('a blocked plan writes nothing', async () => {
    const h = await startHarness('fresh');
    const desired = defaultDesiredState();
    desired.main.domain = 'Nowhere';
    const plan = await planFor(h.client, desired);
    h.sim.clearLog();
    const record = await applyPlan({ client: h.client, plan, dir: h.dir });
    expect(record.status).toBe('failed');
    expect(writeCount(h.sim)).toBe(0);
    expect(record.steps.every((s) => s.status !== 'done')).toBe(true);
  });

  it('resume with nothing unfinished returns null', async () => {
    const h = await startHarness('fresh');
    expect(await resumeApply({ client: h.client, dir: h.dir })).toBeNull();
    expect(h.sim.log).toHaveLength(0);
  });
});
