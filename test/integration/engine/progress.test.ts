// The progress an apply, a rollback and a retried write report (what the app's progress view and the CLI
// print, step by step): each phase, the step's number out of the total, the action and its message.
import { describe, expect, it } from 'vitest';
import {
  applyPlan,
  applyRollback,
  discover,
  planRollback,
  type ProgressListener,
} from '../../../src/main/engine';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import { planFor, singleRequestHarness, startHarness, RETRY } from './harness';

type Reported = [phase: string, step: number, total: number, actionId: string | null, message: string];

function recorder(): { events: Reported[]; onProgress: ProgressListener } {
  const events: Reported[] = [];
  return {
    events,
    onProgress: (p) => events.push([p.phase, p.step, p.total, p.actionId, p.message]),
  };
}

const CRED = 'Exchange_Online_Credentials';
const CRED_CC = 'Exchange_Online_Credentials_clientCred';
const CONN = 'Exchange_Online_Connection';
const CONN_CC = 'Exchange_Online_Connection_clientCred';

describe('the progress reported', () => {
  it('by a fresh apply in two batches: each write announced, then confirmed, then the verification', async () => {
    const h = await startHarness('fresh');
    const { events, onProgress } = recorder();
    await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY, onProgress });
    expect(events).toEqual([
      ['discovering', 0, 4, null, 'Reading the records this apply touches'],
      ['writing', 1, 4, 'credential:main', `Creating ${CRED}`],
      ['writing', 2, 4, 'credential:clientCred', `Creating ${CRED_CC}`],
      ['written', 1, 4, 'credential:main', `Creating ${CRED}: done`],
      ['written', 2, 4, 'credential:clientCred', `Creating ${CRED_CC}: done`],
      ['writing', 3, 4, 'connection:main', `Creating ${CONN}`],
      ['writing', 4, 4, 'connection:clientCred', `Creating ${CONN_CC}`],
      ['written', 3, 4, 'connection:main', `Creating ${CONN}: done`],
      ['written', 4, 4, 'connection:clientCred', `Creating ${CONN_CC}: done`],
      ['verifying', 4, 4, null, 'Re-reading every touched record'],
      ['done', 4, 4, null, 'Applied and verified'],
    ]);
  });

  it('by a rollback: each delete named as one', async () => {
    const h = await startHarness('fresh');
    const applied = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    const snapshot = await discover(h.client, { desired: defaultDesiredState() });
    if (!snapshot.ok) throw new Error(snapshot.message);
    const { events, onProgress } = recorder();
    await applyRollback({
      client: h.client,
      record: applied,
      plan: planRollback(applied, snapshot.snapshot),
      dir: h.dir,
      retry: RETRY,
      onProgress,
    });
    expect(events.filter((e) => e[0] === 'writing').map((e) => e[4])).toEqual([
      `Deleting ${CONN}`,
      `Deleting ${CONN_CC}`,
      `Deleting ${CRED}`,
      `Deleting ${CRED_CC}`,
    ]);
    expect(events.at(-1)).toEqual(['done', 4, 4, null, 'Applied and verified']);
  });

  it('by an update: named as one', async () => {
    const h = await singleRequestHarness();
    await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    const desired = defaultDesiredState();
    desired.main = { ...desired.main, active: false };
    const { events, onProgress } = recorder();
    await applyPlan({
      client: h.client,
      plan: await planFor(h, desired),
      dir: h.dir,
      retry: RETRY,
      onProgress,
    });
    expect(events.filter((e) => e[0] === 'writing' || e[0] === 'written')).toEqual([
      ['writing', 1, 1, 'connection:main', `Updating ${CONN}`],
      ['written', 1, 1, 'connection:main', `Updating ${CONN}: done`],
    ]);
  });

  it('by a write sent on its own and retried: the wait, with the reason and the seconds', async () => {
    const h = await singleRequestHarness();
    h.sim.faults.add({
      kind: 'status',
      status: 503,
      match: { method: 'POST', table: 'http_connection' },
      times: 1,
    });
    const { events, onProgress } = recorder();
    await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY, onProgress });
    expect(events.slice(1, 8)).toEqual([
      ['writing', 1, 4, 'credential:main', `Creating ${CRED}`],
      ['written', 1, 4, 'credential:main', `Creating ${CRED}: done`],
      ['writing', 2, 4, 'credential:clientCred', `Creating ${CRED_CC}`],
      ['written', 2, 4, 'credential:clientCred', `Creating ${CRED_CC}: done`],
      ['writing', 3, 4, 'connection:main', `Creating ${CONN}`],
      [
        'waiting',
        3,
        4,
        'connection:main',
        'The instance had a server error (HTTP 503) on the request to create a http_connection record. Try again; if it ' +
          'persists, check the instance is up. Retrying in 1 s.',
      ],
      ['writing', 3, 4, 'connection:main', `Creating ${CONN}`],
    ]);
  });

  it('by a wave of a batch retried: the wait, with the reason and the seconds', async () => {
    const h = await startHarness('fresh');
    h.sim.faults.add({
      kind: 'status',
      status: 503,
      match: { method: 'POST', table: 'http_connection' },
      times: 1,
    });
    const { events, onProgress } = recorder();
    await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY, onProgress });
    const waiting = events.filter((e) => e[0] === 'waiting');
    expect(waiting).toHaveLength(1);
    expect(waiting[0]?.slice(0, 4)).toEqual(['waiting', 3, 4, 'connection:main']);
    expect(waiting[0]?.[4]).toMatch(/\(HTTP 503\).* Retrying in 1 s\.$/);
  });

  it('by an apply that stops: its last word is "Stopped"', async () => {
    const h = await startHarness('fresh');
    h.sim.faults.add({ kind: 'forbidden', match: { method: 'POST', table: 'http_connection' } });
    const { events, onProgress } = recorder();
    const record = await applyPlan({
      client: h.client,
      plan: await planFor(h),
      dir: h.dir,
      retry: RETRY,
      onProgress,
    });
    expect(record.status).toBe('failed');
    expect(events.at(-1)).toEqual(['failed', 4, 4, null, 'Stopped']);
  });
});
