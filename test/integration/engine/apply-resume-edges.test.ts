// applyPlan, resumeApply and applyRollback at the edges of what they take and leave behind: the refusal
// to start over an unfinished apply, a journal whose plan cannot be resumed, the options a resume passes
// on (progress, abort, retry limits), the journal lines that say what a run is, and no journal left open.
import { existsSync } from 'node:fs';
import { readdir, readlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyPlan,
  applyRollback,
  createApplyStore,
  discover,
  journalPath,
  planRollback,
  readJournal,
  resumeApply,
  UnfinishedApplyError,
} from '../../../src/main/engine';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import {
  intentEntry,
  leaveJournal,
  planFor,
  singleRequestHarness,
  startEntry,
  startHarness,
  writesSent,
  RETRY,
  LOSES_ANSWERS,
} from './harness';

const credentialPost = { method: 'POST', table: 'oauth_2_0_credentials' };

/** Files under `dir` this process holds open (Linux: /proc/self/fd). */
async function openFilesUnder(dir: string): Promise<string[]> {
  const open: string[] = [];
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.startsWith(dir)) open.push(target);
  }
  return open;
}

describe('a new apply over an unfinished one', () => {
  it('is refused with a message that names the unfinished apply and says to resume it', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h);
    await leaveJournal(h.dir, 'a-unfinished', [startEntry('a-unfinished', plan)]);
    const refusal = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY }).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(UnfinishedApplyError);
    expect(refusal).toMatchObject({ name: 'UnfinishedApplyError', applyId: 'a-unfinished' });
    expect((refusal as Error).message).toBe(
      'An earlier apply on this instance (a-unfinished) did not finish. Resume it first, so that whatever it ' +
        'may have written is settled and nothing is sent twice.',
    );
  });
});

describe('a journal resume cannot use', () => {
  for (const [label, plan] of [
    ['no plan at all', null],
    ['a plan without actions', { instanceUrl: 'https://acme.service-now.com' }],
  ] as const) {
    it(`is refused by name when its start line holds ${label}`, async () => {
      const h = await startHarness('fresh');
      await leaveJournal(h.dir, 'a-broken', [
        { t: 'start', applyId: 'a-broken', kind: 'apply', instanceUrl: h.sim.url, startedAt: 'x', plan },
      ]);
      await expect(resumeApply({ client: h.client, dir: h.dir, retry: RETRY })).rejects.toThrow(
        'The journal of apply a-broken holds no usable plan; it cannot be resumed.',
      );
      expect(writesSent(h.sim)).toEqual([]);
    });
  }
});

describe('what a resume passes on to the run', () => {
  it('reports its progress to the listener, up to "done"', async () => {
    const h = await singleRequestHarness();
    const plan = await planFor(h);
    await leaveJournal(h.dir, 'a1', [startEntry('a1', plan), intentEntry(plan, 'credential:main')]);
    const phases: string[] = [];
    const resumed = await resumeApply({
      client: h.client,
      dir: h.dir,
      retry: RETRY,
      onProgress: (p) => phases.push(p.phase),
    });
    expect(resumed?.status).toBe('succeeded');
    expect(phases).toContain('writing');
    expect(phases.at(-1)).toBe('done');
  });

  it('stops before sending anything when its signal is already aborted', async () => {
    const h = await singleRequestHarness();
    const plan = await planFor(h);
    await leaveJournal(h.dir, 'a1', [startEntry('a1', plan), intentEntry(plan, 'credential:main')]);
    h.sim.clearLog();
    const resumed = await resumeApply({
      client: h.client,
      dir: h.dir,
      retry: RETRY,
      signal: AbortSignal.abort(),
    });
    expect(resumed?.status).toBe('failed');
    expect(resumed?.steps.map((s) => s.status)).toEqual(Array(4).fill('not_run'));
    expect(writesSent(h.sim)).toEqual([]);
  });

  it('keeps to the retry limit it was given', async () => {
    const h = await singleRequestHarness();
    const plan = await planFor(h);
    await leaveJournal(h.dir, 'a1', [startEntry('a1', plan), intentEntry(plan, 'credential:main')]);
    h.sim.faults.add({ kind: 'status', status: 503, match: credentialPost, times: 1 });
    h.sim.clearLog();
    const resumed = await resumeApply({
      client: h.client,
      dir: h.dir,
      retry: { ...RETRY, maxAttempts: 1 },
    });
    expect(resumed?.status).toBe('failed');
    expect(resumed?.steps.find((s) => s.actionId === 'credential:main')?.status).toBe('failed');
    expect(writesSent(h.sim)).toHaveLength(1);
  });
});

describe('an apply whose signal is already aborted', () => {
  it('sends no write and ends failed, every step not run', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h);
    h.sim.clearLog();
    const record = await applyPlan({
      client: h.client,
      plan,
      dir: h.dir,
      retry: RETRY,
      signal: AbortSignal.abort(),
    });
    expect(record.status).toBe('failed');
    expect(record.steps.map((s) => s.status)).toEqual(Array(4).fill('not_run'));
    expect(writesSent(h.sim)).toEqual([]);
  });
});

describe('the journal of a run', () => {
  it("of a rollback names the apply it undoes; an apply's names none", async () => {
    const h = await startHarness('fresh');
    const applied = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    const snapshot = await discover(h.client, { desired: defaultDesiredState() });
    if (!snapshot.ok) throw new Error(snapshot.message);
    const rollback = await applyRollback({
      client: h.client,
      record: applied,
      plan: planRollback(applied, snapshot.snapshot),
      dir: h.dir,
      retry: RETRY,
    });
    const startOf = async (applyId: string) =>
      (await readJournal(journalPath(h!.dir, applyId))).entries.find((e) => e.t === 'start');
    expect(await startOf(rollback.applyId)).toMatchObject({ kind: 'rollback', rollbackOf: applied.applyId });
    expect(await startOf(applied.applyId)).not.toHaveProperty('rollbackOf');
  });

  it('names the process and host that wrote it, on its start line only', async () => {
    const h = await startHarness('fresh');
    const applied = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    const { entries } = await readJournal(journalPath(h.dir, applied.applyId));
    expect(entries[0]).toMatchObject({ t: 'start', pid: process.pid, host: hostname() });
    expect(entries.slice(1).filter((e) => 'pid' in e || 'host' in e)).toEqual([]);
  });

  it('numbers each attempt of a write, counting those made before an interruption', async () => {
    const h = await singleRequestHarness();
    const plan = await planFor(h);
    const file = await leaveJournal(h.dir, 'a1', [
      startEntry('a1', plan),
      intentEntry(plan, 'credential:main'),
    ]);
    h.sim.faults.add({
      kind: 'status',
      status: 503,
      match: { method: 'POST', table: 'http_connection' },
      times: 1,
    });
    const resumed = await resumeApply({ client: h.client, dir: h.dir, retry: RETRY });
    expect(resumed?.status).toBe('succeeded');
    const attempts = async (actionId: string) =>
      (await readJournal(file)).entries.flatMap((e) =>
        e.t === 'intent' && e.actionId === actionId ? [e.attempt] : [],
      );
    expect(await attempts('credential:main')).toEqual([1, 2]);
    expect(await attempts('credential:clientCred')).toEqual([1]);
    expect(await attempts('connection:main')).toEqual([1, 2]);
  });

  it('numbers the attempts of a batched write, each retry in a batch of its own', async () => {
    const h = await startHarness('fresh');
    h.sim.faults.add({
      kind: 'status',
      status: 503,
      match: { method: 'POST', table: 'http_connection' },
      times: 1,
    });
    const applied = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    expect(applied.status).toBe('succeeded');
    const intents = (await readJournal(journalPath(h.dir, applied.applyId))).entries.flatMap((e) =>
      e.t === 'intent' && e.actionId === 'connection:main' ? [e] : [],
    );
    expect(intents.map((e) => e.attempt)).toEqual([1, 2]);
    expect(intents[0]?.batch).toBeDefined();
    expect(intents[1]?.batch).not.toBe(intents[0]?.batch);
  });

  it('is open again once Resume takes a failed apply up, until the resumed run finishes', async () => {
    // A lost answer whose re-read fails too leaves the resumed run unsettled: its journal must read as
    // unfinished, or the next apply would start over a write nobody has settled.
    const h = await startHarness('fresh', LOSES_ANSWERS);
    const remove = h.sim.faults.add({ kind: 'forbidden', match: credentialPost, times: 1 });
    const failed = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
    expect(failed.status).toBe('failed');
    expect(await createApplyStore(h.dir).unfinished()).toBeNull();
    remove();

    h.sim.faults.add({ kind: 'hang_after_commit', match: credentialPost, times: 1 });
    // The resume's own re-read of the touched records answers; the one that would settle the lost write fails.
    h.sim.faults.add({
      kind: 'status',
      status: 500,
      match: { method: 'GET', table: 'oauth_2_0_credentials' },
      skip: 1,
      times: 1,
    });
    const resumed = await resumeApply({ client: h.client, dir: h.dir, retry: RETRY, reopenFailed: true });
    expect(resumed?.applyId).toBe(failed.applyId);
    expect(resumed?.steps.find((s) => s.actionId === 'credential:main')?.settled).toMatch(
      /^Could not confirm whether this write reached the instance \(the re-read failed too: .+\)\. Resume the apply/,
    );
    expect((await createApplyStore(h.dir).unfinished())?.applyId).toBe(failed.applyId);
    await expect(
      applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY }),
    ).rejects.toBeInstanceOf(UnfinishedApplyError);
  });
});

describe('files left open', () => {
  it.runIf(existsSync('/proc/self/fd'))(
    'none: an apply and the resume of a failed apply each close their journal',
    async () => {
      const h = await startHarness('fresh');
      const remove = h.sim.faults.add({ kind: 'forbidden', match: credentialPost, times: 1 });
      const failed = await applyPlan({ client: h.client, plan: await planFor(h), dir: h.dir, retry: RETRY });
      expect(failed.status).toBe('failed');
      expect(await openFilesUnder(h.dir)).toEqual([]);
      remove();
      const resumed = await resumeApply({ client: h.client, dir: h.dir, retry: RETRY, reopenFailed: true });
      expect(resumed?.status).toBe('succeeded');
      expect(await openFilesUnder(h.dir)).toEqual([]);
      expect(existsSync(join(h.dir, 'journal'))).toBe(true);
    },
  );
});
