// Fleet runs, the offline queue and drift with an Entra app (issue 10), against the embedded simulator:
// the queue keeps the desired state with the Entra app and never the secret; an apply whose instance has
// no stored secret fails before anything is sent, naming the instance and where to enter it; the secret's
// expiry rides along in the per-instance summaries and counts as a drift finding within 30 days.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOfflineQueue, detectDrift, planMany, runMany } from '../../../src/main/fleet';
import { MemorySecretStore } from '../../../src/main/secrets/memory-store';
import { saveEntraSecret } from '../../../src/main/secrets/entra-secret';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import { clientFor, connectionNames, startFleet, type Fleet } from './helpers';

let fleet: Fleet | null = null;
afterEach(async () => {
  await fleet?.close();
  fleet = null;
});

const FAST = { initialMs: 20, maxMs: 100 };
const NOW = new Date('2026-12-06T15:00:00.000Z');
const TENANT = '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e';
const CLIENT = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';
const CANARY = 'canary-ENTRA-secret-7c1d~queued';
const never = () => () => undefined; // a schedule that never fires: the test drives the queue

const withEntra = (secretExpires?: string): DesiredState => ({
  ...defaultDesiredState(),
  entra: { tenant: TENANT, clientId: CLIENT, ...(secretExpires ? { secretExpires } : {}) },
});

describe('the offline queue with an Entra app', () => {
  it('stores the Entra app (never the secret) and fails an entry whose instance has no stored secret', async () => {
    // The stand-in Entra app of each instance takes the canary as its client secret.
    fleet = await startFleet(2, { entra: { clientSecret: CANARY } });
    const [sim1, sim2] = fleet.sims;
    const [id1, id2] = fleet.ids;
    const secrets = new MemorySecretStore();
    await saveEntraSecret(secrets, id2!, CANARY);
    sim1!.faults.add({ kind: 'hibernate' });
    const connect = async (id: string) => clientFor(id === id1 ? sim1! : sim2!);
    const queue = createOfflineQueue({
      workspace: fleet.workspace,
      connect,
      secrets,
      backoff: FAST,
      schedule: never,
      now: () => NOW,
    });

    const answer = await queue.requestApply(id1!, withEntra('2027-06-30'));
    expect(answer.queued).toBe(true);
    await queue.enqueue(id2!, withEntra(), 'offline', {
      entraCheck: { authority: sim2!.entraApp.authority },
    });
    const file = await readFile(join(fleet.workspace.dir, 'queue.json'), 'utf8');
    const stored = JSON.parse(file) as {
      data: { entries: Array<{ desired: DesiredState; entraCheck?: unknown }> };
    };
    expect(stored.data.entries.map((e) => e.entraCheck)).toEqual([
      undefined,
      { authority: sim2!.entraApp.authority },
    ]);
    expect(stored.data.entries.map((e) => e.desired.entra)).toEqual([
      { tenant: TENANT, clientId: CLIENT, secretExpires: '2027-06-30' },
      { tenant: TENANT, clientId: CLIENT },
    ]);
    expect(file).not.toContain(CANARY);

    // The first instance has no secret in the keychain: its entry fails at once, even while asleep.
    const outcomes = await queue.drainNow();
    const blocked = outcomes.find((o) => o.instanceId === id1)!;
    expect(blocked).toMatchObject({ status: 'blocked', ok: false });
    expect(blocked.message).toContain('Customer 1: no Entra client secret is stored for this instance');
    expect(blocked.message).toContain('Microsoft Entra app');
    expect(blocked.message).toContain(`spokesmith apply ${id1}`);
    const entry1 = queue.list().find((e) => e.instanceId === id1)!;
    expect(entry1).toMatchObject({ status: 'failed', lastError: blocked.message, nextAttemptAt: null });
    expect(connectionNames(sim1!)).toEqual([]);
    expect(fleet.workspace.instances.get(id1!)?.statusMessage).toBe(blocked.message);
    // The second has its secret: the apply ran, read it from the keychain and checked the Entra app
    // where the entry says (the instance's stand-in), with the canary.
    const ran = outcomes.find((o) => o.instanceId === id2)!;
    expect(ran.message).not.toContain('no Entra client secret');
    expect(ran.plan?.entraCheck).toMatchObject({ status: 'passed', authority: sim2!.entraApp.authority });
    expect(ran.ok).toBe(true);
    expect(connectionNames(sim2!)).toEqual([
      'Exchange_Online_Connection',
      'Exchange_Online_Connection_clientCred',
    ]);
    expect(JSON.stringify(outcomes)).not.toContain(CANARY);
    expect(await readFile(join(fleet.workspace.dir, 'queue.json'), 'utf8')).not.toContain(CANARY);
    await queue.stop();
  });

  it('without a keychain at all, an Entra entry fails the same way; one without an Entra app runs', async () => {
    fleet = await startFleet(1);
    const sim = fleet.sims[0]!;
    const id = fleet.ids[0]!;
    const queue = createOfflineQueue({
      workspace: fleet.workspace,
      connect: async () => clientFor(sim),
      backoff: FAST,
      schedule: never,
    });
    const answer = await queue.requestApply(id, withEntra());
    expect(answer.queued).toBe(false);
    if (answer.queued) return;
    expect(answer.outcome.status).toBe('blocked');
    expect(answer.outcome.message).toContain('no Entra client secret is stored');
    expect(connectionNames(sim)).toEqual([]);

    const plain = await queue.requestApply(id, defaultDesiredState());
    expect(plain.queued).toBe(false);
    if (plain.queued) return;
    expect(plain.outcome.status).toBe('provisioned');
    await queue.stop();
  });
});

describe('the Entra check of a queued apply', () => {
  it('a declined check travels with the entry; without one the queue’s own setting is used', async () => {
    fleet = await startFleet(1, { entra: { clientSecret: CANARY } });
    const sim = fleet.sims[0]!;
    const id = fleet.ids[0]!;
    const secrets = new MemorySecretStore();
    await saveEntraSecret(secrets, id, CANARY);
    const queue = createOfflineQueue({
      workspace: fleet.workspace,
      connect: async () => clientFor(sim),
      secrets,
      entraCheck: { authority: sim.entraApp.authority },
      backoff: FAST,
      schedule: never,
    });
    const declined = await queue.requestApply(id, withEntra(), { entraCheck: false });
    expect(declined.queued).toBe(false);
    if (declined.queued) return;
    expect(declined.outcome.plan?.entraCheck).toMatchObject({ status: 'skipped' });

    // The queue's setting (the stand-in) with a wrong secret in the keychain: the check fails, nothing
    // more is written, and the entry fails with the check's words.
    await saveEntraSecret(secrets, id, 'not-the-secret');
    const checked = await queue.requestApply(id, withEntra());
    expect(checked.queued).toBe(false);
    if (checked.queued) return;
    expect(checked.outcome.plan?.entraCheck).toMatchObject({ status: 'failed', field: 'clientSecret' });
    expect(checked.outcome.ok).toBe(false);
    expect(queue.list().at(-1)).toMatchObject({ status: 'failed' });
    await queue.stop();
  });
});

describe('runMany with an Entra app', () => {
  it('blocks the instance whose secret is missing before sending anything; the others run', async () => {
    fleet = await startFleet(2);
    const secrets = new MemorySecretStore();
    const progress: string[] = [];
    const targets = fleet.targets();
    const result = await runMany({
      targets: [{ ...targets[0]!, desired: withEntra() }, targets[1]!],
      workspace: fleet.workspace,
      secrets,
      onProgress: (p) => p.phase === 'failed' && progress.push(`${p.instanceId}: ${p.message}`),
    });
    expect(result.failed).toEqual([fleet.ids[0]]);
    expect(result.succeeded).toEqual([fleet.ids[1]]);
    expect(result.unreachable).toEqual([]);
    expect(result.outcomes[0]!.message).toContain('Customer 1: no Entra client secret');
    expect(progress).toEqual([`${fleet.ids[0]}: ${result.outcomes[0]!.message}`]);
    expect(connectionNames(fleet.sims[0]!)).toEqual([]);
    expect(fleet.sims[0]!.log).toEqual([]); // nothing was sent to it
  });
});

describe('secret expiry across the fleet', () => {
  it('drift lists an instance whose secret expires within 30 days as expiring; 31 days or unknown is not', async () => {
    fleet = await startFleet(3);
    const targets = fleet.targets();
    const result = await detectDrift({
      targets: [
        { ...targets[0]!, desired: withEntra('2027-01-05') }, // 30 days
        { ...targets[1]!, desired: withEntra('2027-01-06') }, // 31 days
        targets[2]!, // no Entra app
      ],
      workspace: fleet.workspace,
      now: () => NOW,
    });
    expect(result.expiring).toEqual([fleet.ids[0]]);
    expect(result.drifted).toEqual([]);
    expect(result.outcomes.map((o) => o.secretExpiry?.message ?? null)).toEqual([
      'client secret expires in 30 days',
      'client secret expires in 31 days',
      null,
    ]);
    expect(result.outcomes[0]).toMatchObject({
      state: 'never_applied',
      secretExpiry: { warn: true, daysLeft: 30 },
    });
  });

  it('the plan-many summary carries each instance’s secret expiry, also when planned offline', async () => {
    fleet = await startFleet(2);
    fleet.sims[1]!.faults.add({ kind: 'hibernate' });
    const targets = fleet.targets();
    const result = await planMany({
      targets: [
        { ...targets[0]!, desired: withEntra('2026-12-20') },
        { ...targets[1]!, desired: withEntra('2027-12-20') },
      ],
      workspace: fleet.workspace,
      now: () => NOW,
    });
    expect(result.instances.map((i) => [i.secretExpiry?.daysLeft, i.secretExpiry?.warn])).toEqual([
      [14, true],
      [379, false],
    ]);
    expect(result.instances[1]!.ok).toBe(false); // unreachable, no snapshot: still dated
  });
});
