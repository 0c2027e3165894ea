// An apply-many of a desired state with an Entra app, end to end on the embedded instance, and the report
// made from its record (issue 10): the registries written with the secret read from the keychain, the
// report listing them with the secret only as set / unchanged, the check, the flows and what is left —
// and the canary secret nowhere in the record, the report (HTML or JSON), or the workspace's files.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectDrift, runMany } from '../../../src/main/fleet';
import { findRecord } from '../../../src/main/operations';
import { reportData, reportFacts, renderReport } from '../../../src/main/engine/report';
import { saveEntraSecret } from '../../../src/main/secrets/entra-secret';
import { MemorySecretStore } from '../../../src/main/secrets/memory-store';
import { secretState } from '../../../src/main/simulator';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import { startFleet, type Fleet } from './helpers';

let fleet: Fleet | null = null;
afterEach(async () => {
  await fleet?.close();
  fleet = null;
});

const CANARY = 'canary-ENTRA-report-5b2e~value';
const NOW = new Date('2026-12-06T15:00:00.000Z');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('an Entra apply across the fleet, and its report', () => {
  it('writes both registries with the keychain’s secret; the report shows them and never the secret', async () => {
    fleet = await startFleet(1, { entra: { clientSecret: CANARY } });
    const sim = fleet.sims[0]!;
    const id = fleet.ids[0]!;
    const secrets = new MemorySecretStore();
    await saveEntraSecret(secrets, id, CANARY);
    const desired: DesiredState = {
      ...defaultDesiredState(),
      entra: { tenant: sim.entraApp.tenantId, clientId: sim.entraApp.clientId, secretExpires: '2026-12-20' },
    };
    const targets = [{ ...fleet.targets()[0]!, desired }];
    const run = () =>
      runMany({
        targets,
        workspace: fleet!.workspace,
        secrets,
        entraCheck: { authority: sim.entraApp.authority },
        now: () => NOW,
      });

    const first = await run();
    expect(first.failed).toEqual([]);
    const outcome = first.outcomes[0]!;
    expect(outcome.plan?.entraCheck?.status).toBe('passed');
    // Both registries now hold the client ID and a usable secret (written with display values).
    for (const registry of sim.db.rows('oauth_entity')) {
      expect(registry.client_id).toBe(sim.entraApp.clientId);
      expect(secretState(registry.client_secret)).toBe('usable');
    }

    const record = (await findRecord(fleet.workspace.instanceDir(id), outcome.record!.applyId))!;
    const facts = {
      ...reportFacts(await fleet.workspace.snapshots.latest(id), desired.entra),
      now: NOW,
    };
    const data = reportData(record, { instanceName: 'Customer 1', ...facts });
    expect(data.registries.map((r) => [r.name, r.status, r.secret])).toEqual([
      ['Microsoft Exchange Online', 'done', 'set'],
      ['Microsoft Exchange Online_clientCredentials', 'done', 'set'],
    ]);
    expect(data.records.map((r) => r.table)).not.toContain('oauth_entity');
    expect(data.entraCheck).toMatchObject({ status: 'passed', authority: sim.entraApp.authority });
    expect(data.secretExpiry).toMatchObject({ daysLeft: 14, warn: true });
    expect(data.leftToDo.map((s) => s.kind)).toContain('renew_secret');
    expect(data.leftToDo.map((s) => s.kind)).toContain('get_token');
    expect(data.leftToDo.map((s) => s.kind)).not.toContain('write_registry');

    for (const format of ['html', 'json'] as const) {
      const text = renderReport(record, { format, instanceName: 'Customer 1', ...facts });
      expect(text).toContain('Microsoft Exchange Online_clientCredentials');
      expect(text).not.toContain(CANARY);
    }
    expect(JSON.stringify(first)).not.toContain(CANARY);
    for (const file of await filesUnder(fleet.workspace.dir))
      expect(await readFile(file, 'utf8'), file).not.toContain(CANARY);

    // Again with the same secret: nothing to write, and the report of the first apply is unchanged.
    const again = await run();
    expect(again.outcomes[0]).toMatchObject({ ok: true, status: 'unchanged' });
    expect(again.outcomes[0]!.plan?.registries?.map((r) => [r.op, r.secret])).toEqual([
      ['noop', 'unchanged'],
      ['noop', 'unchanged'],
    ]);

    // Drift: nothing after the apply (the secret is never compared); a client ID edited on the
    // instance is found, and the secret's expiry within 30 days is a finding of its own.
    const clean = await detectDrift({ targets, workspace: fleet.workspace, now: () => NOW });
    expect(clean.drifted).toEqual([]);
    expect(clean.expiring).toEqual([id]);
    const registry = sim.db.find('oauth_entity', (r) => r.name === 'Microsoft Exchange Online')!;
    sim.db.update('oauth_entity', registry.sys_id!, { client_id: 'edited-by-hand' });
    const edited = await detectDrift({ targets, workspace: fleet.workspace, now: () => NOW });
    expect(edited.drifted).toEqual([id]);
    const outcome2 = edited.outcomes[0]!;
    expect('report' in outcome2 && outcome2.report.differences).toEqual([
      expect.objectContaining({
        table: 'oauth_entity',
        record: 'Microsoft Exchange Online',
        field: 'client_id',
        applied: sim.entraApp.clientId,
        current: 'edited-by-hand',
      }),
    ]);
  });
});
