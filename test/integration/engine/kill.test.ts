// Kill the applying process at every write step, then resume in a fresh process: exactly one record per
// name on the instance and a verified end state, every time. Writes go in two Batch API requests (the
// credentials, then the connections), so the kill points are: after each journal line of a write (a
// wave's intents are fsynced together before its batch leaves, its done lines together after the answer;
// a kill after any of them lands on one of those durable points), and after the instance committed a
// whole batch but before it answered.
import type { ChildProcess } from 'node:child_process';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPlan, createApplyStore, discover, readJournal, resumeApply } from '../../../src/main/engine';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import type { ApplyRecord } from '../../../src/shared/domain/apply';
import { killIfRunning, PROVISIONED as NAMES, runApplyChild, until } from './fixtures/apply-child-process';
import { rowsNamed, startHarness, writesSent, type Harness } from './harness';

let h: Harness | null = null;
let child: ChildProcess | null = null;
afterEach(async () => {
  killIfRunning(child);
  child = null;
  await h?.close();
  h = null;
});

const runChild = (env: Record<string, string>) => runApplyChild(h!, env);

async function writePlan(): Promise<string> {
  const desired = defaultDesiredState();
  const outcome = await discover(h!.client, { desired });
  if (!outcome.ok) throw new Error(outcome.message);
  const file = join(h!.dir, 'plan.json');
  await writeFile(file, JSON.stringify(buildPlan(outcome.snapshot, desired, new Date())));
  return file;
}

const committed = () => NAMES.filter(([t, n]) => rowsNamed(h!.sim, t, n).length > 0).length;

async function resumeAndCheck(): Promise<ApplyRecord> {
  const pending = await createApplyStore(h!.dir).unfinished();
  expect(pending, 'the killed apply left an unfinished journal').not.toBeNull();
  // A fresh engine instance: a new client, state only from disk.
  const record = await resumeApply({ client: h!.newClient(), dir: h!.dir });
  expect(record).not.toBeNull();
  expect(record!.applyId).toBe(pending!.applyId);
  expect(record!.status).toBe('succeeded');
  expect(record!.verification?.ok).toBe(true);
  for (const [table, name] of NAMES) expect(rowsNamed(h!.sim, table, name), name).toHaveLength(1);
  // The original before-state survives: every record did not exist before the first apply.
  expect(record!.records.every((r) => r.before === null)).toBe(true);
  expect(await createApplyStore(h!.dir).unfinished()).toBeNull();
  return record!;
}

describe('kill -9 during apply, then resume', () => {
  for (const k of [1, 2]) {
    it(`killed after the instance committed write batch ${k} but before it answered`, async () => {
      h = await startHarness('fresh');
      const planFile = await writePlan();
      h.sim.faults.add({ kind: 'hang_after_commit', match: { method: 'POST' }, skip: k - 1, times: 1 });
      const run = runChild({ PLAN_FILE: planFile, MODE: 'apply' });
      child = run.proc;
      await until(() => committed() === 2 * k, `batch ${k} to be committed`);
      run.proc.kill('SIGKILL');
      const exit = await run.exited;
      expect(exit.signal).toBe('SIGKILL');
      expect(committed()).toBe(2 * k);
      h.sim.faults.clear();
      h.sim.clearLog();
      const record = await resumeAndCheck();
      // Both items of the lost batch were found by the re-read, not sent again.
      for (const step of record.steps.slice(2 * k - 2, 2 * k))
        expect(step.settled).toMatch(/after the interruption/);
      expect(writesSent(h.sim)).toHaveLength(4 - 2 * k);
    }, 60_000);
  }

  // The write lines of a fresh apply, in order: intent ×2 (then the credential batch leaves), done ×2,
  // intent ×2 (then the connection batch leaves), done ×2. Records committed when killed after each:
  const COMMITTED_AFTER_LINE = [0, 0, 2, 2, 2, 2, 4, 4];
  for (const [index, expected] of COMMITTED_AFTER_LINE.entries()) {
    const line = index + 1;
    for (const fresh of line % 2 === 0 ? [false, true] : [false]) {
      it(`killed right after journal write line ${line}${fresh ? ' (freshPlan)' : ''}`, async () => {
        h = await startHarness('fresh');
        const planFile = await writePlan();
        const run = runChild({
          PLAN_FILE: planFile,
          MODE: 'apply',
          KILL_AFTER_LINE: String(line),
          FRESH_PLAN: fresh ? '1' : '0',
        });
        child = run.proc;
        const exit = await run.exited;
        expect(exit.signal, exit.out).toBe('SIGKILL');
        expect(committed()).toBe(expected);
        if (line === 4) {
          // A kill inside write() leaves a torn last line; it is reported, not fatal.
          const pending = await createApplyStore(h.dir).unfinished();
          await appendFile(pending!.file, '{"t":"intent","actionId":"connec');
        }
        h.sim.clearLog();
        const record = await resumeAndCheck();
        // Only the writes the killed process never made were sent, each once.
        expect(writesSent(h.sim).filter((w) => w.method === 'POST')).toHaveLength(4 - expected);
        if (line === 4) expect(record.notes?.join(' ')).toMatch(/cut short/);
      }, 60_000);
    }
  }

  // A wave's lines reach the disk in one write and one fsync: killed at the first "writing" (the
  // credentials' intents are on disk, their batch has not left) or the first "written" (their outcomes are
  // on disk), the journal holds the whole wave, and the resume sends each missing write once.
  const HELD: [line: number, types: string[], committed: number][] = [
    [1, ['start', 'before', 'intent', 'intent'], 0],
    [3, ['start', 'before', 'intent', 'intent', 'done', 'done'], 2],
  ];
  for (const [line, types, expected] of HELD) {
    it(`killed right after journal write line ${line}: the whole wave is in the journal`, async () => {
      h = await startHarness('fresh');
      const planFile = await writePlan();
      const run = runChild({ PLAN_FILE: planFile, MODE: 'apply', KILL_AFTER_LINE: String(line) });
      child = run.proc;
      const exit = await run.exited;
      expect(exit.signal, exit.out).toBe('SIGKILL');
      const pending = await createApplyStore(h.dir).unfinished();
      const { entries } = await readJournal(pending!.file);
      expect(entries.map((e) => e.t)).toEqual(types);
      const batches = entries.flatMap((e) => (e.t === 'intent' ? [e.batch] : []));
      expect(new Set(batches).size, 'both intents name the one batch that carries them').toBe(1);
      // Between the intents' fsync and the batch nothing was sent; after its answer, both records exist.
      expect(writesSent(h.sim)).toHaveLength(expected);
      expect(committed()).toBe(expected);
      h.sim.clearLog();
      await resumeAndCheck();
      expect(writesSent(h.sim).filter((w) => w.method === 'POST')).toHaveLength(4 - expected);
    }, 60_000);
  }

  it('resume itself runs in a fresh process', async () => {
    h = await startHarness('fresh');
    const planFile = await writePlan();
    const first = runChild({ PLAN_FILE: planFile, MODE: 'apply', KILL_AFTER_LINE: '5' });
    child = first.proc;
    expect((await first.exited).signal).toBe('SIGKILL');
    const second = runChild({ MODE: 'resume' });
    child = second.proc;
    const exit = await second.exited;
    expect(exit.code, exit.out).toBe(0);
    expect(exit.out).toContain('RESULT succeeded');
    for (const [table, name] of NAMES) expect(rowsNamed(h.sim, table, name)).toHaveLength(1);
  }, 60_000);
});
