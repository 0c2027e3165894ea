import { afterEach, describe, expect, it } from 'vitest';
import { detectDrift, runMany } from '../../../src/main/fleet';
import { startFleet, type Fleet } from './helpers';

let fleet: Fleet | null = null;
afterEach(async () => {
  await fleet?.close();
  fleet = null;
});

describe('drift', () => {
  it('reports the instances whose records changed since the last apply, field by field', async () => {
    fleet = await startFleet(4);
    const targets = fleet.targets();
    const applied = await runMany({
      targets: targets.slice(0, 3),
      concurrency: 3,
      workspace: fleet.workspace,
    });
    expect(applied.failed).toEqual([]);

    // Instance 1: someone edits the connection URL and deactivates it on the instance.
    const sim1 = fleet.sims[0]!;
    const connection = sim1.db.find('http_connection', (r) => r.name === 'Exchange_Online_Connection')!;
    sim1.db.update('http_connection', connection.sys_id!, {
      connection_url: 'https://graph.example.com',
      active: 'false',
    });
    // Instance 2: someone deletes the clientCred connection.
    const sim2 = fleet.sims[1]!;
    const gone = sim2.db.find('http_connection', (r) => r.name === 'Exchange_Online_Connection_clientCred')!;
    sim2.db.delete('http_connection', gone.sys_id!);
    // Instance 3: only saved again without change (system fields move, configuration does not).
    const sim3 = fleet.sims[2]!;
    const same = sim3.db.find('http_connection', (r) => r.name === 'Exchange_Online_Connection')!;
    sim3.db.update('http_connection', same.sys_id!, { name: 'Exchange_Online_Connection' });

    const result = await detectDrift({ targets, workspace: fleet.workspace });
    expect(result.drifted).toEqual([fleet.ids[0], fleet.ids[1]]);
    const [first, second, third, fourth] = result.outcomes;
    if (first?.state !== 'drift' || second?.state !== 'drift') throw new Error('expected drift');
    expect(first.report.differences).toEqual([
      {
        record: 'Exchange_Online_Connection',
        table: 'http_connection',
        sysId: connection.sys_id,
        field: 'active',
        applied: 'true',
        current: 'false',
      },
      {
        record: 'Exchange_Online_Connection',
        table: 'http_connection',
        sysId: connection.sys_id,
        field: 'connection_url',
        applied: 'https://graph.microsoft.com',
        current: 'https://graph.example.com',
      },
    ]);
    expect(second.report.differences).toEqual([
      expect.objectContaining({
        record: 'Exchange_Online_Connection_clientCred',
        field: '(record)',
        applied: 'present',
        current: 'absent',
      }),
    ]);
    expect(third).toMatchObject({ state: 'in_sync' });
    expect(fourth).toMatchObject({ state: 'never_applied' });
    expect(fleet.workspace.instances.get(fleet.ids[0]!)?.status).toBe('drift');
    expect(fleet.workspace.instances.get(fleet.ids[2]!)?.status).toBe('provisioned');
  });
});
